package dev.runestone.postgres;

import static dev.runestone.postgres.TestEvents.created;
import static dev.runestone.postgres.TestEvents.event;
import static dev.runestone.postgres.TestEvents.request;
import static org.assertj.core.api.Assertions.assertThat;

import dev.runestone.ConcurrencyException;
import dev.runestone.DuplicateEventIdException;
import dev.runestone.ExpectedVersion;
import dev.runestone.spi.AppendOutcome;
import dev.runestone.spi.NewEvent;
import dev.runestone.spi.StoredEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/**
 * Writers racing across connections and pools. Each writer has a store of its own, with its own pool, on one
 * schema: what several processes sharing the database do.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ConcurrencyTest {

    private static final TestServer SERVER = TestServer.get();
    private static final int WRITERS = 8;

    private String schema;
    private final List<PostgresStorage> stores = new ArrayList<>();
    private ExecutorService threads;

    @BeforeEach
    void open_one_store_per_writer_on_one_schema() {
        schema = SERVER.newSchema();
        for (int i = 0; i < WRITERS; i++) {
            stores.add(SERVER.builder(schema).poolSize(2).build());
        }
        threads = Executors.newFixedThreadPool(WRITERS);
    }

    @AfterEach
    void close_everything() {
        threads.shutdownNow();
        stores.forEach(PostgresStorage::close);
        SERVER.dropSchema(schema);
    }

    /** Runs one task per writer, all released at once, and returns what each returned or threw. */
    private <T> List<Object> race(List<Callable<T>> tasks) throws InterruptedException {
        CyclicBarrier start = new CyclicBarrier(tasks.size());
        List<Future<T>> futures = new ArrayList<>();
        for (Callable<T> task : tasks) {
            futures.add(threads.submit(() -> {
                start.await();
                return task.call();
            }));
        }
        List<Object> results = new ArrayList<>();
        for (Future<T> future : futures) {
            try {
                results.add(future.get());
            } catch (ExecutionException e) {
                results.add(e.getCause());
            }
        }
        return results;
    }

    @Test
    void of_eight_writers_racing_on_one_expected_version_exactly_one_wins_each_round_and_nothing_partial_is_kept()
            throws Exception {
        int rounds = 25;
        for (int round = 0; round < rounds; round++) {
            long expected = 3L * round;
            List<Callable<AppendOutcome>> writers = new ArrayList<>();
            for (int w = 0; w < WRITERS; w++) {
                PostgresStorage store = stores.get(w);
                String by = "{\"writer\":" + w + "}";
                // Three events to the contested stream and one to the writer's own: all or nothing.
                writers.add(() -> store.append(request(Map.of("contested", ExpectedVersion.exactly(expected)),
                        new NewEvent(UUID.randomUUID(), "contested", "t", by, null, created(1)),
                        new NewEvent(UUID.randomUUID(), "own-" + by, "t", by, null, created(2)),
                        new NewEvent(UUID.randomUUID(), "contested", "t", by, null, created(3)),
                        new NewEvent(UUID.randomUUID(), "contested", "t", by, null, created(4)))));
            }

            List<Object> results = race(writers);

            assertThat(results).filteredOn(AppendOutcome.class::isInstance).as("winners of round %d", round)
                    .hasSize(1);
            assertThat(results).filteredOn(result -> !(result instanceof AppendOutcome))
                    .hasSize(WRITERS - 1)
                    .allSatisfy(lost -> assertThat(lost).isInstanceOfSatisfying(ConcurrencyException.class,
                            conflict -> {
                                assertThat(conflict.stream()).isEqualTo("contested");
                                assertThat(conflict.actual()).isEqualTo(expected + 3);
                            }));
        }

        PostgresStorage any = stores.getFirst();
        List<StoredEvent> log = any.readLog(0, Integer.MAX_VALUE);
        List<StoredEvent> contested = log.stream().filter(event -> event.stream().equals("contested")).toList();
        assertThat(contested).extracting(StoredEvent::version)
                .containsExactlyElementsOf(LongStream.rangeClosed(1, 3L * rounds).boxed().toList());
        for (int round = 0; round < rounds; round++) {
            List<StoredEvent> triple = contested.subList(3 * round, 3 * round + 3);
            String winner = triple.getFirst().data();
            assertThat(triple).extracting(StoredEvent::data).as("round %d is one writer's", round)
                    .containsOnly(winner);
        }
        assertThat(log).hasSize(4 * rounds);
    }

    @Test
    void writers_under_any_version_all_succeed_with_versions_without_holes() throws Exception {
        int appendsPerWriter = 40;
        List<Callable<List<StoredEvent>>> writers = new ArrayList<>();
        for (int w = 0; w < WRITERS; w++) {
            PostgresStorage store = stores.get(w);
            writers.add(() -> {
                List<StoredEvent> mine = new ArrayList<>();
                for (int i = 0; i < appendsPerWriter; i++) {
                    mine.addAll(store.append(request(Map.of("hot", ExpectedVersion.any()),
                            event("hot", i), event("hot", i))).stored());
                }
                return mine;
            });
        }

        List<Object> results = race(writers);

        int total = WRITERS * appendsPerWriter * 2;
        assertThat(results).allSatisfy(result -> assertThat(result).isInstanceOf(List.class));
        List<StoredEvent> log = stores.getFirst().readLog(0, Integer.MAX_VALUE);
        assertThat(log).extracting(StoredEvent::version)
                .containsExactlyElementsOf(LongStream.rangeClosed(1, total).boxed().toList());
        assertThat(stores.getFirst().streamVersion("hot")).isEqualTo(total);
    }

    @Test
    void the_same_event_appended_by_eight_writers_at_once_is_stored_once() throws Exception {
        for (int round = 0; round < 10; round++) {
            NewEvent event = event("s", round);
            ExpectedVersion expected = ExpectedVersion.exactly(round);
            List<Callable<AppendOutcome>> writers = new ArrayList<>();
            for (int w = 0; w < WRITERS; w++) {
                PostgresStorage store = stores.get(w);
                writers.add(() -> store.append(request(Map.of("s", expected), event)));
            }

            List<Object> results = race(writers);

            assertThat(results).allSatisfy(result -> assertThat(result).isInstanceOf(AppendOutcome.class));
            List<AppendOutcome> outcomes = results.stream().map(AppendOutcome.class::cast).toList();
            assertThat(outcomes).filteredOn(outcome -> !outcome.stored().isEmpty()).hasSize(1);
            assertThat(outcomes).filteredOn(outcome -> outcome.stored().isEmpty())
                    .allSatisfy(outcome -> assertThat(outcome.duplicates()).containsExactly(event.id()));
        }
        assertThat(stores.getFirst().readLog(0, Integer.MAX_VALUE)).hasSize(10);
    }

    @Test
    void of_writers_racing_with_one_id_for_different_content_one_stores_and_the_others_are_refused()
            throws Exception {
        UUID id = UUID.randomUUID();
        List<Callable<AppendOutcome>> writers = new ArrayList<>();
        for (int w = 0; w < WRITERS; w++) {
            PostgresStorage store = stores.get(w);
            NewEvent mine = new NewEvent(id, "s", "t", "{\"writer\":" + w + "}", null, created(1));
            NewEvent companion = event("companion-" + w, 2);
            writers.add(() -> store.append(request(companion, mine)));
        }

        List<Object> results = race(writers);

        assertThat(results).filteredOn(AppendOutcome.class::isInstance).hasSize(1);
        assertThat(results).filteredOn(result -> !(result instanceof AppendOutcome)).hasSize(WRITERS - 1)
                .allSatisfy(lost -> assertThat(lost).isInstanceOf(DuplicateEventIdException.class));
        List<StoredEvent> log = stores.getFirst().readLog(0, Integer.MAX_VALUE);
        assertThat(log).as("the winner's two events and no companion of a loser").hasSize(2);
        String winner = log.stream().filter(event -> event.id().equals(id)).findFirst().orElseThrow().data();
        assertThat(log).extracting(StoredEvent::stream).contains("companion-" + winner.replaceAll("\\D", ""));
    }
}
