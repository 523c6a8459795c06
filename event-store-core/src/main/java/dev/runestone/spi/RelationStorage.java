package dev.runestone.spi;

import dev.runestone.Relation;
import java.util.Collection;
import java.util.Set;

/** The relation table of a {@link StorageAdapter}: keys that map to sets of streams. */
public interface RelationStorage {

    /** Adds relations; adding one that exists already is a no-op. Atomic. */
    void addRelations(Collection<Relation> relations);

    /** Removes relations; removing one that does not exist is a no-op. Atomic. */
    void removeRelations(Collection<Relation> relations);

    /** The streams related to any of the keys. */
    Set<String> streamsByKeys(Collection<String> keys);

    /** Removes every relation under the keys. */
    void removeRelationsByKeys(Collection<String> keys);

    /** Removes every relation pointing at the streams. */
    void removeRelationsByStreams(Collection<String> streams);
}
