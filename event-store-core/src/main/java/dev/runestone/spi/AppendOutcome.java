package dev.runestone.spi;

import java.util.List;
import java.util.UUID;

/**
 * What an append wrote.
 *
 * @param stored     the events written, in request order, with their versions and positions
 * @param duplicates the ids that were already stored with the same content and so were skipped
 */
public record AppendOutcome(List<StoredEvent> stored, List<UUID> duplicates) {

    public AppendOutcome {
        stored = List.copyOf(stored);
        duplicates = List.copyOf(duplicates);
    }
}
