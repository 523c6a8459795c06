package dev.runestone.spi;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * What durable subscriptions need from a database: checkpoints and leases per subscription partition, parked
 * events, and the ledger of {@code once} handlers that succeeded. An adapter that offers it implements this beside
 * {@link StorageAdapter}; a store on an adapter without it has no durable subscriptions.
 *
 * <p>Leases live in a table with an expiry, never in session locks, so they work through connection poolers that
 * hand out a different connection per transaction. Expiry is judged by one clock (the database's, where it has one)
 * so instances whose clocks differ still agree. Every write is atomic. Implementations are thread-safe.
 */
public interface SubscriptionStorage {

    /**
     * The position after which a subscription starting "from the end" begins: at or after the last event that
     * {@link EventStorage#readLog} can return now; 0 for an empty log.
     */
    long lastPosition();

    /**
     * Stores {@code partitions} as the number of partitions of {@code subscription} if none is stored for it yet, and
     * returns the number stored: {@code partitions} for a new subscription, the earlier number otherwise. Atomic: of
     * instances registering different numbers at once, one number wins and all of them get it back.
     */
    int registerPartitions(String subscription, int partitions);

    /**
     * Records that {@code member} runs {@code subscription} for at least {@code ttl} more, forgets members whose
     * time ran out, and returns how many members are alive, this one included.
     */
    int heartbeat(String subscription, String member, Duration ttl);

    /** Forgets {@code member} at once, so the others take over its share without waiting for it to expire. */
    void leave(String subscription, String member);

    /**
     * Grants {@code owner} the lease on a partition for {@code ttl} if nobody holds a lease that is still valid,
     * with a new, larger fencing token. A partition seen for the first time starts with checkpoint
     * {@code startPosition} and high-water mark {@code highWater}.
     *
     * @return the lease, or empty if another owner holds it
     */
    Optional<Lease> acquireLease(String subscription, int partition, String owner, Duration ttl, long startPosition,
            long highWater);

    /**
     * Extends a held lease by {@code ttl} from now.
     *
     * @return {@code false} if the lease's token is no longer current: another owner took the partition
     */
    boolean renewLease(Lease lease, Duration ttl);

    /** Gives the partition up, so that another owner may take it at once; does nothing if the token is stale. */
    void releaseLease(Lease lease);

    /**
     * Stores {@code position} as the partition's checkpoint (and raises its high-water mark to it), only if the
     * lease's token is still current.
     *
     * @return {@code false} if fenced: another owner took the partition and nothing was written
     */
    boolean commitCheckpoint(Lease lease, long position);

    /**
     * In one transaction: checks the lease's token, runs {@code work}, records the once-ledger keys it returns for
     * {@code eventId}, and stores {@code position} as the checkpoint. If {@code work} throws, nothing is written and
     * the exception propagates as it is, an {@link java.sql.SQLException} included (a subscription retries and parks
     * the event); a failure of the database itself is a {@link dev.runestone.StorageException} (a subscription
     * retries it without counting it against the event). {@link dev.runestone.spi.jdbc.HandlerFailure} keeps the two
     * apart.
     *
     * @return {@code false} if fenced: {@code work} did not run and nothing was written
     */
    boolean commitInTransaction(Lease lease, long position, UUID eventId, TransactionWork work) throws Exception;

    /**
     * In one transaction, without touching any checkpoint: runs {@code work} and records the once-ledger keys it
     * returns for {@code eventId}. Used to retry a parked event.
     */
    void runInTransaction(UUID eventId, TransactionWork work) throws Exception;

    /** Every partition of a subscription, in partition order. */
    List<CheckpointRow> checkpoints(String subscription);

    /**
     * Moves every partition's checkpoint of a subscription to {@code position}, keeping the high-water marks, so
     * that events up to them are delivered again as replays.
     */
    void resetCheckpoints(String subscription, long position);

    /** Stores a parked event, replacing an earlier row for the same subscription and event. */
    void park(ParkedEventRow row);

    /** The parked events of a subscription, in position order. */
    List<ParkedEventRow> parkedEvents(String subscription);

    /** Deletes a parked event; returns whether there was one. */
    boolean deleteParked(String subscription, UUID eventId);

    /** Of the keys given, those the ledger holds for {@code eventId}. */
    Set<String> onceDone(Collection<String> keys, UUID eventId);

    /** Records in the ledger that the {@code once} handler {@code key} succeeded for {@code eventId}. */
    void markOnceDone(String key, UUID eventId);
}
