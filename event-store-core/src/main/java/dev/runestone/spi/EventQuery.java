package dev.runestone.spi;

import dev.runestone.Direction;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Which events to read.
 *
 * @param streams the streams to read, or {@code null} for the whole log; an empty set matches nothing
 * @param types   the event types to keep; empty keeps every type
 * @param cursor  a {@code created} value to start after (exclusive, in the read direction), or {@code null}
 * @param direction ascending or descending {@code created} order
 * @param limit   the largest number of events to return, at least 1 ({@link Integer#MAX_VALUE} for no limit)
 * @param correlationId the correlation id to keep events of, or {@code null} for any; an event stored without one
 *                      is its own correlation, so an event whose id this is matches too
 */
public record EventQuery(@Nullable Set<String> streams, Set<String> types, @Nullable String cursor,
        Direction direction, int limit, @Nullable String correlationId) {

    public EventQuery {
        streams = streams == null ? null : Set.copyOf(streams);
        types = Set.copyOf(types);
        Objects.requireNonNull(direction, "direction");
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1, was " + limit);
        }
    }

    /** A query of any correlation. */
    public EventQuery(@Nullable Set<String> streams, Set<String> types, @Nullable String cursor, Direction direction,
            int limit) {
        this(streams, types, cursor, direction, limit, null);
    }

    /** This query with another cursor. */
    public EventQuery after(@Nullable String cursor) {
        return new EventQuery(streams, types, cursor, direction, limit, correlationId);
    }
}
