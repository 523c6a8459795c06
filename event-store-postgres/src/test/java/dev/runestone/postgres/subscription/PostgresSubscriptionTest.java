package dev.runestone.postgres.subscription;

import dev.runestone.testkit.TaskEvent;
import static org.assertj.core.api.Assertions.assertThat;

import dev.runestone.EventRecord;
import dev.runestone.EventStore;
import dev.runestone.PendingEvent;
import dev.runestone.postgres.PostgresStorage;
import dev.runestone.postgres.TestServer;
import dev.runestone.projector.Effects;
import dev.runestone.spi.Lease;
import dev.runestone.subscription.PoisonPolicy;
import dev.runestone.subscription.Projection;
import dev.runestone.subscription.StartFrom;
import dev.runestone.subscription.Subscription;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/**
 * Durable subscriptions on a real server. Each instance is a store with a pool of its own on one schema, as
 * separate processes would be.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class PostgresSubscriptionTest {

    private static final TestServer SERVER = TestServer.get();
    private static final Duration PATIENCE = Duration.ofSeconds(30);

    private String schema;
    private final List<AutoCloseable> opened = new ArrayList<>();

    @BeforeEach
    void newSchema() {
        schema = SERVER.newSchema();
    }

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable each : opened.reversed()) {
            each.close();
        }
        SERVER.dropSchema(schema);
    }

    private EventStore<TaskEvent> open() {
        EventStore<TaskEvent> store = EventStore.builder(TaskEvent.registry(),
                SERVER.builder(schema).poolSize(4).build()).build();
        opened.add(store);
        return store;
    }

    private <T extends AutoCloseable> T track(T closeable) {
        opened.add(closeable);
        return closeable;
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Timed out waiting until " + what);
            }
            Thread.sleep(10);
        }
    }

    /**
     * The position of the last of {@code expected} events, once the log returns them all: on PostgreSQL a write
     * transaction in flight anywhere on the server can hold the gap-free log back for a moment.
     */
    static long lastPosition(EventStore<TaskEvent> store, int expected) throws InterruptedException {
        await("the log returns all " + expected + " events",
                () -> store.readLog(0, expected + 1).size() == expected);
        return store.readLog(0, expected).getLast().position();
    }

    /** Appends events n in [from, to) spread over streams, in batches of 50 events of several streams each. */
    private static void appendSpread(EventStore<TaskEvent> store, int streams, int from, int to) {
        List<PendingEvent<TaskEvent>> batch = new ArrayList<>();
        for (int n = from; n < to; n++) {
            batch.add(store.event("task-" + (n % streams), TaskEvent.noted(n)));
            if (batch.size() == 50 || n == to - 1) {
                store.append(batch);
                batch = new ArrayList<>();
            }
        }
    }

    /** What the instances did, checked for overlap and order as they go. */
    private static final class Observed {
        final Map<UUID, Integer> deliveries = new ConcurrentHashMap<>();
        final Map<String, String> inFlight = new ConcurrentHashMap<>();
        final Map<String, Long> lastFirstDelivery = new ConcurrentHashMap<>();
        final Map<String, Set<String>> instancesPerStream = new ConcurrentHashMap<>();
        final List<String> violations = new CopyOnWriteArrayList<>();

        void handle(String instance, EventRecord<TaskEvent> record) throws InterruptedException {
            String holder = inFlight.putIfAbsent(record.stream(), instance);
            if (holder != null) {
                violations.add(record.stream() + " handled by " + holder + " and " + instance + " at once");
            }
            try {
                if (record.event().n() % 5 == 0) {
                    Thread.sleep(1);
                }
                if (deliveries.merge(record.id(), 1, Integer::sum) == 1) {
                    Long previous = lastFirstDelivery.put(record.stream(), record.event().n());
                    if (previous != null && previous > record.event().n()) {
                        violations.add(record.stream() + ": " + record.event().n() + " after " + previous);
                    }
                }
                instancesPerStream.computeIfAbsent(record.stream(), s -> ConcurrentHashMap.newKeySet()).add(instance);
            } finally {
                inFlight.remove(record.stream(), instance);
            }
        }
    }

    private Subscription<TaskEvent> instance(EventStore<TaskEvent> store, String name, Observed observed) {
        return track(store.subscribe("shared").from(StartFrom.END).partitions(8).lease(Duration.ofSeconds(2))
                .pageSize(100).instanceName(name).handler((record, status) -> observed.handle(name, record)).start());
    }

    @Test
    void two_then_three_instances_share_the_work_and_the_others_take_over_from_one_that_dies() throws Exception {
        EventStore<TaskEvent> writer = open();
        Observed observed = new Observed();
        EventStore<TaskEvent> dying = open();
        List<Subscription<TaskEvent>> instances = new ArrayList<>(List.of(
                instance(dying, "a", observed), instance(open(), "b", observed)));
        await("two instances hold four partitions each", () -> instances.stream()
                .allMatch(instance -> instance.heldPartitions().size() == 4));

        appendSpread(writer, 40, 0, 3000);
        await("two instances handle the first 3,000 events", () -> observed.deliveries.size() == 3000);
        assertThat(observed.deliveries.values()).containsOnly(1);

        instances.add(instance(open(), "c", observed));
        await("three instances split eight partitions 3/3/2", () -> instances.stream()
                .mapToInt(instance -> instance.heldPartitions().size()).sum() == 8
                && instances.stream().allMatch(instance -> instance.heldPartitions().size() >= 2));
        appendSpread(writer, 40, 3000, 6000);
        await("three instances handle the next 3,000", () -> observed.deliveries.size() == 6000);
        assertThat(observed.deliveries.values()).containsOnly(1);

        // Instance a dies: its connections go, and nothing is handed over; its leases run out.
        List<Integer> orphaned = instances.getFirst().heldPartitions();
        assertThat(orphaned).isNotEmpty();
        dying.close();
        appendSpread(writer, 40, 6000, 9000);
        await("the survivors finish everything, the dead instance's part included",
                () -> observed.deliveries.size() == 9000);
        await("the survivors hold every partition", () -> instances.get(1).heldPartitions().size()
                + instances.get(2).heldPartitions().size() == 8);

        assertThat(observed.violations).isEmpty();
        assertThat(observed.instancesPerStream.values()).anySatisfy(handlers -> assertThat(handlers).contains("a"));
        long last = lastPosition(writer, 9000);
        await("every checkpoint reaches the end", () -> writer.subscriptions().checkpoint("shared") >= last);
    }

    @Test
    void a_stale_instance_cannot_commit_after_another_took_its_lease() throws Exception {
        open();
        PostgresStorage first = track(SERVER.open(schema));
        PostgresStorage second = track(SERVER.open(schema));
        Lease stale = first.acquireLease("fenced", 0, "a", Duration.ofMillis(100), 0, 0).orElseThrow();
        assertThat(second.acquireLease("fenced", 0, "b", Duration.ofSeconds(30), 0, 0)).isEmpty();
        Thread.sleep(200);
        Lease current = second.acquireLease("fenced", 0, "b", Duration.ofSeconds(30), 0, 0).orElseThrow();

        AtomicInteger ran = new AtomicInteger();
        assertThat(current.token()).isGreaterThan(stale.token());
        assertThat(first.commitCheckpoint(stale, 99)).isFalse();
        assertThat(first.renewLease(stale, Duration.ofSeconds(30))).isFalse();
        assertThat(first.commitInTransaction(stale, 99, UUID.randomUUID(), connection -> {
            ran.incrementAndGet();
            return List.of();
        })).isFalse();
        first.releaseLease(stale);
        assertThat(ran).hasValue(0);
        assertThat(second.commitCheckpoint(current, 7)).isTrue();
        assertThat(second.checkpoints("fenced")).singleElement().satisfies(row -> {
            assertThat(row.position()).isEqualTo(7);
            assertThat(row.owner()).isEqualTo("b");
        });
    }

    @Test
    void a_poison_event_is_parked_the_rest_proceed_and_a_retry_after_the_fix_succeeds() throws Exception {
        EventStore<TaskEvent> store = open();
        AtomicBoolean fixed = new AtomicBoolean();
        Set<Long> handled = ConcurrentHashMap.newKeySet();
        Subscription<TaskEvent> subscription = track(store.subscribe("poison").from(StartFrom.END)
                .retries(3, Duration.ofMillis(5)).onPoison(PoisonPolicy.PARK_AND_CONTINUE)
                .handler((record, status) -> {
                    if (record.event().n() == 13 && !fixed.get()) {
                        throw new IllegalStateException("cannot handle 13 yet");
                    }
                    handled.add(record.event().n());
                }).start());
        await("the subscription holds its partition", () -> subscription.heldPartitions().size() == 1);
        appendSpread(store, 4, 0, 40);
        await("the other events are handled", () -> handled.size() == 39);

        assertThat(store.subscriptions().parked("poison")).singleElement().satisfies(parked -> {
            assertThat(parked.error()).contains("cannot handle 13 yet");
            assertThat(parked.attempts()).isEqualTo(3);
        });
        fixed.set(true);
        assertThat(subscription.retryAllParked()).isEqualTo(1);
        assertThat(handled).hasSize(40);
        assertThat(store.subscriptions().parked("poison")).isEmpty();
    }

    @Test
    void a_projection_writes_through_the_store_connection_exactly_once_and_once_handlers_survive_a_replay()
            throws Exception {
        EventStore<TaskEvent> store = open();
        String table = "\"" + schema + "\".welcomes";
        try (java.sql.Connection connection = java.sql.DriverManager.getConnection(SERVER.jdbcUrl());
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE " + table + " (stream text PRIMARY KEY, n bigint NOT NULL)");
        }
        List<Long> mailed = new CopyOnWriteArrayList<>();
        Projection<TaskEvent> projection = Projection.<TaskEvent>builder()
                .once("welcome-row", TaskEvent.Opened.class, (record, connection) -> {
                    try (PreparedStatement insert = connection.prepareStatement(
                            "INSERT INTO " + table + " VALUES (?, ?)")) {
                        insert.setString(1, record.stream());
                        insert.setLong(2, record.event().n());
                        insert.executeUpdate();
                    }
                })
                .once("welcome-mail", TaskEvent.Opened.class, record -> mailed.add(record.event().n()),
                        Effects.of((record, result) -> { }, (record, error) -> { }))
                .build();
        Subscription<TaskEvent> first = store.subscribe("welcome").from(StartFrom.END).projection(projection)
                .start();
        await("the subscription holds its partition", () -> first.heldPartitions().size() == 1);
        for (int n = 0; n < 50; n++) {
            store.append("user-" + n, TaskEvent.opened(n));
        }
        long last = lastPosition(store, 50);
        await("the checkpoint reaches the end", () -> store.subscriptions().checkpoint("welcome") == last);
        first.close();

        store.subscriptions().replay("welcome");
        track(store.subscribe("welcome").projection(projection).start());
        await("the replay reaches the end again", () -> store.subscriptions().checkpoint("welcome") == last);

        assertThat(mailed).hasSize(50).doesNotHaveDuplicates();
        try (java.sql.Connection connection = java.sql.DriverManager.getConnection(SERVER.jdbcUrl());
                Statement statement = connection.createStatement();
                ResultSet count = statement.executeQuery("SELECT count(*) FROM " + table)) {
            count.next();
            assertThat(count.getLong(1)).isEqualTo(50);
        }
    }
}
