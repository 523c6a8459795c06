package dev.runestone;

import dev.runestone.clock.HlcTimestamp;
import dev.runestone.internal.WellFormedText;
import dev.runestone.spi.SnapshotRow;
import dev.runestone.spi.SnapshotStorage;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Reducer snapshots: a reducer's state saved at a cursor, keyed by reducer name and stream or relation key. Reached
 * through {@link EventStore#snapshots()}. Thread-safe.
 *
 * @param <E> the event type
 */
public final class Snapshots<E> {

    /** Reducer names key snapshots beside stream ids and relation keys: the same bound. */
    private static final int MAX_REDUCER_NAME_LENGTH = 512;

    private final EventStore<E> store;
    private final SnapshotStorage storage;

    Snapshots(EventStore<E> store, SnapshotStorage storage) {
        this.store = store;
        this.storage = storage;
    }

    /**
     * Folds every event of the target from the start and saves the state as the reducer's snapshot, replacing any
     * earlier one. Does nothing when the target has no events.
     */
    public <S> void create(Reducer<S, E> reducer, Target target) {
        store.checkOpen();
        Objects.requireNonNull(reducer, "reducer");
        Objects.requireNonNull(target, "target");
        List<EventRecord<E>> events =
                store.read(target, ReadOptions.defaults().types(reducer.types().toArray(Class<?>[]::new)));
        if (events.isEmpty()) {
            return;
        }
        S state = reducer.initialState();
        HlcTimestamp cursor = events.getFirst().created();
        long version = 0;
        for (EventRecord<E> record : events) {
            state = reducer.fold(state, record);
            version = target instanceof Target.OfStream ? Math.max(version, record.version()) : 0;
            cursor = record.created().isAfter(cursor) ? record.created() : cursor;
        }
        save(reducer, target.key(), cursor, version, state);
    }

    /**
     * The reducer's snapshot of the target, if there is one of the reducer's {@linkplain Reducer#stateFingerprint()
     * state shape}.
     */
    public <S> Optional<Snapshot<S>> get(Reducer<S, E> reducer, Target target) {
        store.checkOpen();
        Objects.requireNonNull(reducer, "reducer");
        Objects.requireNonNull(target, "target");
        return storage.findSnapshot(requireReducerName(reducer.name()), target.key())
                .flatMap(row -> fromRow(reducer, row));
    }

    /**
     * The snapshot a stored row holds, decoded into the reducer's state type; empty if it was taken of another shape
     * of the state (its fingerprint differs), which a reduce then folds from the first event and replaces.
     */
    <S> Optional<Snapshot<S>> fromRow(Reducer<S, E> reducer, SnapshotRow row) {
        return decode(reducer, row).map(state -> new Snapshot<>(row.reducer(), row.key(),
                HlcTimestamp.parse(row.cursor()), row.version(), state));
    }

    /**
     * Checks a reducer's name, which keys its snapshots.
     *
     * @throws IllegalArgumentException if it is blank, too long, or not printable, well-formed Unicode
     */
    static String requireReducerName(String name) {
        Objects.requireNonNull(name, "name");
        return WellFormedText.requireIdentifier("Reducer name", name, MAX_REDUCER_NAME_LENGTH);
    }

    /** Deletes the reducer's snapshot of the target, if there is one. */
    public void delete(Reducer<?, E> reducer, Target target) {
        store.checkOpen();
        Objects.requireNonNull(reducer, "reducer");
        Objects.requireNonNull(target, "target");
        storage.deleteSnapshot(requireReducerName(reducer.name()), target.key());
    }

    <S> void save(Reducer<S, E> reducer, String key, HlcTimestamp cursor, long version, Object state) {
        String json = SnapshotJson.write(state, reducer instanceof AggregateReducer, reducer.stateFingerprint());
        storage.saveSnapshot(new SnapshotRow(requireReducerName(reducer.name()), key, cursor.toString(), version, json));
    }

    private <S> Optional<S> decode(Reducer<S, E> reducer, SnapshotRow row) {
        String fingerprint = reducer.stateFingerprint();
        try {
            return reducer instanceof AggregateReducer
                    ? SnapshotJson.readInto(reducer.initialState(), row.state(), fingerprint)
                    : SnapshotJson.read(reducer.stateType(), row.state(), fingerprint);
        } catch (RuntimeException e) {
            throw new EventDecodingException("Cannot read snapshot of reducer '" + row.reducer() + "' for '" + row.key()
                    + "' into " + reducer.stateType().getName() + ": " + e.getMessage()
                    + ". Delete the snapshot; if the state's meaning changed without its shape, declare a new "
                    + "Reducer.stateFingerprint().", e);
        }
    }
}
