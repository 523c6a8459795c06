package dev.runestone.sqlite;

import dev.runestone.LogPartition;
import dev.runestone.Relation;
import dev.runestone.StorageException;
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
import dev.runestone.spi.ParkedEventRow;
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
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * Storage adapter that keeps an event store in SQLite, embedded in the process: in one file, or in memory.
 *
 * <pre>{@code
 * StorageAdapter storage = SqliteStorage.file(Path.of("events.db"));
 * }</pre>
 *
 * <p>Opening creates the tables ({@code runestone_events}, {@code runestone_relations},
 * {@code runestone_snapshots}, {@code runestone_schema_version}) or migrates them to this version; two processes
 * may open the same file at once. With {@link Builder#tablePrefix(String) another prefix}, several stores share
 * one file without seeing each other's rows.
 *
 * <p><b>Subscriptions and imports.</b> It also keeps durable subscriptions ({@link SubscriptionStorage}: checkpoints,
 * leases judged by this machine's clock, parked events, the once ledger) and imports ({@link ImportStorage}) in six
 * more tables under the same prefix. {@link #awaitEvents} wakes at once for appends through this store and within a
 * few milliseconds for commits by other processes on the file.
 *
 * <p><b>Durability.</b> A file store runs in WAL mode with {@code synchronous=NORMAL}: a committed append survives
 * a crash of the process, but a power loss or operating system crash may lose the last few commits (never corrupt
 * the file). {@link Builder#synchronousFull()} makes every commit survive power loss too, at the cost of one disk
 * flush per append.
 *
 * <p><b>Thread-safety.</b> Instances are thread-safe and meant to be shared by every thread of a process. Writes
 * are serialised inside the adapter through one connection, so concurrent appends queue instead of failing with
 * {@code SQLITE_BUSY}, and those that queue share transactions ({@link Builder#coalesceAppends(boolean)}); reads of a file store run on a small pool of their own connections beside the writer, and see
 * every append that returned before they began. Once {@link #close()} has run, every method throws
 * {@link dev.runestone.StoreClosedException}.
 */
public final class SqliteStorage implements StorageAdapter, SubscriptionStorage, ImportStorage {

    private static final String DEFAULT_TABLE_PREFIX = "runestone_";
    private static final Duration DEFAULT_BUSY_TIMEOUT = Duration.ofSeconds(5);
    private static final long OTHER_PROCESS_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    /** The most events a group of coalesced appends gathers: enough to share a commit, few enough to wait little. */
    private static final int MAX_EVENTS_PER_GROUP = 1_000;
    private static final String SAVEPOINT = "SAVEPOINT runestone_append";
    private static final String RELEASE = "RELEASE runestone_append";
    private static final String ROLLBACK_TO = "ROLLBACK TO runestone_append";

    /** What a failed call left behind, as its message tells. */
    private static final String NOTHING_READ = "nothing was read";
    private static final String NOTHING_CHANGED = "nothing was changed";
    private static final String NOTHING_WRITTEN = "nothing was written";

    private final SqliteConnections connections;
    private final Tables tables;
    private final EventLog events;
    private final RelationTable relations;
    private final RelationWrites relationWrites;
    private final SnapshotTable snapshots;
    private final SubscriptionTables subscriptions;
    private final ImportTable imports;
    private final AppendSignal appended = new AppendSignal();
    private final @Nullable CommitWatch otherProcesses;
    private final @Nullable GroupCommit groups;
    private volatile StorageObserver observer = StorageObserver.NONE;

    private SqliteStorage(SqliteConnections connections, Tables tables, boolean coalesceAppends) {
        this.connections = connections;
        this.groups = coalesceAppends
                ? new GroupCommit(this::appendGroup, MAX_EVENTS_PER_GROUP, connections::closedFailure)
                : null;
        this.otherProcesses = connections.shared() ? new CommitWatch(connections, appended) : null;
        this.tables = tables;
        this.events = new EventLog(tables, connections);
        this.relations = new RelationTable(tables);
        this.relationWrites = new RelationWrites(relations, connections::requireOpen,
                (action, write) -> attempt(action, NOTHING_CHANGED, () -> connections.writeTransaction(connection -> {
                    write.run(connection);
                    return null;
                })));
        this.snapshots = new SnapshotTable(tables.snapshots());
        this.subscriptions = new SubscriptionTables(tables);
        this.imports = new ImportTable(tables);
    }

    /**
     * Opens the store in {@code file}, creating the file and its tables if needed, with the default table prefix
     * {@code runestone_}.
     *
     * @throws StorageException if the file cannot be opened or migrated (its directory must exist)
     */
    public static SqliteStorage file(Path file) {
        return builder().file(file).build();
    }

    /**
     * Opens a new, empty store in memory. It lives until {@link #close()}; each call makes a separate database.
     */
    public static SqliteStorage inMemory() {
        return builder().inMemory().build();
    }

    /** Starts configuring a store: choose {@link Builder#file(Path)} or {@link Builder#inMemory()}, then build. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public AppendOutcome append(AppendRequest request) {
        Objects.requireNonNull(request, "request");
        connections.requireOpen();
        if (request.events().isEmpty()) {
            return new AppendOutcome(List.of(), List.of());
        }
        // A thread already inside a write transaction (a subscription's, which must not append) fails at once alone
        // rather than waiting for a group whose writer waits for that transaction's lock.
        return groups == null || connections.writingOnThisThread() ? appendAlone(request) : groups.append(request);
    }

    private AppendOutcome appendAlone(AppendRequest request) {
        AppendOutcome outcome = attempt(appending(request), NOTHING_WRITTEN,
                () -> connections.writeTransaction(connection -> events.append(connection, request)));
        if (!outcome.stored().isEmpty()) {
            appended.signal();
        }
        return outcome;
    }

    /**
     * Writes the group in one transaction, each append inside a savepoint of its own, so that one append's conflict,
     * repeated id or database error undoes that append alone; the others commit together. A failure of the
     * transaction itself (its commit, or a savepoint that cannot be rolled back to) fails every append of the group,
     * each result holding the same {@link StorageException}.
     */
    @Override
    public List<GroupCommit.Result> appendGroup(List<AppendRequest> group) {
        connections.requireOpen();
        observer.appendsCoalesced(group.size());
        if (group.size() == 1) {
            return List.of(GroupCommit.Result.of(() -> appendAlone(group.getFirst())));
        }
        int total = group.stream().mapToInt(request -> request.events().size()).sum();
        List<GroupCommit.Result> results;
        try {
            results = attempt("Appending " + total + " event(s) of " + group.size() + " concurrent appends",
                    NOTHING_WRITTEN, () -> connections.writeTransaction(connection -> {
                        List<GroupCommit.Result> written = new ArrayList<>(group.size());
                        for (AppendRequest request : group) {
                            written.add(appendInSavepoint(connection, request));
                        }
                        return written;
                    }));
        } catch (RuntimeException e) {
            return Collections.nCopies(group.size(), GroupCommit.Result.failed(e));
        }
        if (results.stream().anyMatch(GroupCommit.Result::wroteEvents)) {
            appended.signal();
        }
        return results;
    }

    private GroupCommit.Result appendInSavepoint(Connection connection, AppendRequest request) throws SQLException {
        runKept(connection, SAVEPOINT);
        try {
            AppendOutcome outcome = events.append(connection, request);
            runKept(connection, RELEASE);
            return GroupCommit.Result.appended(outcome);
        } catch (RuntimeException | SQLException e) {
            undoSavepoint(connection, e);
            return GroupCommit.Result.failed(e instanceof SQLException sql
                    ? failure(appending(request), NOTHING_WRITTEN, sql)
                    : (RuntimeException) e);
        }
    }

    /**
     * Rolls back to the append's savepoint after {@code cause}. If that fails too (SQLite rolls back the whole
     * transaction on some errors, such as a full disk, and the savepoint is gone with it), the group fails, with
     * both failures in the exception.
     */
    private void undoSavepoint(Connection connection, Exception cause) throws SQLException {
        try {
            runKept(connection, ROLLBACK_TO);
            runKept(connection, RELEASE);
        } catch (SQLException undoFailure) {
            if (cause instanceof SQLException sql) {
                sql.addSuppressed(undoFailure);
                throw sql;
            }
            undoFailure.addSuppressed(cause);
            throw undoFailure;
        }
    }

    /** Runs one of the writer's kept statements, forgetting it if it fails (see {@code discardWriterStatement}). */
    private void runKept(Connection connection, String sql) throws SQLException {
        try {
            connections.writerStatement(connection, sql).execute();
        } catch (SQLException e) {
            connections.discardWriterStatement(sql);
            throw e;
        }
    }

    private static String appending(AppendRequest request) {
        return "Appending " + request.events().size() + " event(s)";
    }

    @Override
    public List<StoredEvent> read(EventQuery query) {
        Objects.requireNonNull(query, "query");
        connections.requireOpen();
        Set<String> streams = query.streams();
        if (streams != null && streams.isEmpty()) {
            return List.of();
        }
        return attempt("Reading events", NOTHING_READ,
                () -> connections.read(connection -> events.read(connection, query)));
    }

    @Override
    public List<StoredEvent> readLog(long afterPosition, int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1, was " + limit);
        }
        return attempt("Reading the log after position " + afterPosition, NOTHING_READ,
                () -> connections.read(connection -> events.readLog(connection, afterPosition, limit)));
    }

    @Override
    public LogSlice readLog(long afterPosition, int limit, LogPartition partition) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1, was " + limit);
        }
        return attempt("Reading part " + partition.index() + " of " + partition.count() + " of the log after position "
                + afterPosition, NOTHING_READ,
                () -> connections.read(connection -> events.readPart(connection, afterPosition, limit, partition)));
    }

    @Override
    public Optional<StoredEvent> findById(UUID id) {
        Objects.requireNonNull(id, "id");
        return attempt("Finding event " + id, NOTHING_READ,
                () -> connections.read(connection -> events.findById(connection, id)));
    }

    @Override
    public Set<UUID> outdatedAmong(List<EventKey> keys) {
        return attempt("Looking for newer events than " + keys.size() + " stored ones", NOTHING_READ,
                () -> connections.read(connection -> events.outdatedAmong(connection, keys)));
    }

    @Override
    public boolean hasNewerEvent(String stream, String type, String created) {
        Objects.requireNonNull(stream, "stream");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(created, "created");
        return attempt("Looking for newer '" + type + "' events in stream '" + stream + "'", NOTHING_READ,
                () -> connections.read(connection -> events.hasNewerEvent(connection, stream, type, created)));
    }

    @Override
    public long streamVersion(String stream) {
        Objects.requireNonNull(stream, "stream");
        return attempt("Reading the version of stream '" + stream + "'", NOTHING_READ,
                () -> connections.read(connection -> events.streamVersion(connection, stream)));
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
        return attempt("Reading the streams of " + keys.size() + " relation key(s)", NOTHING_READ,
                () -> connections.read(connection -> relations.streamsByKeys(connection, keys)));
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
        attempt("Saving snapshot '" + snapshot.reducer() + "' of '" + snapshot.key() + "'", NOTHING_CHANGED,
                () -> connections.writeTransaction(connection -> {
                    snapshots.save(connection, snapshot);
                    return null;
                }));
    }

    @Override
    public Optional<SnapshotRow> findSnapshot(String reducer, String key) {
        Objects.requireNonNull(reducer, "reducer");
        Objects.requireNonNull(key, "key");
        return attempt("Reading snapshot '" + reducer + "' of '" + key + "'", NOTHING_READ,
                () -> connections.read(connection -> snapshots.find(connection, reducer, key)));
    }

    @Override
    public void deleteSnapshot(String reducer, String key) {
        Objects.requireNonNull(reducer, "reducer");
        Objects.requireNonNull(key, "key");
        attempt("Deleting snapshot '" + reducer + "' of '" + key + "'", NOTHING_CHANGED,
                () -> connections.writeTransaction(connection -> {
                    snapshots.delete(connection, reducer, key);
                    return null;
                }));
    }

    /**
     * Waits until {@link #readLog(long, int) readLog(afterPosition, …)} has an event to return, or until
     * {@code timeout} passes. Appends through this store wake waiters at once; commits by other processes on the
     * same file within a few milliseconds ({@link CommitWatch}), and, should that watch fail, a look at the log every
     * 100 ms.
     */
    @Override
    public boolean awaitEvents(long afterPosition, Duration timeout) throws InterruptedException {
        Objects.requireNonNull(timeout, "timeout");
        long deadline = System.nanoTime() + Math.max(0, timeout.toNanos());
        if (otherProcesses != null) {
            otherProcesses.enter();
        }
        try {
            while (true) {
                long seen = appended.generation();
                if (!readLog(afterPosition, 1).isEmpty()) {
                    return true;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                appended.await(seen, Math.min(left, OTHER_PROCESS_POLL_NANOS));
            }
        } finally {
            if (otherProcesses != null) {
                otherProcesses.leave();
            }
        }
    }

    @Override
    public ImportOutcome importEvents(AppendRequest request) {
        Objects.requireNonNull(request, "request");
        connections.requireOpen();
        if (request.events().isEmpty()) {
            return new ImportOutcome(List.of(), List.of(), Set.of());
        }
        ImportOutcome outcome = attempt("Importing " + request.events().size() + " event(s)", NOTHING_WRITTEN,
                () -> connections.writeTransaction(connection -> {
                    Set<UUID> outdated = OutdatedCheck.outdated(request.events(),
                            (stream, type, created) -> events.hasNewerEvent(connection, stream, type, created));
                    AppendOutcome written = events.append(connection, request);
                    imports.record(connection, written.stored(), outdated);
                    return ImportOutcome.of(written, outdated);
                }));
        if (!outcome.stored().isEmpty()) {
            appended.signal();
        }
        return outcome;
    }

    @Override
    public Map<UUID, Boolean> importedAmong(Collection<UUID> ids) {
        Objects.requireNonNull(ids, "ids");
        if (ids.isEmpty()) {
            return Map.of();
        }
        return attempt("Looking up " + ids.size() + " imported event(s)", NOTHING_READ,
                () -> connections.read(connection -> imports.importedAmong(connection, ids)));
    }

    @Override
    public long lastPosition() {
        return attempt("Reading the last position", NOTHING_READ, () -> connections.read(subscriptions::lastPosition));
    }

    @Override
    public int registerPartitions(String subscription, int partitions) {
        return attempt("Registering the partitions of subscription '" + subscription + "'", NOTHING_CHANGED,
                () -> connections.writeTransaction(
                        connection -> subscriptions.registerPartitions(connection, subscription, partitions)));
    }

    @Override
    public int heartbeat(String subscription, String member, Duration ttl) {
        long now = System.currentTimeMillis();
        return attempt("Recording member '" + member + "' of subscription '" + subscription + "'", NOTHING_CHANGED,
                () -> connections.writeTransaction(connection -> subscriptions.heartbeat(connection, subscription,
                        member, now, now + ttl.toMillis())));
    }

    @Override
    public void leave(String subscription, String member) {
        attempt("Removing member '" + member + "' of subscription '" + subscription + "'", NOTHING_CHANGED,
                () -> connections.writeTransaction(connection -> {
                    subscriptions.leave(connection, subscription, member);
                    return null;
                }));
    }

    @Override
    public Optional<Lease> acquireLease(String subscription, int partition, String owner, Duration ttl,
            long startPosition, long highWater) {
        long now = System.currentTimeMillis();
        return attempt("Taking the lease of subscription '" + subscription + "' partition " + partition,
                NOTHING_CHANGED, () -> connections.writeTransaction(connection -> subscriptions.acquire(connection,
                        subscription, partition, owner, now, now + ttl.toMillis(), startPosition, highWater)));
    }

    @Override
    public boolean renewLease(Lease lease, Duration ttl) {
        long until = System.currentTimeMillis() + ttl.toMillis();
        return attempt("Renewing the lease of subscription '" + lease.subscription() + "' partition "
                + lease.partition(), NOTHING_CHANGED,
                () -> connections.writeTransaction(connection -> subscriptions.renew(connection, lease, until)));
    }

    @Override
    public void releaseLease(Lease lease) {
        attempt("Releasing the lease of subscription '" + lease.subscription() + "' partition " + lease.partition(),
                NOTHING_CHANGED, () -> connections.writeTransaction(connection -> {
                    subscriptions.release(connection, lease);
                    return null;
                }));
    }

    @Override
    public boolean commitCheckpoint(Lease lease, long position) {
        return attempt("Committing the checkpoint of subscription '" + lease.subscription() + "' partition "
                + lease.partition(), NOTHING_CHANGED,
                () -> connections.writeTransaction(connection -> subscriptions.commit(connection, lease, position)));
    }

    /**
     * The handler's failures propagate as they are, as {@link SubscriptionStorage#commitInTransaction} promises, an
     * {@link SQLException} of its own included; the database's become a {@link StorageException}, as everywhere.
     */
    @Override
    public boolean commitInTransaction(Lease lease, long position, UUID eventId, TransactionWork work)
            throws Exception {
        connections.requireOpen();
        try {
            return connections.writeTransactionThrowing(connection -> subscriptions.commitWith(connection, lease,
                    position, eventId, HandlerFailure.marking(work)));
        } catch (HandlerFailure failure) {
            throw failure.handlerError();
        } catch (SQLException e) {
            throw failure("Committing event " + eventId + " with the checkpoint of subscription '"
                    + lease.subscription() + "' partition " + lease.partition(), NOTHING_CHANGED, e);
        }
    }

    /** The handler's failures propagate as they are, as in {@link #commitInTransaction}. */
    @Override
    public void runInTransaction(UUID eventId, TransactionWork work) throws Exception {
        connections.requireOpen();
        try {
            connections.writeTransactionThrowing(connection -> {
                subscriptions.ledger().markDone(connection, HandlerFailure.marking(work).run(connection), eventId);
                return null;
            });
        } catch (HandlerFailure failure) {
            throw failure.handlerError();
        } catch (SQLException e) {
            throw failure("Handling event " + eventId + " in a transaction", NOTHING_CHANGED, e);
        }
    }

    @Override
    public List<CheckpointRow> checkpoints(String subscription) {
        return attempt("Reading the checkpoints of subscription '" + subscription + "'", NOTHING_READ,
                () -> connections.read(connection -> subscriptions.checkpoints().checkpoints(connection, subscription)));
    }

    @Override
    public void resetCheckpoints(String subscription, long position) {
        attempt("Resetting the checkpoints of subscription '" + subscription + "'", NOTHING_CHANGED,
                () -> connections.writeTransaction(connection -> {
                    subscriptions.checkpoints().reset(connection, subscription, position);
                    return null;
                }));
    }

    @Override
    public void park(ParkedEventRow row) {
        attempt("Parking event " + row.eventId() + " of subscription '" + row.subscription() + "'", NOTHING_CHANGED,
                () -> connections.writeTransaction(connection -> {
                    subscriptions.parked().park(connection, row);
                    return null;
                }));
    }

    @Override
    public List<ParkedEventRow> parkedEvents(String subscription) {
        return attempt("Reading the parked events of subscription '" + subscription + "'", NOTHING_READ,
                () -> connections.read(connection -> subscriptions.parked().parked(connection, subscription)));
    }

    @Override
    public boolean deleteParked(String subscription, UUID eventId) {
        return attempt("Deleting parked event " + eventId + " of subscription '" + subscription + "'",
                NOTHING_CHANGED, () -> connections.writeTransaction(
                        connection -> subscriptions.parked().delete(connection, subscription, eventId)));
    }

    @Override
    public Set<String> onceDone(Collection<String> keys, UUID eventId) {
        if (keys.isEmpty()) {
            return Set.of();
        }
        return attempt("Reading the once ledger for event " + eventId, NOTHING_READ,
                () -> connections.read(connection -> subscriptions.ledger().done(connection, keys, eventId)));
    }

    @Override
    public void markOnceDone(String key, UUID eventId) {
        attempt("Recording once handler '" + key + "' for event " + eventId, NOTHING_CHANGED,
                () -> connections.writeTransaction(connection -> {
                    subscriptions.ledger().markDone(connection, List.of(key), eventId);
                    return null;
                }));
    }

    /**
     * Closes every connection. A read still running on another thread finishes first and closes its connection as
     * it returns. Calling it again does nothing.
     */
    @Override
    public void close() {
        if (groups != null) {
            groups.close();
        }
        if (otherProcesses != null) {
            otherProcesses.close();
        }
        connections.close();
    }

    /** Names the database and table prefix, for logs. */
    @Override
    public String kind() {
        return "sqlite";
    }

    /** Reports to {@code observer} the size of each group of coalesced appends. */
    @Override
    public void observe(StorageObserver observer) {
        this.observer = Objects.requireNonNull(observer, "observer");
    }

    @Override
    public String toString() {
        return "SqliteStorage[" + connections.location() + ", table prefix '" + tables.prefix() + "']";
    }

    /** A call on this store's connections. */
    @FunctionalInterface
    private interface Call<T> {
        T run() throws SQLException;
    }

    /**
     * Runs {@code call} if the store is open, turning a {@link SQLException} into a {@link StorageException} that
     * says what was attempted ({@code action}), what the failure left behind ({@code outcome}) and what to do next.
     * Every call of the store with a failure of its own to report goes through here.
     */
    private <T> T attempt(String action, String outcome, Call<T> call) {
        connections.requireOpen();
        try {
            return call.run();
        } catch (SQLException e) {
            throw failure(action, outcome, e);
        }
    }

    private StorageException failure(String action, String outcome, SQLException cause) {
        String next = SqliteConnections.isBusy(cause)
                ? "Another process held the database's write lock past the busy timeout; retry, or raise "
                        + "SqliteStorage.builder().busyTimeout(...)."
                : "Check that the database file is still there, readable and writable, and that the disk has "
                        + "space, then retry.";
        return new StorageException(action + " in SQLite store " + connections.location() + " failed; " + outcome
                + ". " + next + " Cause: " + cause.getMessage(), cause);
    }

    private static SqliteStorage open(@Nullable Path file, String tablePrefix, boolean synchronousFull,
            Duration busyTimeout, boolean coalesceAppends) {
        Tables tables = Tables.withPrefix(tablePrefix);
        Migrations migrations = new Migrations(tables);
        String location = file == null ? ":memory:" : file.toString();
        SqliteConnections.SqlWork<Void> migrate = connection -> {
            migrations.apply(connection, location);
            return null;
        };
        try {
            SqliteConnections connections = file == null
                    ? SqliteConnections.openInMemory(migrate)
                    : SqliteConnections.openFile(file, synchronousFull, busyTimeout, migrate);
            return new SqliteStorage(connections, tables, coalesceAppends);
        } catch (SQLException e) {
            String locked = SqliteConnections.isBusy(e) ? ", and that no other process holds the file locked" : "";
            throw new StorageException("Opening SQLite store " + location + " failed. Check that its directory "
                    + "exists and is writable" + locked + ". Cause: " + e.getMessage(), e);
        }
    }

    /**
     * Options for a {@link SqliteStorage}. Not thread-safe: configure it on one thread, then call {@link #build()}.
     */
    public static final class Builder {

        private @Nullable Path file;
        private boolean inMemory;
        private String tablePrefix = DEFAULT_TABLE_PREFIX;
        private boolean synchronousFull;
        private Duration busyTimeout = DEFAULT_BUSY_TIMEOUT;
        private boolean coalesceAppends = true;

        private Builder() {
        }

        /** Keeps the store in {@code file}, created if missing; its directory must exist. */
        public Builder file(Path file) {
            this.file = Objects.requireNonNull(file, "file").toAbsolutePath().normalize();
            this.inMemory = false;
            return this;
        }

        /** Keeps the store in memory, private to this instance and gone on {@link SqliteStorage#close()}. */
        public Builder inMemory() {
            this.file = null;
            this.inMemory = true;
            return this;
        }

        /**
         * Names the tables {@code <prefix>events}, {@code <prefix>relations} and so on; default {@code runestone_}.
         * Stores with different prefixes can share one file. Empty means no prefix.
         *
         * @throws IllegalArgumentException unless the prefix is empty or up to 40 lower-case ASCII letters, digits
         *                                  and underscores, not starting with a digit
         */
        public Builder tablePrefix(String tablePrefix) {
            Objects.requireNonNull(tablePrefix, "tablePrefix");
            this.tablePrefix = tablePrefix.isEmpty() ? "" : SqlIdentifier.requireValid(tablePrefix, "table prefix");
            return this;
        }

        /**
         * Commits with {@code synchronous=FULL}: an append that returned survives power loss too, at the cost of a
         * disk flush per commit. The default, {@code NORMAL}, survives process crashes but may lose the last commits
         * on power loss. No effect in memory.
         */
        public Builder synchronousFull() {
            this.synchronousFull = true;
            return this;
        }

        /**
         * How long to wait for the file's write lock when another process, or another {@link SqliteStorage} on the
         * same file, holds it; default 5 seconds. Threads of one store never wait on it: the store queues them.
         *
         * @throws IllegalArgumentException if negative or longer than {@link Integer#MAX_VALUE} milliseconds
         */
        public Builder busyTimeout(Duration busyTimeout) {
            Objects.requireNonNull(busyTimeout, "busyTimeout");
            if (busyTimeout.isNegative() || busyTimeout.toMillis() > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("busyTimeout must be between 0 and " + Integer.MAX_VALUE
                        + " ms, was " + busyTimeout);
            }
            this.busyTimeout = busyTimeout;
            return this;
        }

        /**
         * Whether appends made by several threads at once share transactions (on by default): an append that
         * arrives while another is being written waits for it, then goes in one transaction with every append that
         * queued meanwhile, each in a savepoint of its own, so that each keeps its own outcome and one commit serves
         * them all. A lone writer never waits. With {@code false} every append is a transaction of its own, and
         * concurrent appends queue for the writer one by one.
         */
        public Builder coalesceAppends(boolean coalesceAppends) {
            this.coalesceAppends = coalesceAppends;
            return this;
        }

        /**
         * Opens the store, creating or migrating its tables.
         *
         * @throws IllegalStateException if neither {@link #file(Path)} nor {@link #inMemory()} was chosen
         * @throws StorageException      if the database cannot be opened or migrated
         */
        public SqliteStorage build() {
            if (file == null && !inMemory) {
                throw new IllegalStateException("Choose where the store lives: call file(path) or inMemory() "
                        + "before build().");
            }
            return open(file, tablePrefix, synchronousFull, busyTimeout, coalesceAppends);
        }
    }
}
