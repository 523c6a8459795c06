package dev.runestone;

import dev.runestone.internal.WellFormedText;
import java.util.Objects;

/**
 * One link from a relation key to a stream, such as {@code user:42:posts} to a post's stream.
 *
 * @param key    the relation key: 1 to 512 printable characters of well-formed Unicode
 * @param stream the stream it points at, a valid stream id
 */
public record Relation(String key, String stream) {

    /** Relation keys are stored and indexed beside stream ids: the same bound. */
    static final int MAX_KEY_LENGTH = 512;

    public Relation {
        requireKey(key);
        Objects.requireNonNull(stream, "stream");
        try {
            EventStore.requireStream(stream);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("The stream of relation key '" + key + "' is invalid: " + e.getMessage(), e);
        }
    }

    /**
     * Checks a relation key.
     *
     * @throws IllegalArgumentException if it is blank, too long, or not printable, well-formed Unicode
     */
    static String requireKey(String key) {
        Objects.requireNonNull(key, "key");
        return WellFormedText.requireIdentifier("Relation key", key, MAX_KEY_LENGTH);
    }
}
