package dev.runestone;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One atomic append across streams, built step by step: events, expected versions, and an optional projection
 * batch key. Made by {@link EventStore#batch()}.
 *
 * <pre>{@code
 * store.batch()
 *         .add("user-1", new UserCreated(...))
 *         .add("user-2", new UserCreated(...))
 *         .expect("user-1", ExpectedVersion.noStream())
 *         .commit();
 * }</pre>
 *
 * <p>Not thread-safe; use once.
 *
 * @param <E> the event type
 */
public final class AppendBatch<E> {

    private final EventStore<E> store;
    private final List<PendingEvent<E>> events = new ArrayList<>();
    private final Map<String, ExpectedVersion> expectations = new LinkedHashMap<>();
    private @Nullable String batchKey;

    AppendBatch(EventStore<E> store) {
        this.store = store;
    }

    /** Adds a new event for a stream. */
    public AppendBatch<E> add(String stream, E event) {
        events.add(store.event(stream, event));
        return this;
    }

    /** Adds an event made earlier, keeping its id and {@code created}. */
    public AppendBatch<E> add(PendingEvent<E> event) {
        events.add(Objects.requireNonNull(event, "event"));
        return this;
    }

    /** Adds events made earlier, keeping their ids and {@code created}. */
    public AppendBatch<E> addAll(Collection<PendingEvent<E>> made) {
        made.forEach(this::add);
        return this;
    }

    /** Requires a stream of this batch to be at {@code version} when the batch commits. */
    public AppendBatch<E> expect(String stream, ExpectedVersion version) {
        expectations.put(Objects.requireNonNull(stream, "stream"), Objects.requireNonNull(version, "version"));
        return this;
    }

    /**
     * Sends the committed events, as one list, to the projector's batch handlers under {@code key} instead of the
     * per-type handlers.
     */
    public AppendBatch<E> projectAsBatch(String key) {
        this.batchKey = Objects.requireNonNull(key, "key");
        return this;
    }

    /**
     * Appends everything atomically.
     *
     * @throws ConcurrencyException     if an expected version does not hold; nothing is written
     * @throws EventValidationException if an event is invalid; nothing is written
     */
    public AppendResult<E> commit() {
        return store.commit(events, expectations, batchKey);
    }
}
