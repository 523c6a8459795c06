package dev.runestone.spi;

/**
 * A database an event store runs on: its event log, relations and snapshots.
 *
 * <p>Implementations must be thread-safe: one adapter serves every thread of an {@link dev.runestone.EventStore}.
 * An adapter creates or migrates its tables before it is handed to a store, and {@link #close()} releases every
 * connection it opened (a {@code DataSource} passed in by the user stays the user's to close).
 */
public interface StorageAdapter extends EventStorage, RelationStorage, SnapshotStorage, AutoCloseable {

    /** Releases the adapter's connections. Calling it twice is harmless. */
    @Override
    void close();
}
