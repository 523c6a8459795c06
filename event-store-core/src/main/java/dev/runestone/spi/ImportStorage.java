package dev.runestone.spi;

import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * What importing events from another store needs from a database: an append that also remembers which events came
 * from elsewhere (so that subscriptions deliver them as hydrated) and drops the snapshots they make stale. An adapter
 * that offers it implements this beside {@link StorageAdapter}.
 */
public interface ImportStorage {

    /**
     * In one transaction: appends the events as {@link EventStorage#append} does (ids already stored with the same
     * content are skipped as duplicates), records every event it stored as imported, outdated if its id is in
     * {@code outdated}, and deletes each snapshot of an event's stream, or of a relation key holding that stream,
     * whose cursor lies after the event's {@code created}: such a snapshot would otherwise never fold the event in.
     */
    AppendOutcome importEvents(AppendRequest request, Set<UUID> outdated);

    /** Of the ids given, those of imported events, each mapped to whether it was outdated when it arrived. */
    Map<UUID, Boolean> importedAmong(Collection<UUID> ids);
}
