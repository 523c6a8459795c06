package dev.runestone.testkit.events;

/**
 * {@code user:email-set}: a user changed their email address. Its data is a plain string.
 *
 * <p>The constructor only requires the address; that it is an email address is checked by the registry's
 * validator ({@link TestEvents#registry()}), so a malformed one can be made and must be refused by the store.
 *
 * @param data the new email address
 * @param meta who changed it
 */
public record UserEmailSet(String data, Meta meta) implements UserEvent {

    /** The type string. */
    public static final String TYPE = "user:email-set";

    public UserEmailSet {
        Rules rules = Rules.of(TYPE);
        rules.required("data", data);
        if (rules.required("meta", meta)) {
            rules.requiredText("meta.auditor", meta.auditor());
        }
        rules.check();
    }
}
