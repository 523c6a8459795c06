package dev.runestone;

import java.util.Objects;

/**
 * One of {@code count} parts of the log, split by stream: every event of a stream is in the same part, and every
 * event in exactly one. Durable subscriptions split their work this way, and
 * {@link EventStore#readLog(long, int, LogPartition)} reads one part.
 *
 * <p>The part of a stream is {@code Math.floorMod(stream.hashCode(), count)}: {@link String#hashCode()} is specified
 * by the Java SE API, so every JVM and every release of Runestone computes the same part for a stream.
 *
 * @param index the part, from 0 to {@code count - 1}
 * @param count how many parts the log is split into, at least 1
 */
public record LogPartition(int index, int count) {

    public LogPartition {
        if (count < 1) {
            throw new IllegalArgumentException("A log splits into at least 1 part, was " + count);
        }
        if (index < 0 || index >= count) {
            throw new IllegalArgumentException("Part " + index + " of " + count + " does not exist; parts are "
                    + "numbered from 0 to " + (count - 1));
        }
    }

    /** The part of {@code count} that holds {@code stream}'s events. */
    public static int of(String stream, int count) {
        Objects.requireNonNull(stream, "stream");
        return Math.floorMod(stream.hashCode(), count);
    }

    /** Whether this part holds {@code stream}'s events. */
    public boolean holds(String stream) {
        return of(stream, count) == index;
    }
}
