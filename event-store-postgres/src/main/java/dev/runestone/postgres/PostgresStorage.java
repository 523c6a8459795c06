package dev.runestone.postgres;

import com.zaxxer.hikari.pool.HikariPool;
import dev.runestone.LogPartition;
import dev.runestone.Relation;
import dev.runestone.RunestoneException;
import dev.runestone.StorageException;
import dev.runestone.StoreClosedException;
import dev.runestone.spi.AppendOutcome;
import dev.runestone.spi.AppendRequest;
import dev.runestone.spi.CheckpointRow;
import dev.runestone.spi.EventKey;
import dev.runestone.spi.EventQuery;
import dev.runestone.spi.GroupCommit;
import dev.runestone.spi.ImportOutcome;
import dev.runestone.spi.ImportStorage;
import dev.runestone.spi.Lease;
import dev.runestone.spi.LogSlice;
import dev.runestone.spi.NewEvent;
import dev.runestone.spi.ParkedEventRow;
import dev.runestone.spi.SnapshotAndEvents;
import dev.runestone.spi.SnapshotRow;
import dev.runestone.spi.StorageAdapter;
import dev.runestone.spi.StorageObserver;
import dev.runestone.spi.StoredEvent;
import dev.runestone.spi.SubscriptionStorage;
import dev.runestone.spi.TransactionWork;
import dev.runestone.spi.jdbc.HandlerFailure;
import dev.runestone.spi.jdbc.OutdatedCheck;
import dev.runestone.spi.jdbc.RelationWrites;
import dev.runestone.spi.jdbc.SnapshotTable;
import dev.runestone.spi.jdbc.SqlIdentifier;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * Storage adapter that keeps an event store in a PostgreSQL schema, shared by any number of processes.
 *
 * <pre>{@code
 * StorageAdapter storage = PostgresStorage.connect("jdbc:postgresql://db:5432/app?user=app&password=secret");
 * }</pre>
 *
 * <p>Built from a JDBC URL, the adapter runs its own HikariCP pool and closes it in {@link #close()}; built on a
 * {@code DataSource} of yours ({@link #connect(DataSource)}), it borrows connections from it and leaves it open.
 * Opening creates the schema ({@code runestone} unless {@link Builder#schema(String) chosen}) and its tables, or
 * migrates them to this version; processes that open the same schema at once take turns.
 *
 * <p><b>Global order.</b> {@link #readLog(long, int)} never skips an event: it returns only events whose writing
 * transaction, and every transaction that could still write a lower position, has ended. An append that is still in
 * flight, anywhere in the cluster, holds readers back (never writers) until it ends; a rolled-back append leaves a
 * gap in the numbers, never a missing event. {@link #awaitEvents(long, Duration)} waits for new events without
 * polling, woken by {@code LISTEN}/{@code NOTIFY}. {@code docs/postgres.md} explains the mechanism and its limits.
 *
 * <p><b>Subscriptions and imports.</b> It also keeps durable subscriptions ({@link SubscriptionStorage}: checkpoints,
 * leases with fencing tokens judged by the server's clock, parked events, the once ledger) and imports
 * ({@link ImportStorage}) in six more tables of the schema. Leases are rows, not session locks, so they work behind
 * a transaction-mode connection pooler. See {@code docs/subscriptions.md}.
 *
 * <p><b>Thread-safety.</b> Instances are thread-safe and meant to be shared by every thread of a process; each call
 * borrows a connection for its duration; appends that arrive while others are being written share statements
 * ({@link Builder#coalesceAppends(boolean)}). Once {@link #close()} has run, every method throws
 * {@link StoreClosedException}.
 */
public final class PostgresStorage implements StorageAdapter, SubscriptionStorage, ImportStorage {

    private static final String DEFAULT_SCHEMA = "runestone";
    private static final int DEFAULT_POOL_SIZE = 10;
    private static final Duration DEFAULT_CONNECTION_TIMEOUT = Duration.ofSeconds(30);

    /** How often one append runs again after losing a race on a unique constraint before giving up. */
    private static final int MAX_APPEND_ATTEMPTS = 50;

    /** The most events a group of coalesced appends gathers: enough to share a commit, few enough to wait little. */
    private static final int MAX_EVENTS_PER_GROUP = 1_000;
    /** How long a waiting reader sleeps at most between looks while it cannot rely on notifications. */
    private static final long LONGEST_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(250);

    private final PostgresConnections connections;
    private final Tables tables;
    private final EventLog events;
    private final RelationTable relations;
    private final RelationWrites relationWrites;
    private final SnapshotTable snapshots;
    private final AppendListener listener;
    private final AppendNotifier notifier;
    private final SubscriptionTables subscriptions;
    private final ImportTable imports;
    private final @Nullable GroupCommit groups;
    private volatile StorageObserver observer = StorageObserver.NONE;

    private PostgresStorage(PostgresConnections connections, Tables tables, boolean coalesceAppends) {
        this.connections = connections;
        this.groups = coalesceAppends
                ? new GroupCommit(this::appendGroup, MAX_EVENTS_PER_GROUP, connections::closedFailure)
                : null;
        this.tables = tables;
        this.events = new EventLog(tables);
        this.relations = new RelationTable(tables);
        this.relationWrites = new RelationWrites(relations, connections::requireOpen,
                (action, write) -> attempt(action, Outcome.NOTHING_CHANGED, () -> connections.autoCommit(connection -> {
                    write.run(connection);
                    return null;
                })));
        this.snapshots = new SnapshotTable(tables.snapshots());
        this.listener = new AppendListener(connections, tables.channel());
        this.notifier = new AppendNotifier(connections, tables.channel());
        this.subscriptions = new SubscriptionTables(tables);
        this.imports = new ImportTable(tables);
    }

    /**
     * Connects to the database at {@code jdbcUrl} through a pool of its own, in schema {@code runestone}, creating
     * the schema and its tables if needed.
     *
     * @param jdbcUrl e.g. {@code jdbc:postgresql://localhost:5432/app?user=app&password=secret}
     * @throws StorageException if the server cannot be reached or the schema cannot be created or migrated
     */
    public static PostgresStorage connect(String jdbcUrl) {
        return builder().jdbcUrl(jdbcUrl).build();
    }

    /**
     * Uses connections from {@code dataSource}, in schema {@code runestone}, creating the schema and its tables if
     * needed. {@link #close()} leaves the data source open.
     *
     * @throws StorageException if no connection can be had or the schema cannot be created or migrated
     */
    public static PostgresStorage connect(DataSource dataSource) {
        return builder().dataSource(dataSource).build();
    }

    /** Starts configuring a store: choose {@link Builder#jdbcUrl(String)} or {@link Builder#dataSource}, then build. */
    public static Builder builder() {
        return new Builder();
    }

    /** The schema this store keeps its tables in. */
    public String schema() {
        return tables.schema();
    }

    /**
     * Writes a batch in one statement, which is one transaction and one round trip to the server whatever the
     * batch's size (a single event that turns out to be a repeat or a conflict takes a second statement, which
     * reports it). An append that loses a race for a stream version to another writer runs again: under
     * {@link dev.runestone.ExpectedVersion#any()} it then goes after the winner's events, under an exact expectation
     * it fails with {@link dev.runestone.ConcurrencyException}.
     *
     * @throws IllegalArgumentException if the batch holds more than 1,048,576 events
     * @throws StorageException         if the database fails; see its message for what was written
     */
    @Override
    public AppendOutcome append(AppendRequest request) {
        Objects.requireNonNull(request, "request");
        connections.requireOpen();
        return groups == null ? appendAlone(request) : groups.append(request);
    }

    /** One append in a statement and transaction of its own. */
    private AppendOutcome appendAlone(AppendRequest request) {
        int size = request.events().size();
        if (size == 0) {
            return new AppendOutcome(List.of(), List.of());
        }
        if (size > EventLog.MAX_EVENTS_PER_APPEND) {
            throw tooLarge(size);
        }
        AppendOutcome outcome = attempt(appending(request), Outcome.NOTHING_WRITTEN,
                () -> connections.autoCommit(
                        connection -> retryingLostRaces(() -> events.append(connection, request))));
        appended(!outcome.stored().isEmpty());
        return outcome;
    }

    /**
     * Writes the group in as few statements as the appends allow, each statement one transaction holding appends
     * that share no stream and no event id (appends to one stream go in arrival order, the later in a later
     * statement), each append succeeding or failing alone. A statement that fails for a reason of the database fails
     * its appends and those after it; one that fails for a reason of one append's data (a value the server
     * refuses) is run again append by append, so that only that append fails. Appends of statements that committed
     * keep their outcomes.
     */
    @Override
    public List<GroupCommit.Result> appendGroup(List<AppendRequest> group) {
        connections.requireOpen();
        observer.appendsCoalesced(group.size());
        if (group.size() == 1) {
            return List.of(GroupCommit.Result.of(() -> appendAlone(group.getFirst())));
        }
        List<GroupCommit.Result> results = new ArrayList<>(group.size());
        for (AppendRequest request : group) {
            if (request.events().size() > EventLog.MAX_EVENTS_PER_APPEND) {
                results.add(GroupCommit.Result.failed(tooLarge(request.events().size())));
            } else {
                results.add(null);
            }
        }
        List<List<Integer>> statements = statements(group, results);
        try {
            attempt("Appending " + group.size() + " concurrent appends", Outcome.NOTHING_WRITTEN,
                    () -> connections.autoCommit(connection -> {
                        for (List<Integer> statement : statements) {
                            writeStatement(connection, group, statement, results);
                        }
                        return null;
                    }));
        } catch (RuntimeException e) {
            for (int i = 0; i < results.size(); i++) {
                if (results.get(i) == null) {
                    results.set(i, GroupCommit.Result.failed(e));
                }
            }
        }
        return results;
    }

    /**
     * Sorts the appends still to write into statements: each goes into the first statement after every one that
     * holds one of its streams or ids, and that still has room for its events.
     */
    private static List<List<Integer>> statements(List<AppendRequest> group, List<GroupCommit.@Nullable Result> results) {
        List<List<Integer>> statements = new ArrayList<>();
        List<Integer> eventsIn = new ArrayList<>();
        Map<Object, Integer> lastStatementOf = new HashMap<>();
        for (int member = 0; member < group.size(); member++) {
            if (results.get(member) != null) {
                continue;
            }
            List<NewEvent> events = group.get(member).events();
            int statement = 0;
            for (NewEvent event : events) {
                statement = Math.max(statement, lastStatementOf.getOrDefault(event.stream(), -1) + 1);
                statement = Math.max(statement, lastStatementOf.getOrDefault(event.id(), -1) + 1);
            }
            while (statement < statements.size()
                    && eventsIn.get(statement) + events.size() > EventLog.MAX_EVENTS_PER_APPEND) {
                statement++;
            }
            if (statement == statements.size()) {
                statements.add(new ArrayList<>());
                eventsIn.add(0);
            }
            statements.get(statement).add(member);
            eventsIn.set(statement, eventsIn.get(statement) + events.size());
            for (NewEvent event : events) {
                lastStatementOf.put(event.stream(), statement);
                lastStatementOf.put(event.id(), statement);
            }
        }
        return statements;
    }

    /**
     * Runs one statement of a group and records its appends' results. A statement the server refuses for what one
     * append holds (a data error or a constraint of the user's) runs again append by append, each recorded as soon as
     * it is known, so that only that append fails; any other failure propagates and fails the appends not recorded.
     */
    private void writeStatement(Connection connection, List<AppendRequest> group, List<Integer> members,
            List<GroupCommit.@Nullable Result> results) throws SQLException {
        List<AppendRequest> requests = members.stream().map(group::get).toList();
        if (requests.size() > 1) {
            try {
                List<GroupCommit.Result> written = retryingLostRaces(() -> events.appendGroup(connection, requests));
                for (int i = 0; i < members.size(); i++) {
                    results.set(members.get(i), written.get(i));
                }
                appended(written.stream().anyMatch(GroupCommit.Result::wroteEvents));
                return;
            } catch (SQLException e) {
                if (!refusedForItsData(e)) {
                    throw e;
                }
            }
        }
        for (int i = 0; i < members.size(); i++) {
            GroupCommit.Result result = alone(connection, requests.get(i));
            results.set(members.get(i), result);
            appended(result.wroteEvents());
        }
    }

    /**
     * Whether the server refused a statement for what an append holds, not for its own state: a data exception
     * ({@code 22…}), an integrity constraint other than the unique ones races break ({@code 23…}), or a program
     * limit such as an over-long value ({@code 54…}).
     */
    private static boolean refusedForItsData(SQLException e) {
        String state = e.getSQLState();
        return state != null && !lostARace(e)
                && (state.startsWith("22") || state.startsWith("23") || state.startsWith("54"));
    }

    /**
     * One append of a group on its own: its own conflict or repeated id is its result; a failure of the database
     * on its data is its result too, unless the connection is lost, which propagates to fail the group.
     */
    private GroupCommit.Result alone(Connection connection, AppendRequest request) throws SQLException {
        try {
            return GroupCommit.Result.appended(retryingLostRaces(() -> events.append(connection, request)));
        } catch (SQLException e) {
            if (isConnectionLost(e)) {
                throw e;
            }
            return GroupCommit.Result.failed(failure(appending(request), Outcome.NOTHING_WRITTEN.text(e), e));
        } catch (RuntimeException e) {
            return GroupCommit.Result.failed(e);
        }
    }

    private static String appending(AppendRequest request) {
        return "Appending " + request.events().size() + " event(s)";
    }

    private static IllegalArgumentException tooLarge(int size) {
        return new IllegalArgumentException("An append to PostgreSQL holds at most " + EventLog.MAX_EVENTS_PER_APPEND
                + " events, this one has " + size + "; split it into several.");
    }
    /** Wakes this process's waiting readers at once and, through the notifier, every other process's. */
    private void appended(boolean stored) {
        if (stored) {
            listener.appendedHere();
            notifier.appended();
        }
    }

    @Override
    public List<StoredEvent> read(EventQuery query) {
        Objects.requireNonNull(query, "query");
        connections.requireOpen();
        Set<String> streams = query.streams();
        if (streams != null && streams.isEmpty()) {
            return List.of();
        }
        return attempt("Reading events", Outcome.NOTHING_READ,
                () -> connections.autoCommit(connection -> events.read(connection, query)));
    }

    /**
     * Reads up to {@code limit} events after {@code afterPosition}, in position order, stopping before the first
     * position a transaction still in flight could take: what it returns is final, and a reader that continues
     * from the last position it got misses nothing. It may return fewer events than are committed, or none, while
     * such a transaction runs.
     */
    @Override
    public List<StoredEvent> readLog(long afterPosition, int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1, was " + limit);
        }
        return attempt("Reading the log after position " + afterPosition, Outcome.NOTHING_READ,
                () -> connections.autoCommit(connection -> events.readLog(connection, afterPosition, limit)));
    }

    @Override
    public LogSlice readLog(long afterPosition, int limit, LogPartition partition) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1, was " + limit);
        }
        return attempt("Reading part " + partition.index() + " of " + partition.count() + " of the log after position "
                + afterPosition, Outcome.NOTHING_READ,
                () -> connections.autoCommit(connection -> events.readPart(connection, afterPosition, limit,
                        partition)));
    }

    /**
     * Waits until {@link #readLog(long, int) readLog(afterPosition, …)} has an event to return, or until
     * {@code timeout} passes; returns at once if it has one now.
     *
     * <p>Appends in any process wake waiters through {@code NOTIFY} on channel {@code <schema>_events}, listened to
     * by one connection per store that opens with the first wait. A notification can be lost (the connection
     * dropped, the server restarted); that only delays a waiter, which looks at the log again whenever the listening
     * connection comes back and polls while it is down or while a transaction in flight holds committed events back.
     *
     * @return {@code true} if there is an event to read, {@code false} if the timeout passed first
     * @throws InterruptedException if the thread is interrupted while waiting
     * @throws StorageException     if the database fails while looking
     */
    @Override
    public boolean awaitEvents(long afterPosition, Duration timeout) throws InterruptedException {
        Objects.requireNonNull(timeout, "timeout");
        connections.requireOpen();
        long deadline = System.nanoTime() + Math.max(0, timeout.toNanos());
        long pollNanos = TimeUnit.MILLISECONDS.toNanos(5);
        long heldBackSince = 0;
        boolean heldBack = false;
        while (true) {
            long seen = listener.generation();
            EventLog.Probe probe = attempt("Looking for events after position " + afterPosition, Outcome.NOTHING_READ,
                    () -> connections.autoCommit(connection -> events.probe(connection, afterPosition)));
            if (probe == EventLog.Probe.HELD_BACK && !heldBack) {
                heldBack = true;
                heldBackSince = System.nanoTime();
            }
            if (probe == EventLog.Probe.READABLE) {
                if (heldBack) {
                    observer.logHeldBack(Duration.ofNanos(System.nanoTime() - heldBackSince));
                }
                return true;
            }
            // Started by the first wait that finds nothing; a reader that never waits never holds the connection.
            listener.start();
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                if (heldBack) {
                    observer.logHeldBack(Duration.ofNanos(System.nanoTime() - heldBackSince));
                }
                return false;
            }
            if (probe == EventLog.Probe.HELD_BACK || !listener.isListening()) {
                // No notification marks the end of the transaction holding readers back, or none can arrive now.
                listener.awaitChange(seen, Math.min(left, pollNanos));
                pollNanos = Math.min(LONGEST_POLL_NANOS, pollNanos * 2);
            } else {
                listener.awaitChange(seen, left);
            }
            connections.requireOpen();
        }
    }

    @Override
    public String kind() {
        return "postgres";
    }

    /**
     * Reports to {@code observer} how long each wait in {@link #awaitEvents} was held back by a transaction in
     * flight, from the first look that found committed events held back until they became readable or the wait
     * ended; and the size of each group of coalesced appends.
     */
    @Override
    public void observe(StorageObserver observer) {
        this.observer = Objects.requireNonNull(observer, "observer");
    }

    /** How many append notifications this store's listening connection has received; for tests. */
    long notificationsReceived() {
        return listener.notificationsReceived();
    }

    /** The SQL of the events table, for tests that hold an append in a transaction of their own. */
    EventLog eventLog() {
        return events;
    }

    /** The names this store uses. */
    Tables tables() {
        return tables;
    }

    @Override
    public Optional<StoredEvent> findById(UUID id) {
        Objects.requireNonNull(id, "id");
        return attempt("Finding event " + id, Outcome.NOTHING_READ,
                () -> connections.autoCommit(connection -> events.findById(connection, id)));
    }

    @Override
    public Set<UUID> outdatedAmong(List<EventKey> keys) {
        return attempt("Looking for newer events than " + keys.size() + " stored ones", Outcome.NOTHING_READ,
                () -> connections.autoCommit(connection -> events.outdatedAmong(connection, keys)));
    }

    @Override
    public boolean hasNewerEvent(String stream, String type, String created) {
        Objects.requireNonNull(stream, "stream");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(created, "created");
        return attempt("Looking for newer '" + type + "' events in stream '" + stream + "'", Outcome.NOTHING_READ,
                () -> connections.autoCommit(connection -> events.hasNewerEvent(connection, stream, type, created)));
    }

    @Override
    public long streamVersion(String stream) {
        Objects.requireNonNull(stream, "stream");
        return attempt("Reading the version of stream '" + stream + "'", Outcome.NOTHING_READ,
                () -> connections.autoCommit(connection -> events.streamVersion(connection, stream)));
    }

    @Override
    public void addRelations(Collection<Relation> relations) {
        relationWrites.add(relations);
    }

    @Override
    public void removeRelations(Collection<Relation> relations) {
        relationWrites.remove(relations);
    }

    @Override
    public Set<String> streamsByKeys(Collection<String> keys) {
        Objects.requireNonNull(keys, "keys");
        connections.requireOpen();
        if (keys.isEmpty()) {
            return Set.of();
        }
        return attempt("Reading the streams of " + keys.size() + " relation key(s)", Outcome.NOTHING_READ,
                () -> connections.autoCommit(connection -> relations.streamsByKeys(connection, keys)));
    }

    @Override
    public void removeRelationsByKeys(Collection<String> keys) {
        relationWrites.removeByKeys(keys);
    }

    @Override
    public void removeRelationsByStreams(Collection<String> streams) {
        relationWrites.removeByStreams(streams);
    }

    @Override
    public void saveSnapshot(SnapshotRow snapshot) {
        Objects.requireNonNull(snapshot, "snapshot");
        attempt("Saving snapshot '" + snapshot.reducer() + "' of '" + snapshot.key() + "'", Outcome.NOTHING_CHANGED,
                () -> connections.autoCommit(connection -> {
                    snapshots.save(connection, snapshot);
                    return null;
                }));
    }

    /** Reads the snapshot and the events after it in one statement: one round trip for a reduce. */
    @Override
    public SnapshotAndEvents readFromSnapshot(String reducer, String stream, EventQuery query) {
        Objects.requireNonNull(reducer, "reducer");
        Objects.requireNonNull(stream, "stream");
        Objects.requireNonNull(query, "query");
        return attempt("Reading snapshot '" + reducer + "' of '" + stream + "' and the events after it",
                Outcome.NOTHING_READ, () -> connections.autoCommit(
                        connection -> events.readFromSnapshot(connection, reducer, stream, query)));
    }

    @Override
    public Optional<SnapshotRow> findSnapshot(String reducer, String key) {
        Objects.requireNonNull(reducer, "reducer");
        Objects.requireNonNull(key, "key");
        return attempt("Reading snapshot '" + reducer + "' of '" + key + "'", Outcome.NOTHING_READ,
                () -> connections.autoCommit(connection -> snapshots.find(connection, reducer, key)));
    }

    @Override
    public void deleteSnapshot(String reducer, String key) {
        Objects.requireNonNull(reducer, "reducer");
        Objects.requireNonNull(key, "key");
        attempt("Deleting snapshot '" + reducer + "' of '" + key + "'", Outcome.NOTHING_CHANGED,
                () -> connections.autoCommit(connection -> {
                    snapshots.delete(connection, reducer, key);
                    return null;
                }));
    }

    /**
     * Imports in one transaction (the append statement, the import records and the stale snapshots' deletion); like
     * {@link #append}, an import that loses a race on a unique constraint runs again.
     */
    @Override
    public ImportOutcome importEvents(AppendRequest request) {
        Objects.requireNonNull(request, "request");
        connections.requireOpen();
        int size = request.events().size();
        if (size == 0) {
            return new ImportOutcome(List.of(), List.of(), Set.of());
        }
        if (size > EventLog.MAX_EVENTS_PER_APPEND) {
            throw new IllegalArgumentException("An import to PostgreSQL holds at most "
                    + EventLog.MAX_EVENTS_PER_APPEND + " events, this one has " + size + "; split it into several.");
        }
        // Each attempt is a transaction of its own: a failed statement leaves PostgreSQL's transaction unusable.
        ImportOutcome outcome = attempt("Importing " + size + " event(s)", Outcome.NOTHING_WRITTEN,
                () -> retryingLostRaces(() -> connections.transaction(connection -> {
                    Set<UUID> outdated = OutdatedCheck.outdated(request.events(),
                            (stream, type, created) -> events.hasNewerEvent(connection, stream, type, created));
                    AppendOutcome appended = events.append(connection, request);
                    imports.record(connection, appended.stored(), outdated);
                    return ImportOutcome.of(appended, outdated);
                })));
        appended(!outcome.stored().isEmpty());
        return outcome;
    }

    @Override
    public Map<UUID, Boolean> importedAmong(Collection<UUID> ids) {
        Objects.requireNonNull(ids, "ids");
        if (ids.isEmpty()) {
            return Map.of();
        }
        return attempt("Looking up " + ids.size() + " imported event(s)", Outcome.NOTHING_READ,
                () -> connections.autoCommit(connection -> imports.importedAmong(connection, ids)));
    }

    @Override
    public long lastPosition() {
        return attempt("Reading the last settled position", Outcome.NOTHING_READ,
                () -> connections.autoCommit(subscriptions::lastPosition));
    }

    @Override
    public int registerPartitions(String subscription, int partitions) {
        return attempt("Registering the partitions of subscription '" + subscription + "'", Outcome.NOTHING_CHANGED,
                () -> connections.autoCommit(
                        connection -> subscriptions.registerPartitions(connection, subscription, partitions)));
    }

    @Override
    public int heartbeat(String subscription, String member, Duration ttl) {
        return attempt("Recording member '" + member + "' of subscription '" + subscription + "'",
                Outcome.NOTHING_CHANGED, () -> connections.autoCommit(
                        connection -> subscriptions.heartbeat(connection, subscription, member, ttl.toMillis())));
    }

    @Override
    public void leave(String subscription, String member) {
        attempt("Removing member '" + member + "' of subscription '" + subscription + "'", Outcome.NOTHING_CHANGED,
                () -> connections.autoCommit(connection -> {
                    subscriptions.leave(connection, subscription, member);
                    return null;
                }));
    }

    @Override
    public Optional<Lease> acquireLease(String subscription, int partition, String owner, Duration ttl,
            long startPosition, long highWater) {
        return attempt("Taking the lease of subscription '" + subscription + "' partition " + partition,
                Outcome.NOTHING_CHANGED, () -> connections.autoCommit(connection -> subscriptions.acquire(connection,
                        subscription, partition, owner, ttl.toMillis(), startPosition, highWater)));
    }

    @Override
    public boolean renewLease(Lease lease, Duration ttl) {
        return attempt("Renewing the lease of subscription '" + lease.subscription() + "' partition "
                + lease.partition(), Outcome.NOTHING_CHANGED,
                () -> connections.autoCommit(connection -> subscriptions.renew(connection, lease, ttl.toMillis())));
    }

    @Override
    public void releaseLease(Lease lease) {
        attempt("Releasing the lease of subscription '" + lease.subscription() + "' partition " + lease.partition(),
                Outcome.NOTHING_CHANGED, () -> connections.autoCommit(connection -> {
                    subscriptions.release(connection, lease);
                    return null;
                }));
    }

    @Override
    public boolean commitCheckpoint(Lease lease, long position) {
        return attempt("Committing the checkpoint of subscription '" + lease.subscription() + "' partition "
                + lease.partition(), Outcome.NOTHING_CHANGED,
                () -> connections.autoCommit(connection -> subscriptions.commit(connection, lease, position)));
    }

    @Override
    public boolean commitInTransaction(Lease lease, long position, UUID eventId, TransactionWork work)
            throws Exception {
        try {
            return attempt("Committing event " + eventId + " with the checkpoint of subscription '"
                    + lease.subscription() + "' partition " + lease.partition(), Outcome.NOTHING_CHANGED,
                    () -> connections.transactionThrowing(connection -> subscriptions.commitWith(connection, lease,
                            position, eventId, HandlerFailure.marking(work))));
        } catch (HandlerFailure failure) {
            throw failure.handlerError();
        }
    }

    @Override
    public void runInTransaction(UUID eventId, TransactionWork work) throws Exception {
        try {
            attempt("Handling event " + eventId + " in a transaction", Outcome.NOTHING_CHANGED,
                    () -> connections.transactionThrowing(connection -> {
                        subscriptions.ledger().markDone(connection, HandlerFailure.marking(work).run(connection), eventId);
                        return null;
                    }));
        } catch (HandlerFailure failure) {
            throw failure.handlerError();
        }
    }

    @Override
    public List<CheckpointRow> checkpoints(String subscription) {
        return attempt("Reading the checkpoints of subscription '" + subscription + "'", Outcome.NOTHING_READ,
                () -> connections.autoCommit(connection -> subscriptions.checkpoints().checkpoints(connection, subscription)));
    }

    @Override
    public void resetCheckpoints(String subscription, long position) {
        attempt("Resetting the checkpoints of subscription '" + subscription + "'", Outcome.NOTHING_CHANGED,
                () -> connections.autoCommit(connection -> {
                    subscriptions.checkpoints().reset(connection, subscription, position);
                    return null;
                }));
    }

    @Override
    public void park(ParkedEventRow row) {
        attempt("Parking event " + row.eventId() + " of subscription '" + row.subscription() + "'",
                Outcome.NOTHING_CHANGED, () -> connections.autoCommit(connection -> {
                    subscriptions.parked().park(connection, row);
                    return null;
                }));
    }

    @Override
    public List<ParkedEventRow> parkedEvents(String subscription) {
        return attempt("Reading the parked events of subscription '" + subscription + "'", Outcome.NOTHING_READ,
                () -> connections.autoCommit(connection -> subscriptions.parked().parked(connection, subscription)));
    }

    @Override
    public boolean deleteParked(String subscription, UUID eventId) {
        return attempt("Deleting parked event " + eventId + " of subscription '" + subscription + "'",
                Outcome.NOTHING_CHANGED, () -> connections.autoCommit(
                        connection -> subscriptions.parked().delete(connection, subscription, eventId)));
    }

    @Override
    public Set<String> onceDone(Collection<String> keys, UUID eventId) {
        if (keys.isEmpty()) {
            return Set.of();
        }
        return attempt("Reading the once ledger for event " + eventId, Outcome.NOTHING_READ,
                () -> connections.autoCommit(connection -> subscriptions.ledger().done(connection, keys, eventId)));
    }

    @Override
    public void markOnceDone(String key, UUID eventId) {
        attempt("Recording once handler '" + key + "' for event " + eventId, Outcome.NOTHING_CHANGED,
                () -> connections.autoCommit(connection -> {
                    subscriptions.ledger().markDone(connection, List.of(key), eventId);
                    return null;
                }));
    }

    /**
     * Stops the listening connection and, if the store made its own pool, closes it; a {@code DataSource} passed in
     * stays open. Calls still running may fail with {@link StoreClosedException}. Calling it again does nothing.
     */
    @Override
    public void close() {
        if (groups != null) {
            groups.close();
        }
        notifier.close();
        listener.close();
        connections.close();
    }

    /** Names the database and schema, for logs. */
    @Override
    public String toString() {
        return "PostgresStorage[" + connections.location() + ", schema '" + tables.schema() + "']";
    }

    /** A call on the database: whatever it throws besides {@link SQLException} ({@code X}) passes through as it is. */
    @FunctionalInterface
    private interface Call<T, X extends Exception> {
        T run() throws SQLException, X;
    }

    /**
     * Runs {@code call} if the store is open, turning a {@link SQLException} into the exception that says what was
     * attempted ({@code action}), what the failure left behind and what to do next: {@link StoreClosedException} if
     * the store was closed meanwhile, {@link StorageException} otherwise. Every call of the store goes through here.
     */
    private <T, X extends Exception> T attempt(String action, Outcome outcome, Call<T, X> call) throws X {
        connections.requireOpen();
        try {
            return call.run();
        } catch (SQLException e) {
            throw failure(action, outcome.text(e), e);
        }
    }

    /** What a failed call left behind, as its message tells. */
    private enum Outcome {
        NOTHING_READ,
        NOTHING_CHANGED,
        /**
         * An append's: nothing was written, unless the connection broke while its statement was in flight, when the
         * server may have committed it before.
         */
        NOTHING_WRITTEN;

        String text(SQLException cause) {
            return switch (this) {
                case NOTHING_READ -> "nothing was read";
                case NOTHING_CHANGED -> "nothing was changed";
                case NOTHING_WRITTEN -> cause instanceof PostgresConnections.ConnectionUnavailableException
                        || !isConnectionLost(cause)
                        ? "nothing was written"
                        : "the connection broke while the append was in flight, so it either took effect entirely or "
                                + "not at all. Appending the same events again is safe: ids already stored come back "
                                + "as duplicates";
            };
        }
    }

    /**
     * Runs {@code attempt} again while it loses a race on a unique constraint to another writer, up to
     * {@link #MAX_APPEND_ATTEMPTS} times: the next snapshot sees the winner's rows and decides. The first retries run
     * at once; from the third attempt on, a random pause of up to 20 ms spreads out writers that keep taking the
     * same stream's next version.
     */
    private static <T> T retryingLostRaces(Call<T, RuntimeException> attempt) throws SQLException {
        for (int attempts = 1; ; attempts++) {
            try {
                return attempt.run();
            } catch (SQLException e) {
                if (attempts >= MAX_APPEND_ATTEMPTS || !lostARace(e)) {
                    throw e;
                }
                if (attempts >= 3) {
                    pause(ThreadLocalRandom.current().nextLong(1, Math.min(20, attempts) + 1));
                }
            }
        }
    }

    private static void pause(long millis) throws SQLException {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLException("Interrupted while retrying an append that lost a race; nothing was written", e);
        }
    }

    /** Unique violation, serialization failure or deadlock: another writer got there first; running again decides. */
    private static boolean lostARace(SQLException e) {
        String state = e.getSQLState();
        return "23505".equals(state) || "40001".equals(state) || "40P01".equals(state);
    }

    private RunestoneException failure(String action, String outcome, SQLException cause) {
        if (connections.isClosed()) {
            return new StoreClosedException("PostgreSQL store on " + connections.location() + " (schema '"
                    + tables.schema() + "') was closed while " + action.toLowerCase(Locale.ROOT)
                    + "; " + outcome + ".");
        }
        String next;
        if (cause instanceof PostgresConnections.ConnectionUnavailableException) {
            next = "No connection to the server could be had: check that it is running and reachable. The store "
                    + "reconnects by itself once it is; retry then.";
        } else if (isConnectionLost(cause)) {
            next = "The connection to the server was lost (did it restart?). The store reconnects by itself once "
                    + "the server is back; retry then.";
        } else {
            next = "Check the server's log and the role's privileges on schema '" + tables.schema() + "'.";
        }
        return new StorageException(action + " in PostgreSQL schema '" + tables.schema() + "' on "
                + connections.location() + " failed; " + outcome + ". " + next + " Cause: " + cause.getMessage(),
                cause);
    }

    /** Connection errors ({@code 08…}), and the server shutting down or starting up ({@code 57P01}–{@code 57P03}). */
    private static boolean isConnectionLost(SQLException cause) {
        if (cause instanceof SQLTransientConnectionException || cause instanceof SQLRecoverableException) {
            return true;
        }
        String state = cause.getSQLState();
        return state != null && (state.startsWith("08") || state.startsWith("57P"));
    }

    private static PostgresStorage open(PostgresConnections connections, Tables tables, boolean coalesceAppends) {
        Migrations migrations = new Migrations(tables);
        try {
            connections.transaction(connection -> {
                migrations.apply(connection, connections.location());
                return null;
            });
        } catch (SQLException | RuntimeException e) {
            connections.close();
            if (e instanceof RunestoneException runestone) {
                throw runestone;
            }
            throw new StorageException("Opening PostgreSQL schema '" + tables.schema() + "' on "
                    + connections.location() + " failed. Check that the server is reachable and that the role may "
                    + "create schema '" + tables.schema() + "' (or that it exists with the tables) and use it. Cause: "
                    + e.getMessage(), e);
        }
        return new PostgresStorage(connections, tables, coalesceAppends);
    }

    /**
     * Options for a {@link PostgresStorage}. Not thread-safe: configure it on one thread, then call {@link #build()}.
     */
    public static final class Builder {

        private @Nullable String jdbcUrl;
        private @Nullable DataSource dataSource;
        private @Nullable String user;
        private @Nullable String password;
        private String schema = DEFAULT_SCHEMA;
        private int poolSize = DEFAULT_POOL_SIZE;
        private Duration connectionTimeout = DEFAULT_CONNECTION_TIMEOUT;
        private @Nullable Object poolMetrics;
        private boolean poolConfigured;
        private boolean coalesceAppends = true;

        private Builder() {
        }

        /**
         * Connects to {@code jdbcUrl} through a HikariCP pool that the store makes and closes.
         *
         * @param jdbcUrl a {@code jdbc:postgresql:} URL; credentials may be in it or given with
         *                {@link #credentials(String, String)}
         * @throws IllegalArgumentException if it is not a {@code jdbc:postgresql:} URL
         */
        public Builder jdbcUrl(String jdbcUrl) {
            Objects.requireNonNull(jdbcUrl, "jdbcUrl");
            if (!jdbcUrl.startsWith("jdbc:postgresql:")) {
                throw new IllegalArgumentException("Expected a PostgreSQL JDBC URL starting with 'jdbc:postgresql:', "
                        + "e.g. jdbc:postgresql://localhost:5432/app; got one starting with '"
                        + jdbcUrl.substring(0, Math.min(jdbcUrl.length(), 16)) + "'");
            }
            this.jdbcUrl = jdbcUrl;
            this.dataSource = null;
            return this;
        }

        /**
         * Borrows connections from {@code dataSource}, which stays yours to configure and close. Its connections
         * must be PostgreSQL's (or unwrap to {@link org.postgresql.PGConnection} for
         * {@link PostgresStorage#awaitEvents}).
         */
        public Builder dataSource(DataSource dataSource) {
            this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
            this.jdbcUrl = null;
            return this;
        }

        /** The role and password to connect with, when they are not in the JDBC URL. Only with a JDBC URL. */
        public Builder credentials(String user, String password) {
            this.user = Objects.requireNonNull(user, "user");
            this.password = Objects.requireNonNull(password, "password");
            this.poolConfigured = true;
            return this;
        }

        /**
         * Keeps the tables in {@code schema}, created if missing; default {@code runestone}. Stores in different
         * schemas share a database without seeing each other's rows.
         *
         * @throws IllegalArgumentException unless the name is 1 to 40 lower-case ASCII letters, digits and
         *                                  underscores, not starting with a digit nor with {@code pg_}
         */
        public Builder schema(String schema) {
            SqlIdentifier.requireValid(schema, "schema");
            if (schema.startsWith("pg_")) {
                throw new IllegalArgumentException("Invalid schema '" + schema + "': PostgreSQL reserves names "
                        + "starting with pg_ for its own schemas; choose another name.");
            }
            this.schema = schema;
            return this;
        }

        /**
         * The most connections the store's own pool holds; default 10. Waiting readers use one more connection of
         * their own. Only with a JDBC URL.
         *
         * @throws IllegalArgumentException if less than 1
         */
        public Builder poolSize(int poolSize) {
            if (poolSize < 1) {
                throw new IllegalArgumentException("poolSize must be at least 1, was " + poolSize);
            }
            this.poolSize = poolSize;
            this.poolConfigured = true;
            return this;
        }

        /**
         * How long a call waits for a pooled connection, for instance while the server is down, before it fails
         * with {@link StorageException}; default 30 seconds. Only with a JDBC URL.
         *
         * @throws IllegalArgumentException if shorter than 250 milliseconds, HikariCP's least
         */
        public Builder connectionTimeout(Duration connectionTimeout) {
            Objects.requireNonNull(connectionTimeout, "connectionTimeout");
            if (connectionTimeout.toMillis() < 250) {
                throw new IllegalArgumentException("connectionTimeout must be at least 250 ms, was "
                        + connectionTimeout);
            }
            this.connectionTimeout = connectionTimeout;
            this.poolConfigured = true;
            return this;
        }

        /**
         * Has HikariCP register the pool's meters in {@code meterRegistry}: a Micrometer {@code MeterRegistry} (or
         * a Dropwizard {@code MetricRegistry}), handed to {@code HikariConfig.setMetricRegistry}. With Micrometer they
         * are {@code hikaricp.connections.acquire} (the time a call waited for a connection),
         * {@code hikaricp.connections.pending} (calls waiting now), {@code hikaricp.connections.timeout} and the
         * pool's sizes, tagged {@code pool=runestone-<schema>}. Only with a JDBC URL: the pool of a
         * {@code DataSource} of yours is yours to measure.
         *
         * @throws IllegalArgumentException from {@link #build()} if it is neither registry
         */
        public Builder poolMetrics(Object meterRegistry) {
            this.poolMetrics = Objects.requireNonNull(meterRegistry, "meterRegistry");
            this.poolConfigured = true;
            return this;
        }

        /**
         * Whether appends made by several threads at once share statements (on by default): an append that arrives
         * while another is being written waits for it, then goes, with every append that queued meanwhile, in one
         * statement (one transaction, one commit), each append keeping its own outcome. A lone writer never waits.
         * With {@code false} every append is a transaction of its own on a connection of its own.
         */
        public Builder coalesceAppends(boolean coalesceAppends) {
            this.coalesceAppends = coalesceAppends;
            return this;
        }

        /**
         * Connects, then creates or migrates the schema and its tables.
         *
         * @throws IllegalStateException if neither {@link #jdbcUrl(String)} nor {@link #dataSource} was given, or
         *                               pool options were given with a data source
         * @throws StorageException      if the server cannot be reached or the schema cannot be created or migrated
         */
        public PostgresStorage build() {
            Tables tables = Tables.inSchema(schema);
            if (dataSource != null) {
                if (poolConfigured) {
                    throw new IllegalStateException("credentials, poolSize, connectionTimeout and poolMetrics "
                            + "configure the pool the store makes from a JDBC URL; with your own DataSource, "
                            + "configure them there.");
                }
                return open(PostgresConnections.borrowed(dataSource), tables, coalesceAppends);
            }
            if (jdbcUrl == null) {
                throw new IllegalStateException("Say where the database is: call jdbcUrl(url) or dataSource(ds) "
                        + "before build().");
            }
            PostgresConnections connections;
            try {
                connections = PostgresConnections.pool(jdbcUrl, user, password, poolSize, connectionTimeout,
                        "runestone-" + schema, poolMetrics);
            } catch (HikariPool.PoolInitializationException e) {
                SQLException cause = e.getCause() instanceof SQLException sql ? sql : null;
                throw new StorageException("Connecting to PostgreSQL at " + PostgresConnections.describe(jdbcUrl)
                        + " failed. Check that the server is running and reachable and that the URL's database, user "
                        + "and password are right. Cause: " + (cause == null ? e.getMessage() : cause.getMessage()), e);
            }
            return open(connections, tables, coalesceAppends);
        }
    }
}
