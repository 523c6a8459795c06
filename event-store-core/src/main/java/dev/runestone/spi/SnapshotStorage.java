package dev.runestone.spi;

import java.util.Optional;

/** The snapshot table of a {@link StorageAdapter}: one row per reducer name and stream or relation key. */
public interface SnapshotStorage {

    /** Inserts a snapshot or replaces the one stored under the same reducer and key. */
    void saveSnapshot(SnapshotRow snapshot);

    /** Finds the snapshot stored under a reducer name and key. */
    Optional<SnapshotRow> findSnapshot(String reducer, String key);

    /** Deletes the snapshot under a reducer name and key, if there is one. */
    void deleteSnapshot(String reducer, String key);
}
