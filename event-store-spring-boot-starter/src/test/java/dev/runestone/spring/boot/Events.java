package dev.runestone.spring.boot;

import dev.runestone.testkit.events.UserCreated;
import dev.runestone.testkit.events.UserEmailSet;

/** Events the tests append. */
final class Events {

    private Events() {
    }

    static UserCreated created(String given) {
        return new UserCreated(new UserCreated.Data(new UserCreated.Data.Name(given, "Doe"), given + "@example.com"),
                new UserCreated.Meta("admin"));
    }

    static UserEmailSet emailSet(String email) {
        return new UserEmailSet(email, new UserEmailSet.Meta("admin"));
    }
}
