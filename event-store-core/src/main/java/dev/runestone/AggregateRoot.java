package dev.runestone;

import dev.runestone.clock.HlcTimestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Base class of an aggregate: an entity whose state is folded from its stream's events and that records new ones.
 *
 * <pre>{@code
 * final class User extends AggregateRoot<UserEvent> {
 *     String email = "";
 *
 *     protected void with(UserEvent event) {
 *         switch (event) {
 *             case UserCreated created -> email = created.data().email();
 *             case UserEmailSet set -> email = set.data();
 *         }
 *     }
 *
 *     void changeEmail(String email) {
 *         push(new UserEmailSet(email, new Meta("admin")));
 *     }
 * }
 *
 * AggregateReducer<User, UserEvent> users = Reducer.aggregate("user", User::new);
 * User user = store.reduce(users, "user-1").orElseThrow();
 * user.changeEmail("jane@example.com");
 * user.save(); // fails with ConcurrencyException if the stream moved on since it was read
 * }</pre>
 *
 * <p>Saving checks that the stream is still at the version the aggregate was read at, so two writers cannot both
 * act on stale state. Fields of the subclass are saved in snapshots as JSON (Jackson, field access); mark fields
 * that must not be saved {@code transient}. Not thread-safe: use an aggregate from one thread at a time.
 *
 * @param <E> the event type
 */
public abstract class AggregateRoot<E> {

    private transient @Nullable EventStore<E> store;
    private transient @Nullable AggregateReducer<?, E> reducer;
    private transient @Nullable String stream;
    private transient long version;
    private transient @Nullable HlcTimestamp cursor;
    private final transient List<PendingEvent<E>> pending = new ArrayList<>();

    /** Folds one event into this aggregate's fields. Called for stored events and for each {@link #push}. */
    protected abstract void with(E event);

    /**
     * Records a new event for this aggregate's stream: folds it in at once and keeps it pending until
     * {@link #save()}.
     *
     * @throws IllegalStateException if the aggregate was not made by a store
     */
    protected final void push(E event) {
        Objects.requireNonNull(event, "event");
        PendingEvent<E> made = bound().event(stream(), event);
        with(event);
        pending.add(made);
    }

    /**
     * Appends the pending events in one transaction, expecting the stream at the version this aggregate was read
     * at. Does nothing when nothing is pending.
     *
     * @throws ConcurrencyException if another writer appended to the stream since
     */
    public final AppendResult<E> save() {
        return bound().save(List.of(this));
    }

    /**
     * Saves this aggregate's state as a snapshot, so later reads fold only newer events.
     *
     * @throws IllegalStateException if events are pending (save first) or nothing has been folded yet
     */
    public final void snapshot() {
        if (isDirty()) {
            throw new IllegalStateException("Aggregate of stream '" + stream + "' has " + pending.size()
                    + " unsaved events; save() before taking a snapshot");
        }
        if (cursor == null) {
            throw new IllegalStateException("Aggregate of stream '" + stream + "' has no stored events to snapshot");
        }
        bound().snapshots().save(Objects.requireNonNull(reducer), stream(), cursor, version, this);
    }

    /** The stream this aggregate folds. */
    public final String stream() {
        if (stream == null) {
            throw new IllegalStateException(getClass().getSimpleName()
                    + " is not bound to a stream: make it with EventStore.create(...) or EventStore.reduce(...)");
        }
        return stream;
    }

    /** The stream version the aggregate has folded up to; 0 when its stream has no stored events. */
    public final long version() {
        return version;
    }

    /** Tells whether there are pushed events not saved yet. */
    public final boolean isDirty() {
        return !pending.isEmpty();
    }

    /** The pushed events not saved yet, oldest first. */
    public final List<PendingEvent<E>> pending() {
        return List.copyOf(pending);
    }

    final void bind(EventStore<E> store, AggregateReducer<?, E> reducer, @Nullable String stream) {
        this.store = store;
        this.reducer = reducer;
        this.stream = stream;
    }

    final void restore(long version, HlcTimestamp cursor) {
        this.version = version;
        this.cursor = cursor;
    }

    final void fold(EventRecord<E> record) {
        with(record.event());
        version = Math.max(version, record.version());
        if (cursor == null || record.created().isAfter(cursor)) {
            cursor = record.created();
        }
    }

    final void saved(List<EventRecord<E>> records) {
        for (EventRecord<E> record : records) {
            version = Math.max(version, record.version());
            if (cursor == null || record.created().isAfter(cursor)) {
                cursor = record.created();
            }
        }
        pending.clear();
    }

    private EventStore<E> bound() {
        if (store == null) {
            throw new IllegalStateException(getClass().getSimpleName()
                    + " is not bound to a store: make it with EventStore.create(...) or EventStore.reduce(...)");
        }
        return store;
    }
}
