package dev.runestone;

import dev.runestone.clock.HlcTimestamp;
import java.util.Arrays;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * How to read events: which types, from which cursor, in which direction, how many. Reads are ordered by
 * {@code created}.
 *
 * <pre>{@code
 * store.read("user-1", ReadOptions.defaults().types(UserEmailSet.class).descending().limit(1));
 * }</pre>
 *
 * @param types     the event classes to keep; empty keeps every type
 * @param cursor    a {@code created} timestamp to start after, exclusive; {@code null} starts at the beginning
 *                  (or the end, descending)
 * @param direction oldest first or newest first
 * @param limit     the most events to return
 */
public record ReadOptions(Set<Class<?>> types, @Nullable HlcTimestamp cursor, Direction direction, int limit) {

    private static final ReadOptions DEFAULTS = new ReadOptions(Set.of(), null, Direction.ASCENDING, Integer.MAX_VALUE);

    public ReadOptions {
        types = Set.copyOf(types);
        Objects.requireNonNull(direction, "direction");
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1, was " + limit);
        }
    }

    /** Every event, oldest first, without a limit. */
    public static ReadOptions defaults() {
        return DEFAULTS;
    }

    /** Keeps only events of these classes. */
    public ReadOptions types(Class<?>... eventClasses) {
        return new ReadOptions(Set.copyOf(Arrays.asList(eventClasses)), cursor, direction, limit);
    }

    /** Starts after this {@code created} timestamp, exclusive. */
    public ReadOptions after(HlcTimestamp cursor) {
        return new ReadOptions(types, Objects.requireNonNull(cursor, "cursor"), direction, limit);
    }

    /** Returns events newest first. */
    public ReadOptions descending() {
        return new ReadOptions(types, cursor, Direction.DESCENDING, limit);
    }

    /** Returns at most {@code limit} events. */
    public ReadOptions limit(int limit) {
        return new ReadOptions(types, cursor, direction, limit);
    }
}
