package dev.runestone.examples.users;

import dev.runestone.EventValidationException;
import dev.runestone.EventValidationException.Violation;
import dev.runestone.registry.EventRegistry;
import java.util.List;

/** The user service's events, the Java form of the original library's {@code user-created.json} and friends. */
public sealed interface UserEvent permits UserEvent.UserCreated, UserEvent.UserEmailSet, UserEvent.UserDeactivated {

    /** The registry tying each record to its type string. */
    static EventRegistry<UserEvent> registry() {
        return EventRegistry.builder(UserEvent.class)
                .register("user:created", UserCreated.class)
                .register("user:email-set", UserEmailSet.class)
                .register("user:deactivated", UserDeactivated.class)
                .build();
    }

    /** Who made a change. */
    record Meta(String auditor) {
        public Meta {
            require(auditor, "meta.auditor");
        }
    }

    /** A user's name. */
    record Name(String given, String family) {
        public Name {
            require(given, "data.name.given");
            require(family, "data.name.family");
        }
    }

    /** {@code user:created}: a user signed up. */
    record UserCreated(Data data, Meta meta) implements UserEvent {

        /** The new user's name and email. */
        public record Data(Name name, String email) {
            public Data {
                require(name, "data.name");
                requireEmail(email, "data.email", "user:created");
            }
        }
    }

    /** {@code user:email-set}: a user changed their email. The data is the new address. */
    record UserEmailSet(String data, Meta meta) implements UserEvent {
        public UserEmailSet {
            requireEmail(data, "data", "user:email-set");
            require(meta, "meta");
        }
    }

    /** {@code user:deactivated}: a user closed their account. No data, no meta. */
    record UserDeactivated() implements UserEvent {
    }

    private static void require(Object value, String path) {
        if (value == null) {
            throw new EventValidationException("user event", List.of(new Violation(path, "required", "must not be null")));
        }
    }

    private static void requireEmail(String value, String path, String type) {
        if (value == null || !value.matches("[^@\\s]+@[^@\\s]+\\.[^@\\s]+")) {
            throw new EventValidationException(type,
                    List.of(new Violation(path, "format", "must be an email address, was '" + value + "'")));
        }
    }
}
