package dev.runestone.test;

import dev.runestone.EventRecord;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.function.Executable;
import org.opentest4j.AssertionFailedError;

/**
 * Given/then for projector handlers: events appended after the handlers were registered, and what the handlers made
 * of them. Made by {@link TestEventStore#projector(java.util.function.Consumer)}.
 *
 * <pre>{@code
 * runestone.projector(projector -> readModel.register(projector))
 *         .given("user-1", new UserCreated(...))
 *         .given("user-2", new UserCreated(...))
 *         .then(() -> assertThat(readModel.names()).containsExactly("Ada", "Grace"));
 * }</pre>
 *
 * <p>The events reach the handlers as new ones ({@code once}, {@code on} and {@code all} handlers alike). Not
 * thread-safe.
 *
 * @param <E> the event type
 */
public final class ProjectorScenario<E> {

    private final TestEventStore<E> runestone;
    private int failuresReported;

    ProjectorScenario(TestEventStore<E> runestone, int failuresBefore) {
        this.runestone = runestone;
        this.failuresReported = failuresBefore;
    }

    /** Appends {@code events} to {@code stream}, in one append. */
    @SafeVarargs
    @SuppressWarnings("varargs") // List.of copies the array, which never escapes.
    public final ProjectorScenario<E> given(String stream, E... events) {
        return given(stream, List.of(events));
    }

    /** Appends {@code events} to {@code stream}, in one append. */
    public ProjectorScenario<E> given(String stream, List<? extends E> events) {
        runestone.given(stream, events);
        return this;
    }

    /**
     * Waits until the projector has handled every event appended so far, fails if a handler threw on one, then runs
     * {@code assertions}.
     *
     * @throws AssertionError if the handlers did not finish within 30 seconds, one threw (the first failure is the
     *                        cause), or the assertions failed
     */
    public ProjectorScenario<E> then(Executable assertions) {
        try {
            if (!runestone.store().projector().awaitIdle(TestEventStore.PATIENCE)) {
                throw new AssertionFailedError("The projector's handlers were still running after "
                        + TestEventStore.PATIENCE.toSeconds() + " s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionFailedError("Interrupted while waiting for the projector's handlers", e);
        }
        List<TestEventStore.HandlerFailure> failures = runestone.handlerFailuresFrom(failuresReported);
        failuresReported += failures.size();
        if (!failures.isEmpty()) {
            TestEventStore.HandlerFailure first = failures.getFirst();
            AssertionFailedError failed = new AssertionFailedError(
                    (failures.size() == 1 ? "A projector handler" : failures.size() + " projector handlers")
                            + " failed, first on " + describe(first.record()) + ": " + first.error(), first.error());
            failures.subList(1, failures.size()).forEach(other -> failed.addSuppressed(other.error()));
            throw failed;
        }
        TestEventStore.runAssertions(assertions);
        return this;
    }

    private static String describe(@Nullable EventRecord<?> record) {
        return record == null ? "a batch of events"
                : "event " + record.type() + " at version " + record.version() + " of stream '" + record.stream()
                        + "'";
    }
}
