package dev.runestone.sqlite;

import static dev.runestone.sqlite.TestEvents.created;
import static dev.runestone.sqlite.TestEvents.event;
import static dev.runestone.sqlite.TestEvents.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runestone.ConcurrencyException;
import dev.runestone.Direction;
import dev.runestone.ExpectedVersion;
import dev.runestone.Relation;
import dev.runestone.StoreClosedException;
import dev.runestone.spi.AppendOutcome;
import dev.runestone.spi.AppendRequest;
import dev.runestone.spi.EventQuery;
import dev.runestone.spi.NewEvent;
import dev.runestone.spi.SnapshotRow;
import dev.runestone.spi.StoredEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.LongStream;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * What the SQLite adapter does beyond the SPI contract that {@code StorageAdapterSuite} specifies for every adapter,
 * in a file or in memory: positions from one, JSON and recorded times kept exactly as given, one writer that queues
 * concurrent calls, and refusals that name the store. Each subclass opens its kind of store.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
abstract class SqliteStorageTest {

    SqliteStorage storage;

    abstract SqliteStorage open();

    @BeforeEach
    void open_the_store() {
        storage = open();
    }

    @AfterEach
    void close_the_store() {
        storage.close();
    }

    List<StoredEvent> readStream(String stream) {
        return storage.read(new EventQuery(Set.of(stream), Set.of(), null, Direction.ASCENDING, Integer.MAX_VALUE));
    }

    List<StoredEvent> wholeLog() {
        return storage.readLog(0, Integer.MAX_VALUE);
    }

    @Nested
    class Appending {

        @Test
        void numbers_positions_from_one() {
            AppendOutcome first = storage.append(request(event("a", "t", created(1)), event("b", "t", created(2))));
            AppendOutcome second = storage.append(request(event("a", "t", created(3))));

            assertThat(first.stored()).extracting(StoredEvent::position).containsExactly(1L, 2L);
            assertThat(second.stored()).extracting(StoredEvent::position).containsExactly(3L);
        }

        @Test
        void keeps_json_text_verbatim() {
            NewEvent event = new NewEvent(UUID.randomUUID(), "s", "t", "{\"a\":[1,2]}", "{ \"user\" : \"x\" }",
                    created(1));

            StoredEvent stored = storage.append(request(event)).stored().getFirst();

            assertThat(stored.sameEventAs(event)).isTrue();
            assertThat(storage.findById(event.id())).get().satisfies(found -> {
                assertThat(found.data()).isEqualTo("{\"a\":[1,2]}");
                assertThat(found.meta()).isEqualTo("{ \"user\" : \"x\" }");
            });
        }

        @Test
        void keeps_a_recorded_instant_to_the_nanosecond() {
            Instant withNanos = Instant.parse("2031-12-31T23:59:59.987654321Z");
            NewEvent event = event("s", "t", created(1));

            StoredEvent returned = storage.append(new AppendRequest(List.of(event), Map.of(), withNanos))
                    .stored().getFirst();

            assertThat(returned.recorded()).isEqualTo(withNanos);
            assertThat(storage.findById(event.id())).get().extracting(StoredEvent::recorded).isEqualTo(withNanos);
        }
    }

    @Nested
    class Concurrency {

        @Test
        void eight_threads_appending_to_one_stream_get_versions_one_to_2000_without_holes() throws Exception {
            int threads = 8;
            int appendsPerThread = 250;
            List<Callable<List<StoredEvent>>> writers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                writers.add(() -> {
                    List<StoredEvent> mine = new ArrayList<>();
                    for (int i = 0; i < appendsPerThread; i++) {
                        NewEvent event = event("hot", "t", created(thread * appendsPerThread + i));
                        mine.addAll(storage.append(
                                request(Map.of("hot", ExpectedVersion.any()), event)).stored());
                    }
                    return mine;
                });
            }

            List<StoredEvent> returned = runTogether(writers).stream().flatMap(List::stream).toList();

            int total = threads * appendsPerThread;
            assertThat(returned).hasSize(total);
            assertThat(returned).extracting(StoredEvent::version).doesNotHaveDuplicates()
                    .containsExactlyInAnyOrderElementsOf(LongStream.rangeClosed(1, total).boxed().toList());
            List<StoredEvent> log = wholeLog();
            assertThat(log).hasSize(total);
            assertThat(log).extracting(StoredEvent::version)
                    .containsExactlyElementsOf(LongStream.rangeClosed(1, total).boxed().toList());
            assertThat(log).extracting(StoredEvent::position).isSorted().doesNotHaveDuplicates();
            assertThat(storage.streamVersion("hot")).isEqualTo(total);
        }

        @Test
        void racing_writers_with_exact_expectations_keep_one_winner_per_version() throws Exception {
            int threads = 6;
            int attemptsPerThread = 60;
            List<Callable<Integer>> writers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                writers.add(() -> {
                    int wins = 0;
                    for (int i = 0; i < attemptsPerThread; i++) {
                        long seen = storage.streamVersion("contested");
                        try {
                            storage.append(request(Map.of("contested", ExpectedVersion.exactly(seen)),
                                    event("contested", "t", created(i))));
                            wins++;
                        } catch (ConcurrencyException lost) {
                            assertThat(lost.actual()).isGreaterThan(seen);
                        }
                    }
                    return wins;
                });
            }

            int wins = runTogether(writers).stream().mapToInt(Integer::intValue).sum();

            assertThat(wins).isPositive();
            assertThat(wholeLog()).extracting(StoredEvent::version)
                    .containsExactlyElementsOf(LongStream.rangeClosed(1, wins).boxed().toList());
        }

        @Test
        void readers_beside_writers_always_see_a_stream_without_holes() throws Exception {
            AtomicBoolean writing = new AtomicBoolean(true);
            Callable<Integer> writer = () -> {
                try {
                    for (int i = 0; i < 300; i++) {
                        storage.append(request(event("s", "t", created(i)), event("s", "t", created(i))));
                    }
                    return 0;
                } finally {
                    writing.set(false);
                }
            };
            Callable<Integer> reader = () -> {
                int reads = 0;
                do {
                    List<StoredEvent> seen = readStream("s");
                    assertThat(seen).extracting(StoredEvent::version)
                            .containsExactlyElementsOf(LongStream.rangeClosed(1, seen.size()).boxed().toList());
                    assertThat(seen.size() % 2).as("a batch is seen whole or not at all").isZero();
                    reads++;
                } while (writing.get());
                return reads;
            };

            runTogether(List.of(writer, reader, reader, reader, reader, reader, reader));

            assertThat(storage.streamVersion("s")).isEqualTo(600);
        }

        private <T> List<T> runTogether(List<Callable<T>> tasks) throws Exception {
            ExecutorService pool = Executors.newFixedThreadPool(tasks.size());
            try {
                CountDownLatch start = new CountDownLatch(1);
                List<Future<T>> futures = new ArrayList<>();
                for (Callable<T> task : tasks) {
                    futures.add(pool.submit(() -> {
                        start.await();
                        return task.call();
                    }));
                }
                start.countDown();
                List<T> results = new ArrayList<>();
                for (Future<T> future : futures) {
                    results.add(future.get());
                }
                return results;
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @Nested
    class Closing {

        @Test
        void names_the_sqlite_store_when_it_refuses_a_call_after_close() {
            storage.append(request(event("s", "t", created(1))));
            storage.close();

            List<ThrowingCallable> calls = List.of(
                    () -> storage.append(request(event("s", "t", created(2)))),
                    () -> storage.append(request()),
                    () -> readStream("s"),
                    () -> storage.read(new EventQuery(Set.of(), Set.of(), null, Direction.ASCENDING, 1)),
                    () -> storage.readLog(0, 10),
                    () -> storage.findById(UUID.randomUUID()),
                    () -> storage.hasNewerEvent("s", "t", created(0)),
                    () -> storage.streamVersion("s"),
                    () -> storage.addRelations(List.of(new Relation("k", "s"))),
                    () -> storage.removeRelations(List.of(new Relation("k", "s"))),
                    () -> storage.streamsByKeys(List.of("k")),
                    () -> storage.removeRelationsByKeys(List.of("k")),
                    () -> storage.removeRelationsByStreams(List.of("s")),
                    () -> storage.saveSnapshot(new SnapshotRow("r", "k", created(1), 1, "{}")),
                    () -> storage.findSnapshot("r", "k"),
                    () -> storage.deleteSnapshot("r", "k"));
            for (ThrowingCallable call : calls) {
                assertThatThrownBy(call).isInstanceOf(StoreClosedException.class)
                        .hasMessageContaining("SQLite store").hasMessageContaining("is closed");
            }
        }

        @Test
        void a_call_waiting_when_the_store_closes_is_refused_not_broken() throws Exception {
            List<Throwable> failures = Collections.synchronizedList(new ArrayList<>());
            ExecutorService pool = Executors.newFixedThreadPool(4);
            try {
                List<Future<?>> running = new ArrayList<>();
                for (int t = 0; t < 4; t++) {
                    running.add(pool.submit(() -> {
                        try {
                            for (int i = 0; ; i++) {
                                storage.append(request(event("s", "t", created(i))));
                                readStream("s");
                            }
                        } catch (Throwable stopped) {
                            failures.add(stopped);
                        }
                    }));
                }
                while (failures.isEmpty() && storage.streamVersion("s") < 20) {
                    Thread.onSpinWait();
                }
                storage.close();
                for (Future<?> future : running) {
                    future.get();
                }
            } finally {
                pool.shutdownNow();
            }

            assertThat(failures).hasSize(4).allSatisfy(
                    failure -> assertThat(failure).isInstanceOf(StoreClosedException.class));
        }
    }
}
