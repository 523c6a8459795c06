package dev.runestone.testkit.events;

/**
 * {@code user:created}: a user signed up.
 *
 * <p>The constructor requires every field and an email address in {@code data.email}.
 *
 * @param data who the user is
 * @param meta who created the user
 */
public record UserCreated(Data data, Meta meta) implements UserEvent {

    /** The type string. */
    public static final String TYPE = "user:created";

    public UserCreated {
        Rules rules = Rules.of(TYPE);
        if (rules.required("data", data)) {
            if (rules.required("data.name", data.name())) {
                rules.requiredText("data.name.given", data.name().given());
                rules.requiredText("data.name.family", data.name().family());
            }
            if (rules.requiredText("data.email", data.email())) {
                rules.email("data.email", data.email());
            }
        }
        if (rules.required("meta", meta)) {
            rules.requiredText("meta.auditor", meta.auditor());
        }
        rules.check();
    }

    /**
     * The new user.
     *
     * @param name  the user's name
     * @param email the user's email address
     */
    public record Data(Name name, String email) {
    }

    /**
     * A person's name.
     *
     * @param given  the given name
     * @param family the family name
     */
    public record Name(String given, String family) {
    }
}
