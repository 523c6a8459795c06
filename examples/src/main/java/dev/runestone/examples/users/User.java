package dev.runestone.examples.users;

import dev.runestone.AggregateReducer;
import dev.runestone.AggregateRoot;
import dev.runestone.Reducer;

/** The user aggregate: folds a user's events and guards its business rules before recording new ones. */
final class User extends AggregateRoot<UserEvent> {

    /** Loads and makes users; its name keys the aggregate's snapshots. */
    static final AggregateReducer<User, UserEvent> REDUCER = Reducer.aggregate("user", User::new);

    private String given = "";
    private String family = "";
    private String email = "";
    private boolean active;

    @Override
    protected void with(UserEvent event) {
        switch (event) {
            case UserCreated created -> {
                given = created.data().name().given();
                family = created.data().name().family();
                email = created.data().email();
                active = true;
            }
            case UserEmailSet emailSet -> email = emailSet.data();
            case UserDeactivated deactivated -> active = false;
        }
    }

    void signUp(String given, String family, String email, String auditor) {
        if (version() > 0 || isDirty()) {
            throw new IllegalStateException("User " + stream() + " exists already");
        }
        push(new UserCreated(new UserCreated.Data(new UserCreated.Data.Name(given, family), email),
                new UserCreated.Meta(auditor)));
    }

    void changeEmail(String newEmail, String auditor) {
        if (!active) {
            throw new IllegalStateException("User " + stream() + " is deactivated");
        }
        if (newEmail.equals(email)) {
            return;
        }
        push(new UserEmailSet(newEmail, new UserEmailSet.Meta(auditor)));
    }

    void deactivate() {
        if (active) {
            push(new UserDeactivated());
        }
    }

    String fullName() {
        return given + " " + family;
    }

    String email() {
        return email;
    }

    boolean active() {
        return active;
    }
}
