package dev.runestone;

import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * What an append stored.
 *
 * @param records    the events written, in the order given, with their versions and positions
 * @param duplicates ids of events that were not written again: the store already held them with the same content,
 *                   or the same event appeared twice in this append
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
