package dev.runestone.spi;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

/**
 * What {@link ImportStorage#importEvents} did.
 *
 * @param stored     the events written, in the import's order, with this store's versions and positions
 * @param duplicates the ids of events stored before with the same content, skipped
 * @param outdated   the ids of written events whose stream already held a newer event of their type when they
 *                   arrived
 */
public record ImportOutcome(List<StoredEvent> stored, List<UUID> duplicates, Set<UUID> outdated) {

    public ImportOutcome {
        stored = List.copyOf(stored);
        duplicates = List.copyOf(duplicates);
        outdated = Set.copyOf(Objects.requireNonNull(outdated, "outdated"));
    }

    /** The outcome of an import that wrote {@code written}, keeping the verdicts of the events it stored. */
    public static ImportOutcome of(AppendOutcome written, Set<UUID> outdated) {
        Set<UUID> stored = new HashSet<>();
        written.stored().forEach(event -> stored.add(event.id()));
        Set<UUID> kept = new HashSet<>(outdated);
        kept.retainAll(stored);
        return new ImportOutcome(written.stored(), written.duplicates(), kept);
    }
}
