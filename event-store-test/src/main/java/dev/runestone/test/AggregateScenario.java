package dev.runestone.test;

import dev.runestone.AggregateReducer;
import dev.runestone.AggregateRoot;
import dev.runestone.EventRecord;
import dev.runestone.EventStore;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Given/when/then for one aggregate: the events already in its stream, an action on the aggregate loaded from them,
 * and the events the action recorded or what it threw. Made by
 * {@link TestEventStore#aggregate(AggregateReducer, String)}.
 *
 * <pre>{@code
 * runestone.aggregate(User.REDUCER, "user-1")
 *         .given(new UserCreated(...), new UserDeactivated())
 *         .when(user -> user.changeEmail("jane@example.org"))
 *         .thenThrows(IllegalStateException.class).hasMessage("User user-1 is deactivated");
 * }</pre>
 *
 * <p>Not thread-safe.
 *
 * @param <A> the aggregate type
 * @param <E> the event type
 */
public final class AggregateScenario<A extends AggregateRoot<E>, E> {

    private final TestEventStore<E> runestone;
    private final AggregateReducer<A, E> reducer;
    private final String stream;

    AggregateScenario(TestEventStore<E> runestone, AggregateReducer<A, E> reducer, String stream) {
        this.runestone = runestone;
        this.reducer = reducer;
        this.stream = stream;
    }

    /** Appends {@code events} to the aggregate's stream, in one append: its history before the action. */
    @SafeVarargs
    @SuppressWarnings("varargs") // List.of copies the array, which never escapes.
    public final AggregateScenario<A, E> given(E... events) {
        return given(List.of(events));
    }

    /** Appends {@code events} to the aggregate's stream, in one append: its history before the action. */
    public AggregateScenario<A, E> given(List<? extends E> events) {
        runestone.given(stream, events);
        return this;
    }

    /**
     * Loads the aggregate from its stream (or makes a new one, as {@link EventStore#create} does, when the stream
     * has no events), runs {@code action} on it and saves what it recorded, expecting the stream still where it was
     * read. What the action or the save throws is kept for {@link AggregateOutcome#thenThrows}, not thrown here.
     */
    public AggregateOutcome<A, E> when(Consumer<? super A> action) {
        Objects.requireNonNull(action, "action");
        EventStore<E> store = runestone.store();
        A aggregate = store.reduce(reducer, stream).orElseGet(() -> store.create(reducer, stream));
        String subject = aggregate.getClass().getSimpleName() + " on stream '" + stream + "'";
        try {
            action.accept(aggregate);
        } catch (RuntimeException e) {
            return AggregateOutcome.threw(subject, aggregate, "when(...) threw", e);
        }
        int pending = aggregate.pending().size();
        try {
            List<E> recorded = aggregate.save().records().stream().map(EventRecord::event).toList();
            return AggregateOutcome.recorded(subject, aggregate, recorded);
        } catch (RuntimeException e) {
            return AggregateOutcome.threw(subject, aggregate,
                    "saving the " + StructuralDiff.count(pending) + " it recorded threw", e);
        }
    }
}
