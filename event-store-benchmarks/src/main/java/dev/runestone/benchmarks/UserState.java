package dev.runestone.benchmarks;

import dev.runestone.Reducer;

/** What the reduce benchmarks fold a user's stream into. */
record UserState(String name, String email, long changes) {

    static final Reducer<UserState, UserEvent> REDUCER =
            Reducer.of("user", UserState.class, UserState::initial, (state, record) -> state.with(record.event()));

    static UserState initial() {
        return new UserState("", "", 0);
    }

    /** The fold, shared by Runestone's reducer and the baselines. */
    UserState with(UserEvent event) {
        return switch (event) {
            case UserEvent.UserCreated created -> new UserState(
                    created.data().name().given() + " " + created.data().name().family(), created.data().email(),
                    changes + 1);
            case UserEvent.UserEmailSet set -> new UserState(name, set.data(), changes + 1);
        };
    }
}
