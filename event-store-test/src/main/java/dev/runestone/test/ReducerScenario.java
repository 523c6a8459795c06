package dev.runestone.test;

import dev.runestone.Reducer;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.opentest4j.AssertionFailedError;

/**
 * Given/then for a reducer: the events of a stream, and the state the reducer folds them into through the store, as
 * {@link dev.runestone.EventStore#reduce(Reducer, String)} does. Made by
 * {@link TestEventStore#reducer(Reducer, String)}.
 *
 * <pre>{@code
 * runestone.reducer(UserSummary.REDUCER, "user-1")
 *         .given(new UserCreated(...), new UserEmailSet("jane@example.org", meta))
 *         .then(new UserSummary("jane@example.org", 1, true));
 * }</pre>
 *
 * <p>The state is compared field by field, nested records and collections included, JDK types with
 * {@code equals}. Not thread-safe.
 *
 * @param <S> the state type
 * @param <E> the event type
 */
public final class ReducerScenario<S, E> {

    private final TestEventStore<E> runestone;
    private final Reducer<S, E> reducer;
    private final String stream;

    ReducerScenario(TestEventStore<E> runestone, Reducer<S, E> reducer, String stream) {
        this.runestone = runestone;
        this.reducer = reducer;
        this.stream = stream;
    }

    /** Appends {@code events} to the stream, in one append. */
    @SafeVarargs
    @SuppressWarnings("varargs") // List.of copies the array, which never escapes.
    public final ReducerScenario<S, E> given(E... events) {
        return given(List.of(events));
    }

    /** Appends {@code events} to the stream, in one append. */
    public ReducerScenario<S, E> given(List<? extends E> events) {
        runestone.given(stream, events);
        return this;
    }

    /** Reduces the stream and checks that the state equals {@code expected}; fails if the stream has no events. */
    public ReducerScenario<S, E> then(S expected) {
        Objects.requireNonNull(expected, "expected");
        Optional<S> folded = runestone.store().reduce(reducer, stream);
        String subject = "Reducer '" + reducer.name() + "'";
        if (folded.isEmpty()) {
            throw new AssertionFailedError(subject + " found no events in stream '" + stream + "' to fold into "
                    + StructuralDiff.show(expected) + "; append some with given(...)");
        }
        StructuralDiff.assertValue(subject + " folded stream '" + stream + "' into another state than expected:",
                "folded", expected, folded.get());
        return this;
    }
}
