package dev.runestone.testkit.events;

/**
 * {@code user:given-name-set}: a user changed their given name. Its data is a plain string.
 *
 * @param data the new given name, not blank
 * @param meta who changed it
 */
public record UserGivenNameSet(String data, Meta meta) implements UserEvent {

    /** The type string. */
    public static final String TYPE = "user:given-name-set";

    public UserGivenNameSet {
        Rules rules = Rules.of(TYPE);
        rules.requiredText("data", data);
        if (rules.required("meta", meta)) {
            rules.requiredText("meta.auditor", meta.auditor());
        }
        rules.check();
    }
}
