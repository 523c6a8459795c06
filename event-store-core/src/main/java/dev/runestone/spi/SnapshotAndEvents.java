package dev.runestone.spi;

import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What a reduce of one stream reads: the reducer's snapshot, if there is one, and the events to fold after it.
 *
 * @param snapshot the snapshot stored under the reducer and stream, or {@code null}
 * @param events   the events after the snapshot's cursor, or every event of the query without a snapshot
 */
public record SnapshotAndEvents(@Nullable SnapshotRow snapshot, List<StoredEvent> events) {

    public SnapshotAndEvents {
        events = List.copyOf(Objects.requireNonNull(events, "events"));
    }
}
