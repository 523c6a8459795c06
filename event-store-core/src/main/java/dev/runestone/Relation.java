package dev.runestone;

import java.util.Objects;

/**
 * One link from a relation key to a stream, such as {@code user:42:posts} to a post's stream.
 *
 * @param key    the relation key
 * @param stream the stream it points at
 */
public record Relation(String key, String stream) {

    public Relation {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(stream, "stream");
        if (key.isBlank()) {
            throw new IllegalArgumentException("A relation key must not be blank");
        }
        if (stream.isBlank()) {
            throw new IllegalArgumentException("A relation's stream must not be blank (key '" + key + "')");
        }
    }
}
