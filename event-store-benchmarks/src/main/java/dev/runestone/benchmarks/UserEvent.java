package dev.runestone.benchmarks;

import dev.runestone.registry.EventRegistry;

/** The events the benchmarks write: the shape of the README's {@code user:created} and {@code user:email-set}. */
sealed interface UserEvent {

    /** The registry both Runestone and the baselines encode and decode with. */
    EventRegistry<UserEvent> REGISTRY = EventRegistry.builder(UserEvent.class)
            .register("user:created", UserCreated.class)
            .register("user:email-set", UserEmailSet.class)
            .build();

    /** Who made a change. */
    record Meta(String auditor) {
    }

    /** A user was created. */
    record UserCreated(Data data, Meta meta) implements UserEvent {

        /** The new user. */
        record Data(Name name, String email) {
        }

        /** A user's name. */
        record Name(String given, String family) {
        }
    }

    /** A user's email address changed. */
    record UserEmailSet(String data, Meta meta) implements UserEvent {
    }

    /** A realistic {@code user:created} for user {@code n}. */
    static UserCreated created(long n) {
        return new UserCreated(new UserCreated.Data(new UserCreated.Name("Jane" + n, "Doe-Smith"),
                "jane.doe." + n + "@example.com"), new Meta("admin@example.com"));
    }

    /** A realistic {@code user:email-set} for user {@code n}, change {@code k}. */
    static UserEmailSet emailSet(long n, long k) {
        return new UserEmailSet("jane." + n + "." + k + "@example.org", new Meta("jane" + n + "@example.com"));
    }
}
