package dev.runestone.postgres.subscription;

import dev.runestone.testkit.TaskEvent;
import static org.assertj.core.api.Assertions.assertThat;

import dev.runestone.EventRecord;
import dev.runestone.EventStore;
import dev.runestone.ImportResult;
import dev.runestone.Reducer;
import dev.runestone.postgres.TestServer;
import dev.runestone.projector.Effects;
import dev.runestone.projector.ProjectionStatus;
import dev.runestone.sqlite.SqliteStorage;
import dev.runestone.subscription.StartFrom;
import dev.runestone.subscription.Subscription;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An edge store on SQLite and a central one on PostgreSQL exchanging events both ways. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class SyncTest {

    private static final TestServer SERVER = TestServer.get();
    private static final Duration PATIENCE = Duration.ofSeconds(20);

    record Trail(String numbers) {
    }

    /** Folds in {@code created} order, so two stores agree only if they hold the same events of each stream. */
    private static final Reducer<Trail, TaskEvent> TRAIL = Reducer.of("trail", Trail.class, () -> new Trail(""),
            (state, record) -> new Trail(state.numbers() + "," + record.event().n()));

    @TempDir
    Path dir;

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

    private <T extends AutoCloseable> T track(T closeable) {
        opened.add(closeable);
        return closeable;
    }

    /** Which handler kinds saw each event: once (new only), on (not outdated), all. */
    private static Map<UUID, Set<String>> watch(EventStore<TaskEvent> store) {
        Map<UUID, Set<String>> seen = new ConcurrentHashMap<>();
        store.projector().once(TaskEvent.class, record -> seen.computeIfAbsent(record.id(),
                id -> ConcurrentHashMap.newKeySet()).add("once"), Effects.of((record, result) -> { },
                (record, error) -> { }));
        store.projector().on(TaskEvent.class, record -> seen.computeIfAbsent(record.id(),
                id -> ConcurrentHashMap.newKeySet()).add("on"));
        store.projector().all(TaskEvent.class, record -> seen.computeIfAbsent(record.id(),
                id -> ConcurrentHashMap.newKeySet()).add("all"));
        return seen;
    }

    private static Map<String, List<String>> streams(EventStore<TaskEvent> store) {
        Map<String, List<String>> streams = new TreeMap<>();
        store.readLog(0, 10_000).stream()
                .sorted((a, b) -> a.created().compareTo(b.created()))
                .forEach(record -> streams.computeIfAbsent(record.stream(), s -> new ArrayList<>())
                        .add(record.id() + "@" + record.created()));
        return streams;
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

    @Test
    void edge_and_central_exchange_events_both_ways_and_converge_with_hydrated_and_outdated_marked()
            throws Exception {
        EventStore<TaskEvent> edge = track(EventStore.builder(TaskEvent.registry(),
                SqliteStorage.file(dir.resolve("edge.db"))).build());
        EventStore<TaskEvent> central = track(EventStore.builder(TaskEvent.registry(), SERVER.open(schema))
                .build());
        Map<UUID, Set<String>> edgeSeen = watch(edge);
        Map<UUID, Set<String>> centralSeen = watch(central);
        Map<UUID, ProjectionStatus> delivered = new ConcurrentHashMap<>();
        Subscription<TaskEvent> subscription = track(central.subscribe("sync-watch").from(StartFrom.END)
                .handler((record, status) -> delivered.put(record.id(), status)).start());
        await("the subscription holds its partition", () -> subscription.heldPartitions().size() == 1);

        EventRecord<TaskEvent> edgeOpened = edge.append("user-1", TaskEvent.opened(1)).records().getFirst();
        EventRecord<TaskEvent> edgeNoted = edge.append("user-1", TaskEvent.noted(10)).records().getFirst();
        // Two clocks can stamp the same millisecond: central has seen the edge's time, so its events are newer.
        central.clock().update(edgeNoted.created());
        EventRecord<TaskEvent> centralOpened = central.append("user-2", TaskEvent.opened(2)).records().getFirst();
        EventRecord<TaskEvent> centralNoted = central.append("user-1", TaskEvent.noted(20)).records().getFirst();
        assertThat(centralNoted.created().isAfter(edgeNoted.created())).isTrue();

        ImportResult<TaskEvent> toCentral = central.importEvents(edge.readLog(0, 1000));
        PostgresSubscriptionTest.lastPosition(central, 4);
        ImportResult<TaskEvent> toEdge = edge.importEvents(central.readLog(0, 1000));

        assertThat(toCentral.imported()).extracting(EventRecord::id).containsExactly(edgeOpened.id(), edgeNoted.id());
        assertThat(toCentral.outdated()).as("central's user-1 already has a newer task:noted")
                .containsExactly(edgeNoted.id());
        assertThat(toEdge.imported()).extracting(EventRecord::id)
                .containsExactly(centralOpened.id(), centralNoted.id());
        assertThat(toEdge.skipped()).containsExactlyInAnyOrder(edgeOpened.id(), edgeNoted.id());
        assertThat(toEdge.outdated()).isEmpty();

        assertThat(streams(edge)).isEqualTo(streams(central)).containsOnlyKeys("user-1", "user-2");
        for (String stream : List.of("user-1", "user-2")) {
            assertThat(edge.reduce(TRAIL, stream)).isEqualTo(central.reduce(TRAIL, stream));
        }
        assertThat(central.reduce(TRAIL, "user-1")).contains(new Trail(",1,10,20"));

        assertThat(central.projector().awaitIdle(PATIENCE)).isTrue();
        assertThat(edge.projector().awaitIdle(PATIENCE)).isTrue();
        assertThat(centralSeen.get(edgeOpened.id())).as("hydrated").containsExactlyInAnyOrder("on", "all");
        assertThat(centralSeen.get(edgeNoted.id())).as("outdated").containsExactly("all");
        assertThat(centralSeen.get(centralNoted.id())).as("live").containsExactlyInAnyOrder("once", "on", "all");
        assertThat(edgeSeen.get(centralOpened.id())).as("hydrated").containsExactlyInAnyOrder("on", "all");
        assertThat(edgeSeen.get(centralNoted.id())).as("hydrated").containsExactlyInAnyOrder("on", "all");
        await("the durable subscription sees the imports", () -> delivered.size() == 4);
        assertThat(delivered).containsEntry(edgeOpened.id(), ProjectionStatus.HYDRATED)
                .containsEntry(edgeNoted.id(), ProjectionStatus.OUTDATED)
                .containsEntry(centralNoted.id(), ProjectionStatus.LIVE);

        ImportResult<TaskEvent> again = central.importEvents(edge.readLog(0, 1000));
        ImportResult<TaskEvent> againEdge = edge.importEvents(central.readLog(0, 1000));
        assertThat(again.imported()).isEmpty();
        assertThat(againEdge.imported()).isEmpty();
        assertThat(central.readLog(0, 1000)).hasSize(4);
        assertThat(edge.readLog(0, 1000)).hasSize(4);
        assertThat(centralNoted.created().isAfter(edge.clock().last())).isFalse();
    }
}
