package dev.runestone.spi;

import dev.runestone.LogPartition;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/** The append-only event log of a {@link StorageAdapter}. */
public interface EventStorage {

    /**
     * Writes a batch atomically: every new event is stored, or none is.
     *
     * <p>Inside one transaction, in this order:
     * <ol>
     *   <li>An event whose id is already stored is compared with the stored one (stream, type, data, meta and
     *       created). If equal it is skipped and reported in {@link AppendOutcome#duplicates()}; otherwise the
     *       batch fails with {@link dev.runestone.DuplicateEventIdException}.</li>
     *   <li>Each stream named in {@link AppendRequest#expectations()} that still has events to write is checked
     *       against its expected version; a mismatch fails the batch with
     *       {@link dev.runestone.ConcurrencyException}. A stream whose events were all duplicates is not checked,
     *       so a retried append is a no-op rather than a conflict.</li>
     *   <li>The remaining events are written in request order: each gets the next version of its stream
     *       (1, 2, 3 …), the next global {@code position}, and {@link AppendRequest#recorded()}.</li>
     * </ol>
     * The core never sends two events with one id in a single request.
     *
     * @throws dev.runestone.ConcurrencyException   if an expected version does not hold
     * @throws dev.runestone.DuplicateEventIdException if an id is stored with different content
     * @throws dev.runestone.StorageException       if the database fails; nothing was written
     */
    AppendOutcome append(AppendRequest request);

    /**
     * Writes several independent appends, in order, each with the outcome {@link #append} would give it alone: an
     * append whose expectation breaks or whose id holds another event fails alone (its result holds the exception),
     * the others are written, and a later append of the group sees what an earlier one wrote. Adapters that can write
     * the group in one transaction do so, sharing one commit. A failure of the database for reasons not of one append
     * (a lost connection, a failed commit) fails every append it took down: their results hold the
     * {@link dev.runestone.StorageException}, which says, as {@link #append}'s would, whether nothing was written or
     * (a connection lost while a statement was in flight) all or nothing of each append was; when it took down the
     * whole group, the adapter may throw it instead. This default appends them one by one. Adapters call it for the groups {@link GroupCommit} gathers.
     *
     * @return one result per append of {@code group}, in its order
     * @throws dev.runestone.StorageException if the database failed for the whole group
     */
    default List<GroupCommit.Result> appendGroup(List<AppendRequest> group) {
        List<GroupCommit.Result> results = new ArrayList<>(group.size());
        for (AppendRequest request : group) {
            results.add(GroupCommit.Result.of(() -> append(request)));
        }
        return results;
    }

    /**
     * Reads events matching a query, ordered by {@code created} (then {@code position}) in the query's direction.
     */
    List<StoredEvent> read(EventQuery query);

    /**
     * Reads up to {@code limit} events with a position greater than {@code afterPosition}, in position order.
     *
     * <p>The log is read by subscriptions that remember only the last position they handled, so an adapter must
     * never return an event while an event with a lower position may still appear (an append still in flight that
     * took a lower position). It may hold committed events back until their order is final: PostgreSQL does, until
     * every transaction that could still write below them has ended (see its adapter's documentation), so a reader
     * can see an event in {@link #read} or {@link #findById} before it sees it here.
     */
    List<StoredEvent> readLog(long afterPosition, int limit);

    /**
     * Reads up to {@code limit} events of one part of the log with a position greater than {@code afterPosition},
     * in position order, under the same rule as {@link #readLog(long, int)}: never an event while one of a lower
     * position may still appear. Returns events of other parts too if the adapter cannot tell them apart (rows it
     * stored before it kept what it needs); the caller drops them. This default reads a page of the whole log and
     * drops the other parts' events; adapters override it to leave them in the database.
     */
    default LogSlice readLog(long afterPosition, int limit, LogPartition partition) {
        List<StoredEvent> rows = readLog(afterPosition, limit);
        return new LogSlice(rows.stream().filter(row -> partition.holds(row.stream())).toList(),
                rows.isEmpty() ? afterPosition : rows.getLast().position());
    }

    /** Finds the event stored under an id. */
    Optional<StoredEvent> findById(UUID id);

    /**
     * Tells whether {@code stream} holds an event of {@code type} created after {@code created}: the rule that makes
     * an event arriving from another store outdated (see {@link dev.runestone.EventStatus}).
     */
    boolean hasNewerEvent(String stream, String type, String created);

    /**
     * Which of {@code events} are outdated by {@link #hasNewerEvent}'s rule, by id: a durable subscription asks this
     * once per page of stored events it replays. This default asks {@link #hasNewerEvent} once per event; adapters
     * override it to ask the database once.
     */
    default Set<UUID> outdatedAmong(List<EventKey> events) {
        Set<UUID> outdated = new HashSet<>();
        for (EventKey event : events) {
            if (hasNewerEvent(event.stream(), event.type(), event.created())) {
                outdated.add(event.id());
            }
        }
        return outdated;
    }

    /** The version of the last event in a stream, or 0 if the stream has none. */
    long streamVersion(String stream);

    /**
     * Waits until {@link #readLog(long, int) readLog(afterPosition, …)} has an event to return, or until
     * {@code timeout} passes; returns at once if it has one now. This default looks every 100 ms; adapters that can
     * be woken by appends override it.
     *
     * @return {@code true} if there is an event to read, {@code false} if the timeout passed first
     * @throws InterruptedException if the thread is interrupted while waiting
     */
    default boolean awaitEvents(long afterPosition, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + Math.max(0, timeout.toNanos());
        while (true) {
            if (!readLog(afterPosition, 1).isEmpty()) {
                return true;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            TimeUnit.NANOSECONDS.sleep(Math.min(left, TimeUnit.MILLISECONDS.toNanos(100)));
        }
    }
}
