package dev.runestone.testkit;

import dev.runestone.AggregateReducer;
import dev.runestone.AggregateRoot;
import dev.runestone.Reducer;
import dev.runestone.testkit.events.PostCreated;
import dev.runestone.testkit.events.TestEvent;
import dev.runestone.testkit.events.TestEvents;
import dev.runestone.testkit.events.UserActivated;
import dev.runestone.testkit.events.UserCreated;
import dev.runestone.testkit.events.UserEmailSet;
import dev.runestone.testkit.events.UserNameGivenSet;
import org.jspecify.annotations.Nullable;

/** The aggregate the suites use: the original library's {@code User}, with a record field and a transient one. */
final class TestUser extends AggregateRoot<TestEvent> {

    static final AggregateReducer<TestUser, TestEvent> REDUCER = Reducer.aggregate("test-user", TestUser::new);

    private UserCreated.Data.@Nullable Name name;
    private String email = "";
    private boolean active;
    private int posts;

    /** Counts folds since this instance was made; transient, so a snapshot does not carry it. */
    private transient int folds;

    @Override
    protected void with(TestEvent event) {
        folds++;
        switch (event) {
            case UserCreated created -> {
                name = created.data().name();
                email = created.data().email();
            }
            case UserNameGivenSet set ->
                    name = new UserCreated.Data.Name(set.data(), name == null ? "" : name.family());
            case UserEmailSet set -> email = set.data();
            case UserActivated ignored -> active = true;
            case PostCreated ignored -> posts++;
        }
    }

    void create(String given, String family, String address) {
        push(TestEvents.userCreated(given, family, address));
    }

    void changeGivenName(String given) {
        push(TestEvents.givenNameSet(given));
    }

    void changeEmail(String address) {
        push(TestEvents.emailSet(address));
    }

    void activate() {
        push(TestEvents.activated());
    }

    String fullName() {
        return name == null ? "" : name.given() + " " + name.family();
    }

    String email() {
        return email;
    }

    boolean active() {
        return active;
    }

    int posts() {
        return posts;
    }

    int folds() {
        return folds;
    }
}
