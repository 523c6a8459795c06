package dev.runestone.testkit.events;

import dev.runestone.EventValidationException.Violation;
import dev.runestone.registry.EventRegistry;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Short factories for valid test events, and a registry that adds one rule the event configs leave out.
 *
 * <p>The records and {@link TestEvent#registry()} are generated from the JSON configs in {@code src/main/events}.
 * {@code user-created.json} is the original library's config as written there, so it does not say that
 * {@code data.email} is an email address; {@link #registryWithEmailRule()} adds that rule, which lets the suites
 * prove that a store runs registry validation before it writes.
 */
public final class TestEvents {

    /** The auditor the factories put in every event's meta. */
    public static final String AUDITOR = "testkit";

    /** The longest title a post may have: the {@code maxLength} of {@code data.title} in {@code post-created.json}. */
    public static final int MAX_TITLE_LENGTH = 200;

    /** An email address, by the same simple check the generated records make for {@code "format": "email"}. */
    private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+\\.[^@\\s]+");

    private static final EventRegistry<TestEvent> WITH_EMAIL_RULE = registryBuilderWithEmailRule().build();

    private TestEvents() {
    }

    /**
     * The generated records registered again, with one more rule on {@code user:created}: {@code data.email} must be
     * an email address. The records' constructors do not check it, so an event that breaks it can be made and must
     * be refused by the store. Immutable and shared.
     */
    public static EventRegistry<TestEvent> registryWithEmailRule() {
        return WITH_EMAIL_RULE;
    }

    /** A builder of {@link #registryWithEmailRule()}, to set other limits on it. */
    public static EventRegistry.Builder<TestEvent> registryBuilderWithEmailRule() {
        return TestEvent.registryBuilder().validator(UserCreated.class, TestEvents::emailRule);
    }

    /** A {@code user:created}; {@link #registryWithEmailRule()} refuses it unless {@code email} is an email address. */
    public static UserCreated userCreated(String given, String family, String email) {
        return new UserCreated(new UserCreated.Data(new UserCreated.Data.Name(given, family), email),
                new UserCreated.Meta(AUDITOR));
    }

    /** A valid {@code user:name:given-set}. */
    public static UserNameGivenSet givenNameSet(String given) {
        return new UserNameGivenSet(given, new UserNameGivenSet.Meta(AUDITOR));
    }

    /** A valid {@code user:email-set}. */
    public static UserEmailSet emailSet(String email) {
        return new UserEmailSet(email, new UserEmailSet.Meta(AUDITOR));
    }

    /** A {@code user:activated}. */
    public static UserActivated activated() {
        return new UserActivated();
    }

    /** A valid, published {@code post:created} without tags. */
    public static PostCreated postCreated(String author, String title) {
        return postCreated(author, title, PostCreated.Data.Status.PUBLISHED, List.of());
    }

    /** A valid {@code post:created}. */
    public static PostCreated postCreated(String author, String title, PostCreated.Data.Status status,
            List<String> tags) {
        return new PostCreated(new PostCreated.Data(author, title, status, tags), new PostCreated.Meta(AUDITOR));
    }

    private static List<Violation> emailRule(UserCreated event) {
        return EMAIL.matcher(event.data().email()).matches()
                ? List.of()
                : List.of(new Violation("data.email", "format", "must be an email address"));
    }
}
