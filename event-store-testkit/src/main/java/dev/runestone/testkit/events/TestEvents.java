package dev.runestone.testkit.events;

import dev.runestone.EventValidationException.Violation;
import dev.runestone.registry.EventRegistry;
import java.util.List;

/**
 * The registry of the test events, and short factories for valid ones.
 *
 * <p>The registry adds one rule the records' constructors do not check, that {@link UserEmailSet#data()} is an
 * email address, so the suites can prove that a store runs registry validation before it writes.
 */
public final class TestEvents {

    /** The auditor the factories put in {@link Meta}. */
    public static final String AUDITOR = "testkit";

    private static final EventRegistry<TestEvent> REGISTRY = EventRegistry.builder(TestEvent.class)
            .register(UserCreated.TYPE, UserCreated.class)
            .register(UserGivenNameSet.TYPE, UserGivenNameSet.class)
            .register(UserEmailSet.TYPE, UserEmailSet.class, TestEvents::emailRule)
            .register(UserActivated.TYPE, UserActivated.class)
            .register(PostCreated.TYPE, PostCreated.class)
            .build();

    private TestEvents() {
    }

    /** Every test event type, with the email rule on {@code user:email-set}. Immutable and shared. */
    public static EventRegistry<TestEvent> registry() {
        return REGISTRY;
    }

    /** A valid {@code user:created}. */
    public static UserCreated userCreated(String given, String family, String email) {
        return new UserCreated(new UserCreated.Data(new UserCreated.Name(given, family), email), meta());
    }

    /** A valid {@code user:given-name-set}. */
    public static UserGivenNameSet givenNameSet(String given) {
        return new UserGivenNameSet(given, meta());
    }

    /** A {@code user:email-set}; the registry refuses it unless {@code email} is an email address. */
    public static UserEmailSet emailSet(String email) {
        return new UserEmailSet(email, meta());
    }

    /** A {@code user:activated}. */
    public static UserActivated activated() {
        return new UserActivated();
    }

    /** A valid {@code post:created}. */
    public static PostCreated postCreated(String author, String title) {
        return new PostCreated(new PostCreated.Data(author, title), meta());
    }

    private static Meta meta() {
        return new Meta(AUDITOR);
    }

    private static List<Violation> emailRule(UserEmailSet event) {
        return Rules.isEmail(event.data())
                ? List.of()
                : List.of(new Violation("data", "format", "must be an email address"));
    }
}
