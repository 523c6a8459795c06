package dev.runestone;

import java.util.Objects;

/** What a reducer folds: one stream, or every stream under a relation key. */
public sealed interface Target {

    /** One stream. */
    static Target stream(String stream) {
        return new OfStream(stream);
    }

    /** The streams under a relation key, such as {@code user:42:posts}. */
    static Target relation(String key) {
        return new OfRelation(key);
    }

    /** The stream id or relation key; snapshots are stored under it. */
    String key();

    /**
     * One stream.
     *
     * @param key the stream id
     */
    record OfStream(String key) implements Target {

        public OfStream {
            Objects.requireNonNull(key, "stream");
            EventStore.requireStream(key);
        }
    }

    /**
     * The streams under a relation key.
     *
     * @param key the relation key
     */
    record OfRelation(String key) implements Target {

        public OfRelation {
            Relation.requireKey(key);
        }
    }
}
