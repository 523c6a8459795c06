package dev.runestone.sqlite.subscription;

import dev.runestone.testkit.TaskEvent;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runestone.EventRecord;
import dev.runestone.EventStore;
import dev.runestone.projector.Effects;
import dev.runestone.projector.ProjectionStatus;
import dev.runestone.spi.Lease;
import dev.runestone.sqlite.SqliteStorage;
import dev.runestone.subscription.PoisonPolicy;
import dev.runestone.subscription.Projection;
import dev.runestone.subscription.StartFrom;
import dev.runestone.subscription.Subscription;
import dev.runestone.subscription.SubscriptionStoppedException;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class SqliteSubscriptionTest {

    private static final Duration PATIENCE = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    private final List<AutoCloseable> opened = new ArrayList<>();

    private record Delivery(EventRecord<TaskEvent> record, ProjectionStatus status) {
    }

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable each : opened.reversed()) {
            each.close();
        }
    }

    private EventStore<TaskEvent> open(Path file) {
        EventStore<TaskEvent> store = EventStore.builder(TaskEvent.registry(), SqliteStorage.file(file)).build();
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

    private static void appendSpread(EventStore<TaskEvent> store, int streams, int from, int to) {
        for (int n = from; n < to; n++) {
            store.append("task-" + (n % streams), TaskEvent.noted(n));
        }
    }

    @Test
    void catches_up_with_history_as_hydrated_then_follows_live_appends_in_stream_order() throws Exception {
        EventStore<TaskEvent> store = open(dir.resolve("s.db"));
        appendSpread(store, 7, 0, 600);
        List<Delivery> delivered = new CopyOnWriteArrayList<>();

        track(store.subscribe("all").pageSize(50)
                .handler((record, status) -> delivered.add(new Delivery(record, status))).start());
        await("history is delivered", () -> delivered.size() == 600);
        appendSpread(store, 7, 600, 700);
        await("live events are delivered", () -> delivered.size() == 700);

        assertThat(delivered.subList(0, 600)).allSatisfy(d -> assertThat(d.status().hydrated()).isTrue());
        assertThat(delivered.subList(600, 700)).allSatisfy(d -> assertThat(d.status())
                .isEqualTo(ProjectionStatus.LIVE));
        assertThat(delivered).extracting(d -> d.record().event().n())
                .containsExactlyElementsOf(java.util.stream.LongStream.range(0, 700).boxed().toList());
    }

    @Test
    void a_restarted_subscription_resumes_after_its_checkpoint() throws Exception {
        Path file = dir.resolve("s.db");
        EventStore<TaskEvent> store = open(file);
        List<Long> first = new CopyOnWriteArrayList<>();
        Subscription<TaskEvent> subscription = store.subscribe("resume").from(StartFrom.END)
                .handler((record, status) -> first.add(record.event().n())).start();
        await("the subscription holds its partition", () -> subscription.heldPartitions().size() == 1);
        appendSpread(store, 3, 0, 100);
        await("the first run handles everything", () -> first.size() == 100);
        subscription.close();

        appendSpread(store, 3, 100, 150);
        List<Long> second = new CopyOnWriteArrayList<>();
        track(store.subscribe("resume").from(StartFrom.END)
                .handler((record, status) -> second.add(record.event().n())).start());
        await("the second run handles the rest", () -> second.size() == 50);

        assertThat(second).first().isEqualTo(100L);
        long last = store.readLog(0, 1000).getLast().position();
        await("the checkpoint reaches the last event", () -> store.subscriptions().checkpoint("resume") == last);
    }

    @Test
    void a_transactional_handler_writes_its_read_model_exactly_once_with_the_checkpoint() throws Exception {
        Path file = dir.resolve("s.db");
        EventStore<TaskEvent> store = open(file);
        try (java.sql.Connection connection = java.sql.DriverManager.getConnection("jdbc:sqlite:" + file);
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE totals (stream TEXT PRIMARY KEY, total INTEGER NOT NULL)");
        }
        appendSpread(store, 5, 0, 300);
        track(store.subscribe("totals").transactionalHandler((record, status, connection) -> {
            try (PreparedStatement add = connection.prepareStatement("INSERT INTO totals VALUES (?, ?) "
                    + "ON CONFLICT (stream) DO UPDATE SET total = total + excluded.total")) {
                add.setString(1, record.stream());
                add.setLong(2, record.event().n());
                add.executeUpdate();
            }
        }).start());
        long last = store.readLog(0, 1000).getLast().position();
        await("the checkpoint reaches the end", () -> store.subscriptions().checkpoint("totals") == last);

        Map<String, Long> totals = new HashMap<>();
        try (java.sql.Connection connection = java.sql.DriverManager.getConnection("jdbc:sqlite:" + file);
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT stream, total FROM totals")) {
            while (rows.next()) {
                totals.put(rows.getString(1), rows.getLong(2));
            }
        }
        Map<String, Long> expected = new HashMap<>();
        for (int n = 0; n < 300; n++) {
            expected.merge("task-" + (n % 5), (long) n, Long::sum);
        }
        assertThat(totals).isEqualTo(expected);
    }

    @Test
    void a_poison_event_is_parked_the_rest_proceed_and_a_retry_after_the_fix_succeeds() throws Exception {
        EventStore<TaskEvent> store = open(dir.resolve("s.db"));
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

        assertThat(handled).doesNotContain(13L);
        assertThat(subscription.parked()).singleElement().satisfies(parked -> {
            assertThat(parked.error()).contains("cannot handle 13 yet");
            assertThat(parked.attempts()).isEqualTo(3);
        });
        UUID poison = subscription.parked().getFirst().eventId();
        assertThat(subscription.retryParked(poison)).isFalse();
        assertThat(store.subscriptions().parked("poison").getFirst().attempts()).isEqualTo(4);

        fixed.set(true);
        assertThat(subscription.retryParked(poison)).isTrue();
        assertThat(handled).contains(13L).hasSize(40);
        assertThat(store.subscriptions().parked("poison")).isEmpty();
    }

    @Test
    void under_the_stop_policy_a_poison_event_stops_the_subscription_before_it() throws Exception {
        EventStore<TaskEvent> store = open(dir.resolve("s.db"));
        appendSpread(store, 1, 0, 10);
        List<Long> handled = new CopyOnWriteArrayList<>();
        Subscription<TaskEvent> subscription = track(store.subscribe("stop").retries(2, Duration.ofMillis(1))
                .onPoison(PoisonPolicy.STOP).handler((record, status) -> {
                    if (record.event().n() == 5) {
                        throw new IllegalStateException("five");
                    }
                    handled.add(record.event().n());
                }).start());

        assertThat(subscription.awaitTermination(PATIENCE)).isTrue();
        assertThat(subscription.failure()).get().isInstanceOf(SubscriptionStoppedException.class);
        assertThat(handled).containsExactly(0L, 1L, 2L, 3L, 4L);
        long fifth = store.readLog(0, 100).get(5).position();
        assertThat(store.subscriptions().checkpoint("stop")).isLessThan(fifth);
        assertThat(store.subscriptions().parked("stop")).hasSize(1);

        List<Long> afterFix = new CopyOnWriteArrayList<>();
        track(store.subscribe("stop").handler((record, status) -> afterFix.add(record.event().n())).start());
        await("the restarted subscription handles the rest", () -> afterFix.size() == 5);
        assertThat(afterFix).containsExactly(5L, 6L, 7L, 8L, 9L);
        await("the event is no longer parked", () -> store.subscriptions().parked("stop").isEmpty());
    }

    @Test
    void once_handlers_never_run_again_after_a_replay_while_on_handlers_rebuild_from_hydrated_events()
            throws Exception {
        EventStore<TaskEvent> store = open(dir.resolve("s.db"));
        List<Long> sent = new CopyOnWriteArrayList<>();
        Projection<TaskEvent> projection = Projection.<TaskEvent>builder()
                .once("welcome", TaskEvent.Opened.class, record -> sent.add(record.event().n()),
                        Effects.of((record, result) -> { }, (record, error) -> { }))
                .on(TaskEvent.Opened.class, record -> { })
                .build();
        Subscription<TaskEvent> first = store.subscribe("users").from(StartFrom.END).projection(projection).start();
        await("the subscription holds its partition", () -> first.heldPartitions().size() == 1);
        for (int n = 0; n < 20; n++) {
            store.append("user-" + n, TaskEvent.opened(n));
        }
        await("every welcome is sent", () -> sent.size() == 20);
        first.close();

        store.subscriptions().replay("users");
        List<ProjectionStatus> replayed = new CopyOnWriteArrayList<>();
        Projection<TaskEvent> again = Projection.<TaskEvent>builder()
                .once("welcome", TaskEvent.Opened.class, record -> sent.add(record.event().n()),
                        Effects.of((record, result) -> { }, (record, error) -> { }))
                .all(TaskEvent.Opened.class, record -> { })
                .on(TaskEvent.Opened.class, record -> replayed.add(ProjectionStatus.HYDRATED))
                .build();
        List<ProjectionStatus> statuses = new CopyOnWriteArrayList<>();
        track(store.subscribe("users").projection(again).start());
        track(store.subscribe("users-statuses").from(StartFrom.BEGINNING)
                .handler((record, status) -> statuses.add(status)).start());
        await("the replay reaches every event", () -> replayed.size() == 20 && statuses.size() == 20);

        assertThat(sent).hasSize(20);
        assertThat(statuses).containsOnly(ProjectionStatus.HYDRATED);
    }

    @Test
    void a_once_handler_that_succeeded_does_not_run_again_when_its_event_is_retried() throws Exception {
        EventStore<TaskEvent> store = open(dir.resolve("s.db"));
        AtomicInteger mails = new AtomicInteger();
        AtomicInteger readModelAttempts = new AtomicInteger();
        Projection<TaskEvent> projection = Projection.<TaskEvent>builder()
                .once("mail", TaskEvent.Opened.class, record -> mails.incrementAndGet(),
                        Effects.of((record, result) -> { }, (record, error) -> { }))
                .on(TaskEvent.Opened.class, record -> {
                    if (readModelAttempts.incrementAndGet() < 3) {
                        throw new IllegalStateException("read model busy");
                    }
                })
                .build();
        Subscription<TaskEvent> subscription = track(store.subscribe("mails").from(StartFrom.END)
                .retries(5, Duration.ofMillis(1)).projection(projection).start());
        await("the subscription holds its partition", () -> subscription.heldPartitions().size() == 1);

        store.append("user-1", TaskEvent.opened(1));
        long last = store.readLog(0, 10).getLast().position();
        await("the event is handled", () -> store.subscriptions().checkpoint("mails") == last);

        assertThat(readModelAttempts).hasValue(3);
        assertThat(mails).hasValue(1);
        assertThat(store.subscriptions().parked("mails")).isEmpty();
    }

    @Test
    void a_stale_lease_holder_is_fenced_off_from_committing() throws Exception {
        Path file = dir.resolve("s.db");
        open(file);
        SqliteStorage first = track(SqliteStorage.file(file));
        SqliteStorage second = track(SqliteStorage.file(file));
        Lease stale = first.acquireLease("fenced", 0, "a", Duration.ofMillis(50), 0, 0).orElseThrow();
        assertThat(second.acquireLease("fenced", 0, "b", Duration.ofSeconds(30), 0, 0)).isEmpty();
        Thread.sleep(100);
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
    void two_instances_on_one_file_split_the_partitions_and_handle_every_event_once_in_stream_order()
            throws Exception {
        Path file = dir.resolve("s.db");
        EventStore<TaskEvent> writer = open(file);
        Map<String, List<Long>> seen = new ConcurrentHashMap<>();
        Map<UUID, String> handledBy = new ConcurrentHashMap<>();
        List<String> doubles = new CopyOnWriteArrayList<>();
        List<Subscription<TaskEvent>> instances = new ArrayList<>();
        for (String name : List.of("one", "two")) {
            EventStore<TaskEvent> store = open(file);
            instances.add(track(store.subscribe("split").from(StartFrom.END).partitions(4)
                    .lease(Duration.ofSeconds(2)).instanceName(name).handler((record, status) -> {
                        if (handledBy.putIfAbsent(record.id(), name) != null) {
                            doubles.add(record.id().toString());
                        }
                        seen.computeIfAbsent(record.stream(), s -> new CopyOnWriteArrayList<>())
                                .add(record.event().n());
                    }).start()));
        }
        await("the instances share the partitions", () -> instances.get(0).heldPartitions().size() == 2
                && instances.get(1).heldPartitions().size() == 2);
        appendSpread(writer, 16, 0, 800);
        await("every event is handled", () -> handledBy.size() == 800);

        assertThat(doubles).isEmpty();
        assertThat(Set.copyOf(handledBy.values())).containsExactlyInAnyOrder("one", "two");
        for (Map.Entry<String, List<Long>> stream : seen.entrySet()) {
            assertThat(stream.getValue()).as(stream.getKey()).isSorted();
        }
        Optional<Throwable> none = Optional.empty();
        assertThat(instances.get(0).failure()).isEqualTo(none);
        assertThatThrownBy(() -> writer.subscribe(" ")).isInstanceOf(IllegalArgumentException.class);
    }
}
