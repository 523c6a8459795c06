package dev.runestone;

import dev.runestone.spi.RelationStorage;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Relation keys that group streams, such as {@code user:42:posts} for every post stream of one user, so they can be
 * read or reduced together. Reached through {@link EventStore#relations()}. Thread-safe.
 */
public final class Relations {

    private final RelationStorage storage;
    private final Runnable checkOpen;

    Relations(RelationStorage storage, Runnable checkOpen) {
        this.storage = storage;
        this.checkOpen = checkOpen;
    }

    /** Relates a stream to a key; relating it twice is harmless. */
    public void add(String key, String stream) {
        add(List.of(new Relation(key, stream)));
    }

    /** Adds relations atomically. */
    public void add(Collection<Relation> relations) {
        Objects.requireNonNull(relations, "relations");
        checkOpen.run();
        storage.addRelations(List.copyOf(relations));
    }

    /** Removes one relation, if it exists. */
    public void remove(String key, String stream) {
        remove(List.of(new Relation(key, stream)));
    }

    /** Removes relations atomically. */
    public void remove(Collection<Relation> relations) {
        Objects.requireNonNull(relations, "relations");
        checkOpen.run();
        storage.removeRelations(List.copyOf(relations));
    }

    /** The streams related to a key. */
    public Set<String> streams(String key) {
        return streams(List.of(Objects.requireNonNull(key, "key")));
    }

    /** The streams related to any of the keys. */
    public Set<String> streams(Collection<String> keys) {
        Objects.requireNonNull(keys, "keys");
        checkOpen.run();
        List<String> copy = List.copyOf(keys);
        copy.forEach(Relation::requireKey);
        return copy.isEmpty() ? Set.of() : Set.copyOf(storage.streamsByKeys(copy));
    }

    /** Removes every relation under the keys. */
    public void removeByKeys(Collection<String> keys) {
        Objects.requireNonNull(keys, "keys");
        checkOpen.run();
        List<String> copy = List.copyOf(keys);
        copy.forEach(Relation::requireKey);
        storage.removeRelationsByKeys(copy);
    }

    /** Removes every relation pointing at the streams. */
    public void removeByStreams(Collection<String> streams) {
        Objects.requireNonNull(streams, "streams");
        checkOpen.run();
        List<String> copy = List.copyOf(streams);
        copy.forEach(EventStore::requireStream);
        storage.removeRelationsByStreams(copy);
    }
}
