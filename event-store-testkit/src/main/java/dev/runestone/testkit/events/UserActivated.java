package dev.runestone.testkit.events;

/** {@code user:activated}: a user confirmed their account. An event with neither data nor meta. */
public record UserActivated() implements UserEvent {

    /** The type string. */
    public static final String TYPE = "user:activated";
}
