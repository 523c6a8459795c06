package dev.runestone.testkit.process;

import dev.runestone.EventStore;
import dev.runestone.PendingEvent;
import dev.runestone.spi.CheckpointRow;
import dev.runestone.spi.StorageAdapter;
import dev.runestone.spi.SubscriptionStorage;
import dev.runestone.testkit.TaskEvent;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.BooleanSupplier;

/**
 * One run of a process test, seen from the test's JVM: fresh storage with the read-model table, a store that appends
 * the events and watches the subscription, and the child JVMs that run it. {@link #close()} kills the children first,
 * then closes the store. Not thread-safe.
 */
final class ProcessRun implements AutoCloseable {

    /** Events are spread over this many streams; see {@link #stream(int)}. */
    static final int STREAMS = 60;

    /** How long any one step may take: generous, since a test that waits less on a slow machine only fails. */
    private static final Duration PATIENCE = Duration.ofSeconds(120);
    private static final int BATCH = 200;
    private static final int FEED = 50;

    private final StoreOpener opener;
    private final List<String> database;
    private final Path directory;
    private final EventStore<TaskEvent> store;
    private final SubscriptionStorage subscriptions;
    private final Connection queries;
    private final ChildJvms children;
    private final List<UUID> appended = new ArrayList<>();

    private ProcessRun(StoreOpener opener, List<String> database, Path directory, EventStore<TaskEvent> store,
            SubscriptionStorage subscriptions, Connection queries) {
        this.opener = opener;
        this.database = database;
        this.directory = directory;
        this.store = store;
        this.subscriptions = subscriptions;
        this.queries = queries;
        this.children = new ChildJvms(directory);
    }

    /** Opens the storage {@code database} names and creates the read-model table; files go to {@code directory}. */
    static ProcessRun open(StoreOpener opener, List<String> database, Path directory) throws SQLException {
        StorageAdapter adapter = opener.open(database);
        if (!(adapter instanceof SubscriptionStorage subscriptions)) {
            adapter.close();
            throw new IllegalArgumentException(opener.getClass().getName() + " opened a " + adapter.getClass()
                    .getName() + ", which has no durable subscriptions: it does not implement SubscriptionStorage");
        }
        EventStore<TaskEvent> store = EventStore.builder(TaskEvent.registry(), adapter).build();
        Connection queries = null;
        try {
            queries = opener.connect(database);
            try (Statement statement = queries.createStatement()) {
                // Plain types, so that the same statements run on every database.
                statement.execute("CREATE TABLE " + SubscriberChild.TABLE + " (event_id VARCHAR(36) NOT NULL, "
                        + "stream VARCHAR(100) NOT NULL, n BIGINT NOT NULL, previous BIGINT, pid BIGINT NOT NULL)");
                statement.execute("CREATE INDEX " + SubscriberChild.TABLE + "_by_stream ON " + SubscriberChild.TABLE
                        + " (stream, n)");
            }
            return new ProcessRun(opener, database, directory, store, subscriptions, queries);
        } catch (SQLException | RuntimeException e) {
            if (queries != null) {
                queries.close();
            }
            store.close();
            throw e;
        }
    }

    /** The stream of event {@code n}. */
    static String stream(int n) {
        return "task-" + (n % STREAMS);
    }

    /** Starts a child JVM running the subscription. */
    Process startChild() throws IOException {
        return children.start(SubscriberChild.class, SubscriberChild.arguments(opener, directory, database));
    }

    /** Kills {@code child} with SIGKILL and waits until it is gone. */
    void kill(Process child) throws InterruptedException {
        children.kill(child);
    }

    /** Appends the next {@code count} events, numbered on from those appended before, in batches. */
    void append(int count) {
        List<PendingEvent<TaskEvent>> batch = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int n = appended.size();
            PendingEvent<TaskEvent> event = store.event(stream(n), TaskEvent.noted(n));
            appended.add(event.id());
            batch.add(event);
            if (batch.size() == BATCH || i == count - 1) {
                store.append(batch);
                batch = new ArrayList<>();
            }
        }
    }

    /**
     * Appends a few events every poll until {@code condition} holds, up to {@code atMost} events in all, so that the
     * subscription has work in flight while something else happens.
     */
    void appendUntil(String what, int atMost, BooleanSupplier condition) throws InterruptedException {
        int stop = appended.size() + atMost;
        await(what, () -> {
            if (appended.size() < stop) {
                append(Math.min(FEED, stop - appended.size()));
            }
            return condition.getAsBoolean();
        });
    }

    /** The ids of every event appended, in order. */
    List<UUID> appended() {
        return List.copyOf(appended);
    }

    /** The position of the last event appended, once the log returns every event appended. */
    long lastPosition() throws InterruptedException {
        int count = appended.size();
        // On PostgreSQL the log holds events back while an older transaction on the server is still in flight.
        await("the log returns all " + count + " events", () -> store.readLog(0, count + 1).events().size() == count);
        return store.readLog(0, count).lastPosition();
    }

    /** The position up to which the subscription has handled the log, in every partition. */
    long checkpoint() {
        return store.subscriptions().checkpoint(SubscriberChild.SUBSCRIPTION);
    }

    /** How many events the subscription parked. */
    int parked() {
        return store.subscriptions().parked(SubscriberChild.SUBSCRIPTION).size();
    }

    /** The instances holding partitions, by name, each with how many it holds. */
    Map<String, Integer> owners() {
        Map<String, Integer> owners = new TreeMap<>();
        for (CheckpointRow row : subscriptions.checkpoints(SubscriberChild.SUBSCRIPTION)) {
            if (row.owner() != null) {
                owners.merge(Objects.requireNonNull(row.owner()), 1, Integer::sum);
            }
        }
        return owners;
    }

    /** Whether the partitions are held by exactly {@code children}, each holding as many as the others. */
    boolean sharedEvenlyBy(Process... children) {
        Map<String, Integer> expected = new TreeMap<>();
        for (Process child : children) {
            expected.put(SubscriberChild.instanceName(child.pid()), SubscriberChild.PARTITIONS / children.length);
        }
        return owners().equals(expected);
    }

    /** Of the {@code once} keys given, those the ledger holds for {@code eventId}. */
    Set<String> ledger(List<String> keys, UUID eventId) {
        return subscriptions.onceDone(keys, eventId);
    }

    /** The children's journals. */
    Journal journal() throws IOException {
        return Journal.read(directory);
    }

    /** How many rows the read-model table holds. */
    long projected() {
        return count("SELECT count(*) FROM " + SubscriberChild.TABLE);
    }

    /** How many rows {@code child} wrote into the read-model table. */
    long projectedBy(Process child) {
        return count("SELECT count(*) FROM " + SubscriberChild.TABLE + " WHERE pid = ?", child.pid());
    }

    /** Runs a query that returns a single number, with {@code parameters}. */
    long count(String sql, Object... parameters) {
        try (PreparedStatement statement = queries.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            try (ResultSet row = statement.executeQuery()) {
                row.next();
                return row.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Query failed: " + sql, e);
        }
    }

    /** Waits until {@code condition} holds, failing with {@code what} after a generous deadline. */
    void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Waited " + PATIENCE.toSeconds() + " s in vain until " + what
                        + "; the children's logs and journals are in " + directory);
            }
            Thread.sleep(50);
        }
    }

    @Override
    public void close() throws InterruptedException, SQLException {
        try (store; queries) {
            children.close();
        }
    }
}
