package dev.runestone;

import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * What an append stored.
 *
 * @param records    the events written, in the order given, with their versions and positions
 * @param duplicates ids of events that the store already held, unchanged; appending them again did nothing
 * @param <E>        the event type
 */
public record AppendResult<E>(List<EventRecord<E>> records, Set<UUID> duplicates) {

    public AppendResult {
        records = List.copyOf(records);
        duplicates = Set.copyOf(duplicates);
    }

    /** Tells whether every event was already stored, so nothing was written. */
    public boolean nothingWritten() {
        return records.isEmpty();
    }
}
