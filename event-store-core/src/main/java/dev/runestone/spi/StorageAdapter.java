package dev.runestone.spi;

/**
 * A database an event store runs on: its event log, relations and snapshots.
 *
 * <p>Implementations must be thread-safe: one adapter serves every thread of an {@link dev.runestone.EventStore}.
 * An adapter creates or migrates its tables before it is handed to a store, and {@link #close()} releases every
 * connection it opened (a {@code DataSource} passed in by the user stays the user's to close).
 */
public interface StorageAdapter extends EventStorage, RelationStorage, SnapshotStorage, AutoCloseable {

    /**
     * Reads what a reduce of one stream needs: the snapshot stored under {@code reducer} and {@code stream}, and the
     * events {@code query} finds after the snapshot's cursor ({@code created} greater than it), or every event it
     * finds when there is no snapshot. The query names that one stream, reads in ascending order and has no cursor.
     * This default makes the two reads one after the other; an adapter that pays a round trip per statement should
     * read both in one.
     */
    default SnapshotAndEvents readFromSnapshot(String reducer, String stream, EventQuery query) {
        SnapshotRow snapshot = findSnapshot(reducer, stream).orElse(null);
        EventQuery afterSnapshot = snapshot == null ? query
                : query.after(snapshot.cursor());
        return new SnapshotAndEvents(snapshot, read(afterSnapshot));
    }

    /**
     * A short, stable name for the kind of database, such as {@code sqlite} or {@code postgres}: instrumentation
     * tags what it measures with it. Defaults to the class's simple name.
     */
    default String kind() {
        return getClass().getSimpleName();
    }

    /**
     * Hands the adapter the store's instrumentation, for what only the adapter sees (waits for the log, groups of
     * coalesced appends); called once, when a store is built with an instrumentation, before any other call. An
     * adapter that has nothing to report ignores it, as this default does.
     */
    default void observe(StorageObserver observer) {
    }

    /** Releases the adapter's connections. Calling it twice is harmless. */
    @Override
    void close();
}
