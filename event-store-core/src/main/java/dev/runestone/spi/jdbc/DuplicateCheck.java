package dev.runestone.spi.jdbc;

import dev.runestone.DuplicateEventIdException;
import dev.runestone.spi.NewEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * An append's events sorted by what the store already holds under their ids, as
 * {@link dev.runestone.spi.EventStorage#append} wants it: events to write, and the ids of repeats of stored events
 * that the append reports as duplicates. The adapter finds the stored events its own way and compares them (by text,
 * or as its JSON type does); the verdict is made here. Immutable and thread-safe.
 */
public final class DuplicateCheck {

    private final List<NewEvent> fresh;
    private final List<UUID> duplicates;

    private DuplicateCheck(List<NewEvent> fresh, List<UUID> duplicates) {
        this.fresh = List.copyOf(fresh);
        this.duplicates = List.copyOf(duplicates);
    }

    /**
     * Sorts {@code events} by {@code sameAsStored}, which tells for an event whether the event stored under its id is
     * the same one ({@code true}), another one ({@code false}), or whether nothing is stored under it ({@code null}).
     *
     * @throws DuplicateEventIdException for the first event whose id holds another event: the append must fail
     */
    public static DuplicateCheck of(List<NewEvent> events, Function<NewEvent, @Nullable Boolean> sameAsStored) {
        List<NewEvent> fresh = new ArrayList<>(events.size());
        List<UUID> duplicates = new ArrayList<>();
        for (NewEvent event : events) {
            Boolean same = sameAsStored.apply(event);
            if (same == null) {
                fresh.add(event);
            } else if (same) {
                duplicates.add(event.id());
            } else {
                throw new DuplicateEventIdException(event.id(), event.stream(), event.type());
            }
        }
        return new DuplicateCheck(fresh, duplicates);
    }

    /** The events whose ids nothing is stored under, in the append's order: what the append writes. */
    public List<NewEvent> fresh() {
        return fresh;
    }

    /** The ids of events stored before with the same content, in the append's order. */
    public List<UUID> duplicates() {
        return duplicates;
    }
}
