package dev.runestone.spi;

import java.util.Collection;
import java.util.Map;
import java.util.UUID;

/**
 * What importing events from another store needs from a database: an append that also decides which events arrive
 * outdated, remembers which events came from elsewhere (so that subscriptions deliver them as hydrated) and drops the
 * snapshots they make stale. An adapter that offers it implements this beside {@link StorageAdapter}; without it a
 * store refuses to import.
 */
public interface ImportStorage {

    /**
     * In one transaction: decides which events are outdated (their stream already holds a newer event of their type,
     * by {@code created}, counting the events before them in this import; {@link dev.runestone.spi.jdbc.OutdatedCheck}
     * does it for a JDBC adapter), appends the events as {@link EventStorage#append} does (ids already stored with the
     * same content are skipped as duplicates), records every event it stored as imported with that verdict, and
     * deletes each snapshot of an event's stream, or of a relation key holding that stream, whose cursor lies after
     * the event's {@code created}: such a snapshot would otherwise never fold the event in. Deciding in the same
     * transaction keeps the verdict true of what the import was written against.
     */
    ImportOutcome importEvents(AppendRequest request);

    /** Of the ids given, those of imported events, each mapped to whether it was outdated when it arrived. */
    Map<UUID, Boolean> importedAmong(Collection<UUID> ids);
}
