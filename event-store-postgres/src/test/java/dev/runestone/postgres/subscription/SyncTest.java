package dev.runestone.postgres.subscription;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.runestone.EventRecord;
import dev.runestone.EventStore;
import dev.runestone.ImportResult;
import dev.runestone.Reducer;
import dev.runestone.postgres.TestServer;
import dev.runestone.registry.EventRegistry;
import dev.runestone.sqlite.SqliteStorage;
import dev.runestone.testkit.TaskEvent;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An edge store on SQLite and a central one on PostgreSQL exchanging events both ways. What an import does on each
 * adapter is the testkit's {@code ImportSuite}; this checks that the two adapters agree with each other.
 */
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

    private static Map<String, List<String>> streams(EventStore<TaskEvent> store) {
        Map<String, List<String>> streams = new TreeMap<>();
        store.readLog(0, 10_000).events().stream()
                .sorted((a, b) -> a.created().compareTo(b.created()))
                .forEach(record -> streams.computeIfAbsent(record.stream(), s -> new ArrayList<>())
                        .add(record.id() + "@" + record.created()));
        return streams;
    }

    /**
     * Waits until the log returns all {@code expected} events: on PostgreSQL a write transaction in flight anywhere
     * on the server can hold the gap-free log back for a moment.
     */
    private static void awaitLog(EventStore<TaskEvent> store, int expected) throws InterruptedException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (store.readLog(0, expected + 1).events().size() < expected) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Gave up waiting until the log returns all " + expected + " events");
            }
            Thread.sleep(10);
        }
    }

    @Test
    void edge_and_central_exchange_events_both_ways_and_converge() throws Exception {
        EventStore<TaskEvent> edge = track(EventStore.builder(TaskEvent.registry(),
                SqliteStorage.file(dir.resolve("edge.db"))).build());
        EventStore<TaskEvent> central = track(EventStore.builder(TaskEvent.registry(), SERVER.open(schema))
                .build());

        EventRecord<TaskEvent> edgeOpened = edge.append("user-1", TaskEvent.opened(1)).records().getFirst();
        EventRecord<TaskEvent> edgeNoted = edge.append("user-1", TaskEvent.noted(10)).records().getFirst();
        // Two clocks can stamp the same millisecond: central has seen the edge's time, so its events are newer.
        central.clock().update(edgeNoted.created());
        EventRecord<TaskEvent> centralOpened = central.append("user-2", TaskEvent.opened(2)).records().getFirst();
        EventRecord<TaskEvent> centralNoted = central.append("user-1", TaskEvent.noted(20)).records().getFirst();
        assertThat(centralNoted.created().isAfter(edgeNoted.created())).isTrue();

        ImportResult<TaskEvent> toCentral = central.importEvents(edge.readLog(0, 1000).events());
        awaitLog(central, 4);
        ImportResult<TaskEvent> toEdge = edge.importEvents(central.readLog(0, 1000).events());

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
        for (EventRecord<TaskEvent> made : List.of(edgeOpened, edgeNoted, centralOpened, centralNoted)) {
            assertThat(edge.find(made.id())).get().extracting(EventRecord::event).isEqualTo(made.event());
            assertThat(central.find(made.id())).get().extracting(EventRecord::event).isEqualTo(made.event());
        }
    }

    /** The edge's first release wrote a count; today's writes it with a unit. */
    sealed interface Release1 {
    }

    record CountedV1(long data) implements Release1 {
    }

    record Quantity(long amount, String unit) {
    }

    sealed interface Today {
    }

    record Counted(Quantity data) implements Today {
    }

    record StoredCountedV1(long data) {
    }

    private static EventRegistry<Today> today() {
        return EventRegistry.builder(Today.class)
                .register("stock:counted", 2, Counted.class)
                .upcaster("stock:counted", 1, StoredCountedV1.class,
                        (StoredCountedV1 stored) -> new Counted(new Quantity(stored.data(), "piece")))
                .build();
    }

    @Test
    void events_an_edge_stored_at_an_older_version_arrive_at_central_as_today_s_records() throws Exception {
        Path file = dir.resolve("old-edge.db");
        try (EventStore<Release1> oldEdge = EventStore.builder(EventRegistry.builder(Release1.class)
                .register("stock:counted", CountedV1.class).build(), SqliteStorage.file(file)).build()) {
            oldEdge.append("shelf-1", new CountedV1(3));
            oldEdge.append("shelf-1", new CountedV1(5));
        }
        EventStore<Today> edge = track(EventStore.builder(today(), SqliteStorage.file(file)).build());
        EventStore<Today> central = track(EventStore.builder(today(), SERVER.open(schema)).build());

        List<EventRecord<Today>> fromEdge = edge.readLog(0, 100).events();
        central.importEvents(fromEdge);
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (central.readLog(0, 10).events().size() < 2 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }

        assertThat(fromEdge).extracting(EventRecord::schemaVersion).containsExactly(1, 1);
        assertThat(central.readLog(0, 10).events()).extracting(EventRecord::event, EventRecord::schemaVersion)
                .containsExactly(tuple(new Counted(new Quantity(3, "piece")), 2),
                        tuple(new Counted(new Quantity(5, "piece")), 2));
        assertThat(central.importEvents(edge.readLog(0, 100).events()).skipped()).hasSize(2);
    }
}
