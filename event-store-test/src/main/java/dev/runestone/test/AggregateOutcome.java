package dev.runestone.test;

import dev.runestone.AggregateRoot;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import org.assertj.core.api.AbstractThrowableAssert;
import org.assertj.core.api.Assertions;
import org.jspecify.annotations.Nullable;
import org.opentest4j.AssertionFailedError;

/**
 * What {@link AggregateScenario#when} did: the events the aggregate recorded and saved, or what was thrown. Check it
 * with the {@code then} methods; each fails the test with an {@link AssertionError} whose message shows which event
 * or field differs, expected against recorded.
 *
 * <pre>{@code
 * User on stream 'user-1' recorded other events than expected:
 * event 1 differs:
 *   data: expected "jane@example.org" but was "jane@example.net"
 * expected:
 *   1. UserEmailSet[data=jane@example.org, meta=Meta[auditor=jane]]
 * recorded:
 *   1. UserEmailSet[data=jane@example.net, meta=Meta[auditor=jane]]
 * }</pre>
 *
 * <p>Events are compared field by field, nested records and collections included, JDK types such as
 * {@code String}, {@code BigDecimal} and {@code Instant} with {@code equals}. Not thread-safe.
 *
 * @param <A> the aggregate type
 * @param <E> the event type
 */
public final class AggregateOutcome<A extends AggregateRoot<E>, E> {

    private final String subject;
    private final A aggregate;
    private final List<E> recorded;
    private final @Nullable RuntimeException failure;
    private final String failedWhere;

    private AggregateOutcome(String subject, A aggregate, List<E> recorded, @Nullable RuntimeException failure,
            String failedWhere) {
        this.subject = subject;
        this.aggregate = aggregate;
        this.recorded = recorded;
        this.failure = failure;
        this.failedWhere = failedWhere;
    }

    static <A extends AggregateRoot<E>, E> AggregateOutcome<A, E> recorded(String subject, A aggregate,
            List<E> recorded) {
        return new AggregateOutcome<>(subject, aggregate, recorded, null, "");
    }

    static <A extends AggregateRoot<E>, E> AggregateOutcome<A, E> threw(String subject, A aggregate,
            String failedWhere, RuntimeException failure) {
        return new AggregateOutcome<>(subject, aggregate, List.of(), failure, failedWhere);
    }

    /** Checks that the aggregate recorded exactly {@code expected}, in order. */
    @SafeVarargs
    @SuppressWarnings("varargs") // List.of copies the array, which never escapes.
    public final AggregateOutcome<A, E> then(E... expected) {
        return then(List.of(expected));
    }

    /** Checks that the aggregate recorded exactly {@code expected}, in order. */
    public AggregateOutcome<A, E> then(List<? extends E> expected) {
        requireNoFailure("to record " + StructuralDiff.count(expected.size()));
        StructuralDiff.assertEvents(subject, expected, recorded);
        return this;
    }

    /** Checks that the aggregate recorded nothing and nothing was thrown: the action was a no-op. */
    public AggregateOutcome<A, E> thenNoEvents() {
        return then(List.of());
    }

    /**
     * Checks that the action, or saving what it recorded, threw an instance of {@code type} (so nothing was saved),
     * and returns an AssertJ assertion on it for more checks, e.g. {@code .hasMessageContaining("deactivated")}.
     */
    public AbstractThrowableAssert<?, ? extends Throwable> thenThrows(Class<? extends Throwable> type) {
        Objects.requireNonNull(type, "type");
        String expectation = "Expected when(...) to throw " + type.getSimpleName();
        if (failure == null) {
            throw new AssertionFailedError(expectation + ", but it threw nothing and " + subject + " recorded "
                    + StructuralDiff.count(recorded.size())
                    + (recorded.isEmpty() ? "" : ":\n" + StructuralDiff.numbered(recorded)));
        }
        if (!type.isInstance(failure)) {
            throw new AssertionFailedError(expectation + ", but " + failedWhere + " " + failure, failure);
        }
        return Assertions.assertThat(failure);
    }

    /**
     * Runs {@code assertions} on the aggregate after its events were saved, for what the events do not show, e.g.
     * {@code user -> assertThat(user.email()).isEqualTo("jane@example.org")}.
     */
    public AggregateOutcome<A, E> thenState(Consumer<? super A> assertions) {
        Objects.requireNonNull(assertions, "assertions");
        requireNoFailure("to succeed");
        assertions.accept(aggregate);
        return this;
    }

    private void requireNoFailure(String expectation) {
        if (failure != null) {
            throw new AssertionFailedError("Expected " + subject + " " + expectation + ", but " + failedWhere + " "
                    + failure, failure);
        }
    }
}
