package dev.runestone;

import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * What an import stored.
 *
 * @param imported the events stored by this import, with this store's versions and positions
 * @param skipped  the ids that were already here and so were left alone
 * @param outdated the ids of imported events whose stream already held a newer event of their type
 * @param <E>      the event type
 */
public record ImportResult<E>(List<EventRecord<E>> imported, Set<UUID> skipped, Set<UUID> outdated) {

    public ImportResult {
        imported = List.copyOf(imported);
        skipped = Set.copyOf(skipped);
        outdated = Set.copyOf(outdated);
    }
}
