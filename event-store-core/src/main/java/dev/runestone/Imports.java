package dev.runestone;

import dev.runestone.clock.HybridLogicalClock;
import dev.runestone.projector.ProjectionStatus;
import dev.runestone.projector.Projector;
import dev.runestone.spi.AppendRequest;
import dev.runestone.spi.ImportOutcome;
import dev.runestone.spi.ImportStorage;
import dev.runestone.spi.NewEvent;
import dev.runestone.spi.StorageAdapter;
import dev.runestone.spi.StoredEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

/**
 * Events arriving from another store: importing them, and telling how one relates to this store. The store's part
 * in sync between stores; see {@link EventStore#importEvents(List)}. Thread-safe, as the store is.
 *
 * @param <E> the event type
 */
final class Imports<E> {

    /** How far ahead of the wall clock an imported event's {@code created} may be when the clock sets no bound. */
    private static final Duration IMPORT_LEAD = Duration.ofHours(1);

    private final EventStore<E> store;
    private final StorageAdapter adapter;
    private final HybridLogicalClock clock;
    private final Projector<E> projector;

    Imports(EventStore<E> store, StorageAdapter adapter, HybridLogicalClock clock, Projector<E> projector) {
        this.store = store;
        this.adapter = adapter;
        this.clock = clock;
        this.projector = projector;
    }

    /** See {@link EventStore#importEvents(List)}. */
    ImportResult<E> importEvents(List<EventRecord<E>> events) {
        store.checkOpen();
        Objects.requireNonNull(events, "events");
        ImportStorage storage = importStorage();
        Map<UUID, EventRecord<E>> fresh = new LinkedHashMap<>();
        Set<UUID> skipped = new LinkedHashSet<>();
        List<NewEvent> rows = new ArrayList<>();
        Map<UUID, NewEvent> rowsById = new HashMap<>();
        for (EventRecord<E> event : events) {
            Objects.requireNonNull(event, "event");
            NewEvent row = store.encode(event.toPending(), event.origin(), false);
            NewEvent earlier = rowsById.putIfAbsent(event.id(), row);
            if (earlier != null) {
                if (!earlier.sameEventAs(row)) {
                    throw new DuplicateEventIdException(event.id(), event.stream(), event.type());
                }
                skipped.add(event.id());
                continue;
            }
            fresh.put(event.id(), event);
            rows.add(row);
        }
        if (rows.isEmpty()) {
            return new ImportResult<>(List.of(), skipped, Set.of());
        }
        // Before writing: a timestamp too far ahead of the wall clock fails the import, not every append after it.
        fresh.values().forEach(this::requireNotTooFarAhead);
        for (EventRecord<E> event : fresh.values()) {
            clock.update(event.created());
        }
        ImportOutcome outcome = storage.importEvents(new AppendRequest(rows, Map.of(), store.recordedNow()));
        skipped.addAll(outcome.duplicates());
        List<EventRecord<E>> records = new ArrayList<>(outcome.stored().size());
        for (StoredEvent stored : outcome.stored()) {
            EventRecord<E> source = fresh.get(stored.id());
            records.add(new EventRecord<>(stored.id(), stored.stream(), stored.type(), source.event(),
                    source.created(), stored.recorded(), stored.version(), stored.position(), stored.schemaVersion(),
                    stored.origin()));
        }
        for (EventRecord<E> record : records) {
            projector.push(record, outcome.outdated().contains(record.id()) ? ProjectionStatus.OUTDATED
                    : ProjectionStatus.HYDRATED);
        }
        return new ImportResult<>(records, skipped, outcome.outdated());
    }

    /** See {@link EventStore#status(EventRecord)}. */
    EventStatus status(EventRecord<E> event) {
        store.checkOpen();
        Objects.requireNonNull(event, "event");
        if (adapter.findById(event.id()).isPresent()) {
            return new EventStatus(true, true);
        }
        return new EventStatus(false, adapter.hasNewerEvent(event.stream(), event.type(), event.created().toString()));
    }

    /**
     * The adapter's imports. Without them an import would be a plain append: subscriptions would deliver the events
     * as new and stale snapshots would stay, so it is refused instead.
     */
    private ImportStorage importStorage() {
        if (adapter instanceof ImportStorage imports) {
            return imports;
        }
        throw new UnsupportedOperationException("Storage " + adapter + " cannot import events from another store; "
                + "use an adapter that implements ImportStorage, such as SqliteStorage or PostgresStorage.");
    }

    /**
     * Refuses an imported event stamped further ahead of this store's wall clock than the clock's maximum offset, or
     * {@link #IMPORT_LEAD} when the clock sets none: taken in, it would drag every later local timestamp with it.
     */
    private void requireNotTooFarAhead(EventRecord<E> event) {
        Duration limit = clock.maxOffset().isZero() ? IMPORT_LEAD : clock.maxOffset();
        long lead = event.created().time() - clock.wallTime();
        if (lead > limit.toMillis()) {
            throw new IllegalArgumentException("Event " + event.id() + " (type '" + event.type() + "', stream '"
                    + event.stream() + "') was created " + event.created() + ", " + Duration.ofMillis(lead)
                    + " ahead of this store's clock; at most " + limit + " is allowed. The source's clock is wrong, "
                    + "or set a larger maxOffset on this store's HybridLogicalClock. Nothing was imported.");
        }
    }
}
