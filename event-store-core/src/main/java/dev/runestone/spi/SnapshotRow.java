package dev.runestone.spi;

import java.util.Objects;

/**
 * A snapshot as stored.
 *
 * @param reducer the reducer's name
 * @param key     the stream id or relation key the snapshot folds
 * @param cursor  the {@code created} value of the last event folded into the state
 * @param version the highest stream version folded into the state (0 for a relation)
 * @param state   the state as JSON text
 */
public record SnapshotRow(String reducer, String key, String cursor, long version, String state) {

    public SnapshotRow {
        Objects.requireNonNull(reducer, "reducer");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(cursor, "cursor");
        Objects.requireNonNull(state, "state");
    }
}
