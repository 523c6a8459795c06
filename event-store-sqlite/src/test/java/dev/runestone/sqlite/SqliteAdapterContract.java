package dev.runestone.sqlite;

import static dev.runestone.sqlite.TestEvents.RECORDED;
import static dev.runestone.sqlite.TestEvents.created;
import static dev.runestone.sqlite.TestEvents.event;
import static dev.runestone.sqlite.TestEvents.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.runestone.ConcurrencyException;
import dev.runestone.Direction;
import dev.runestone.DuplicateEventIdException;
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
import java.util.HashSet;
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
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * What every SQLite store does, in a file or in memory, tested through the storage SPI. Each subclass opens its
 * kind of store.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
abstract class SqliteAdapterContract {

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

    List<StoredEvent> readAll(Direction direction, int limit) {
        return storage.read(new EventQuery(null, Set.of(), null, direction, limit));
    }

    List<StoredEvent> wholeLog() {
        return storage.readLog(0, Integer.MAX_VALUE);
    }

    @Nested
    class Appending {

        @Test
        void assigns_versions_one_to_n_per_stream_and_increasing_positions() {
            AppendOutcome first = storage.append(request(
                    event("a", "t", created(1)), event("b", "t", created(2)), event("a", "t", created(3)),
                    event("a", "t", created(4)), event("b", "t", created(5))));
            AppendOutcome second = storage.append(request(event("a", "t", created(6))));

            assertThat(first.stored()).extracting(StoredEvent::stream, StoredEvent::version)
                    .containsExactly(
                            tuple("a", 1L),
                            tuple("b", 1L),
                            tuple("a", 2L),
                            tuple("a", 3L),
                            tuple("b", 2L));
            assertThat(second.stored()).singleElement().extracting(StoredEvent::version).isEqualTo(4L);
            List<Long> positions = new ArrayList<>();
            first.stored().forEach(stored -> positions.add(stored.position()));
            positions.add(second.stored().getFirst().position());
            assertThat(positions).isSorted().doesNotHaveDuplicates();
            assertThat(positions.getFirst()).isEqualTo(1L);
            assertThat(storage.streamVersion("a")).isEqualTo(4);
            assertThat(storage.streamVersion("b")).isEqualTo(2);
        }

        @Test
        void stores_exactly_the_rows_it_returns() {
            NewEvent withMeta = new NewEvent(UUID.randomUUID(), "s", "t", "{\"a\":[1,2]}", "{\"user\":\"x\"}",
                    created(1));
            NewEvent bare = new NewEvent(UUID.randomUUID(), "s", "t", null, null, created(2));

            AppendOutcome outcome = storage.append(request(withMeta, bare));

            assertThat(outcome.duplicates()).isEmpty();
            assertThat(outcome.stored()).hasSize(2);
            assertThat(readStream("s")).containsExactlyElementsOf(outcome.stored());
            assertThat(storage.findById(bare.id())).contains(outcome.stored().get(1));
            StoredEvent stored = outcome.stored().getFirst();
            assertThat(stored.sameEventAs(withMeta)).isTrue();
            assertThat(outcome.stored().get(1).data()).isNull();
            assertThat(outcome.stored().get(1).meta()).isNull();
        }

        @Test
        void reads_back_the_recorded_instant_equal_to_the_one_written() {
            Instant withNanos = Instant.parse("2031-12-31T23:59:59.987654321Z");
            Instant whole = Instant.parse("1999-01-01T00:00:00Z");
            NewEvent first = event("s", "t", created(1));
            NewEvent second = event("s", "t", created(2));

            storage.append(new AppendRequest(List.of(first), Map.of(), withNanos));
            storage.append(new AppendRequest(List.of(second), Map.of(), whole));

            assertThat(storage.findById(first.id())).get().extracting(StoredEvent::recorded).isEqualTo(withNanos);
            assertThat(storage.findById(second.id())).get().extracting(StoredEvent::recorded).isEqualTo(whole);
        }

        @Test
        void keeps_hostile_stream_ids_verbatim() {
            List<String> streams = List.of("it's", "say \"hi\"", "x'; DROP TABLE runestone_events; --",
                    "a;b;c", "back\\slash", "100%_like", "tab\tand\nnewline", " padded ", "ünïcødé", "日本語",
                    "emoji 🎉🧪", "null", "?", "");
            for (String stream : streams) {
                storage.append(request(event(stream, "t", created(1))));
            }

            for (String stream : streams) {
                assertThat(readStream(stream)).singleElement().extracting(StoredEvent::stream).isEqualTo(stream);
                assertThat(storage.streamVersion(stream)).isEqualTo(1);
            }
            assertThat(wholeLog()).extracting(StoredEvent::stream).containsExactlyElementsOf(streams);
        }

        @Test
        void skips_and_reports_an_identical_event_stored_before() {
            NewEvent first = event("s", "t", created(1));
            NewEvent second = event("s", "t", created(2));
            storage.append(request(first));

            AppendOutcome outcome = storage.append(request(first, second));

            assertThat(outcome.duplicates()).containsExactly(first.id());
            assertThat(outcome.stored()).singleElement().satisfies(stored -> {
                assertThat(stored.id()).isEqualTo(second.id());
                assertThat(stored.version()).isEqualTo(2);
            });
            assertThat(wholeLog()).extracting(StoredEvent::id).containsExactly(first.id(), second.id());
        }

        @Test
        void refuses_other_content_under_a_stored_id_and_writes_nothing_from_the_batch() {
            NewEvent original = event("s", "t", created(1));
            storage.append(request(original));
            NewEvent innocent = event("other", "t", created(2));
            NewEvent impostor = new NewEvent(original.id(), "s", "t", "{\"value\":43}", null, created(1));

            assertThatThrownBy(() -> storage.append(request(innocent, impostor)))
                    .isInstanceOfSatisfying(DuplicateEventIdException.class,
                            refused -> assertThat(refused.id()).isEqualTo(original.id()));

            assertThat(storage.findById(innocent.id())).isEmpty();
            assertThat(storage.streamVersion("other")).isZero();
            assertThat(wholeLog()).singleElement().satisfies(kept -> assertThat(kept.sameEventAs(original)).isTrue());
        }

        @Test
        void treats_any_differing_field_as_other_content() {
            NewEvent original = new NewEvent(UUID.randomUUID(), "s", "t", "{}", "{}", created(1));
            storage.append(request(original));
            List<NewEvent> variants = List.of(
                    new NewEvent(original.id(), "s2", "t", "{}", "{}", created(1)),
                    new NewEvent(original.id(), "s", "t2", "{}", "{}", created(1)),
                    new NewEvent(original.id(), "s", "t", null, "{}", created(1)),
                    new NewEvent(original.id(), "s", "t", "{}", null, created(1)),
                    new NewEvent(original.id(), "s", "t", "{}", "{}", created(2)));

            for (NewEvent variant : variants) {
                assertThatThrownBy(() -> storage.append(request(variant)))
                        .isInstanceOf(DuplicateEventIdException.class);
            }
            assertThat(wholeLog()).hasSize(1);
        }

        @Test
        void refuses_an_expected_version_that_does_not_hold_and_writes_nothing() {
            storage.append(request(event("s", "t", created(1)), event("s", "t", created(2))));
            NewEvent elsewhere = event("other", "t", created(3));
            NewEvent late = event("s", "t", created(4));

            assertThatThrownBy(() -> storage.append(
                    request(Map.of("s", ExpectedVersion.exactly(1)), elsewhere, late)))
                    .isInstanceOfSatisfying(ConcurrencyException.class, conflict -> {
                        assertThat(conflict.stream()).isEqualTo("s");
                        assertThat(conflict.expected()).isEqualTo(ExpectedVersion.exactly(1));
                        assertThat(conflict.actual()).isEqualTo(2);
                    });

            assertThat(storage.findById(elsewhere.id())).isEmpty();
            assertThat(storage.findById(late.id())).isEmpty();
            assertThat(wholeLog()).hasSize(2);
        }

        @Test
        void accepts_an_expected_version_that_holds() {
            storage.append(request(Map.of("s", ExpectedVersion.noStream()), event("s", "t", created(1))));

            AppendOutcome outcome = storage.append(
                    request(Map.of("s", ExpectedVersion.exactly(1)), event("s", "t", created(2))));

            assertThat(outcome.stored()).singleElement().extracting(StoredEvent::version).isEqualTo(2L);
            assertThatThrownBy(() -> storage.append(
                    request(Map.of("s", ExpectedVersion.noStream()), event("s", "t", created(3)))))
                    .isInstanceOf(ConcurrencyException.class);
        }

        @Test
        void does_not_check_a_stream_whose_events_were_all_duplicates() {
            NewEvent event = event("s", "t", created(1));
            AppendRequest request = request(Map.of("s", ExpectedVersion.noStream()), event);
            storage.append(request);

            AppendOutcome retry = storage.append(request);

            assertThat(retry.stored()).isEmpty();
            assertThat(retry.duplicates()).containsExactly(event.id());
            assertThat(wholeLog()).hasSize(1);
        }

        @Test
        void ignores_an_expectation_for_a_stream_it_writes_nothing_to() {
            AppendOutcome outcome = storage.append(
                    request(Map.of("absent", ExpectedVersion.exactly(7)), event("s", "t", created(1))));

            assertThat(outcome.stored()).hasSize(1);
        }

        @Test
        void writes_nothing_for_an_empty_batch() {
            AppendOutcome outcome = storage.append(request());

            assertThat(outcome.stored()).isEmpty();
            assertThat(outcome.duplicates()).isEmpty();
            assertThat(wholeLog()).isEmpty();
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
    class Reading {

        @Test
        void orders_by_created_then_position_whatever_the_append_order() {
            NewEvent third = event("a", "t", created(3));
            NewEvent first = event("b", "t", created(1));
            NewEvent tiedEarlier = event("a", "t", created(2));
            NewEvent tiedLater = event("c", "t", created(2));
            storage.append(request(third));
            storage.append(request(first));
            storage.append(request(tiedEarlier, tiedLater));

            assertThat(readAll(Direction.ASCENDING, Integer.MAX_VALUE)).extracting(StoredEvent::id)
                    .containsExactly(first.id(), tiedEarlier.id(), tiedLater.id(), third.id());
            assertThat(readAll(Direction.DESCENDING, Integer.MAX_VALUE)).extracting(StoredEvent::id)
                    .containsExactly(third.id(), tiedLater.id(), tiedEarlier.id(), first.id());
        }

        @Test
        void starts_after_the_cursor_in_the_read_direction() {
            storage.append(request(event("s", "t", created(1)), event("s", "t", created(2)),
                    event("s", "t", created(3)), event("s", "t", created(4))));

            assertThat(storage.read(new EventQuery(Set.of("s"), Set.of(), created(2), Direction.ASCENDING,
                    Integer.MAX_VALUE))).extracting(StoredEvent::created).containsExactly(created(3), created(4));
            assertThat(storage.read(new EventQuery(Set.of("s"), Set.of(), created(3), Direction.DESCENDING,
                    Integer.MAX_VALUE))).extracting(StoredEvent::created).containsExactly(created(2), created(1));
        }

        @Test
        void returns_at_most_the_limit_from_the_start_of_the_direction() {
            storage.append(request(event("s", "t", created(1)), event("s", "t", created(2)),
                    event("s", "t", created(3))));

            assertThat(readAll(Direction.ASCENDING, 2)).extracting(StoredEvent::created)
                    .containsExactly(created(1), created(2));
            assertThat(readAll(Direction.DESCENDING, 2)).extracting(StoredEvent::created)
                    .containsExactly(created(3), created(2));
        }

        @Test
        void keeps_only_the_requested_types() {
            storage.append(request(event("s", "user:created", created(1)), event("s", "user:renamed", created(2)),
                    event("s", "user:deleted", created(3)), event("other", "user:renamed", created(4))));

            List<StoredEvent> renamedOrDeleted = storage.read(new EventQuery(Set.of("s"),
                    Set.of("user:renamed", "user:deleted"), null, Direction.ASCENDING, Integer.MAX_VALUE));

            assertThat(renamedOrDeleted).extracting(StoredEvent::type)
                    .containsExactly("user:renamed", "user:deleted");
        }

        @Test
        void reads_several_streams_the_whole_log_or_nothing() {
            storage.append(request(event("a", "t", created(1)), event("b", "t", created(2)),
                    event("c", "t", created(3))));

            assertThat(storage.read(new EventQuery(Set.of("a", "c"), Set.of(), null, Direction.ASCENDING,
                    Integer.MAX_VALUE))).extracting(StoredEvent::stream).containsExactly("a", "c");
            assertThat(storage.read(new EventQuery(null, Set.of(), null, Direction.ASCENDING,
                    Integer.MAX_VALUE))).extracting(StoredEvent::stream).containsExactly("a", "b", "c");
            assertThat(storage.read(new EventQuery(Set.of(), Set.of(), null, Direction.ASCENDING,
                    Integer.MAX_VALUE))).isEmpty();
            assertThat(readStream("unknown")).isEmpty();
        }

        @Test
        void merges_a_query_over_more_streams_than_one_statement_binds() {
            int streams = 2_000;
            List<NewEvent> events = new ArrayList<>();
            for (int i = 0; i < streams; i++) {
                events.add(event("s" + i, i % 2 == 0 ? "even" : "odd", created(streams - i)));
            }
            storage.append(new AppendRequest(events, Map.of(), RECORDED));
            storage.append(request(event("outsider", "even", created(0))));
            Set<String> all = new HashSet<>();
            IntStream.range(0, streams).forEach(i -> all.add("s" + i));

            List<StoredEvent> ascending = storage.read(
                    new EventQuery(all, Set.of(), null, Direction.ASCENDING, Integer.MAX_VALUE));
            List<StoredEvent> newestEvens = storage.read(
                    new EventQuery(all, Set.of("even"), created(1_500), Direction.DESCENDING, 3));

            assertThat(ascending).hasSize(streams);
            assertThat(ascending).extracting(StoredEvent::created).isSorted();
            assertThat(ascending.getFirst().stream()).isEqualTo("s1999");
            assertThat(newestEvens).extracting(StoredEvent::stream).containsExactly("s502", "s504", "s506");
        }

        @Test
        void reads_the_log_in_position_order_after_a_position() {
            storage.append(request(event("a", "t", created(3)), event("b", "t", created(1)),
                    event("c", "t", created(2))));

            List<StoredEvent> log = storage.readLog(0, 10);
            assertThat(log).extracting(StoredEvent::stream).containsExactly("a", "b", "c");
            assertThat(storage.readLog(log.getFirst().position(), 1)).extracting(StoredEvent::stream)
                    .containsExactly("b");
            assertThat(storage.readLog(log.getLast().position(), 10)).isEmpty();
            assertThatThrownBy(() -> storage.readLog(0, 0)).isInstanceOf(IllegalArgumentException.class);
        }

        @Test
        void finds_an_event_by_id() {
            NewEvent event = event("s", "t", created(1));
            storage.append(request(event));

            assertThat(storage.findById(event.id())).get().satisfies(found -> {
                assertThat(found.sameEventAs(event)).isTrue();
                assertThat(found.version()).isEqualTo(1);
                assertThat(found.recorded()).isEqualTo(RECORDED);
            });
            assertThat(storage.findById(UUID.randomUUID())).isEmpty();
        }

        @Test
        void tells_whether_a_stream_has_a_newer_event_of_a_type() {
            storage.append(request(event("s", "user:renamed", created(5)), event("s", "user:created", created(9))));

            assertThat(storage.hasNewerEvent("s", "user:renamed", created(4))).isTrue();
            assertThat(storage.hasNewerEvent("s", "user:renamed", created(5))).isFalse();
            assertThat(storage.hasNewerEvent("s", "user:renamed", created(6))).isFalse();
            assertThat(storage.hasNewerEvent("s", "user:deleted", created(1))).isFalse();
            assertThat(storage.hasNewerEvent("other", "user:renamed", created(1))).isFalse();
        }

        @Test
        void reports_version_zero_for_a_stream_without_events() {
            assertThat(storage.streamVersion("nothing here")).isZero();
        }
    }

    @Nested
    class Relations {

        @Test
        void maps_keys_to_streams_and_ignores_repeats() {
            storage.addRelations(List.of(new Relation("user:1:posts", "post-1"),
                    new Relation("user:1:posts", "post-2"), new Relation("user:2:posts", "post-3")));
            storage.addRelations(List.of(new Relation("user:1:posts", "post-1")));

            assertThat(storage.streamsByKeys(List.of("user:1:posts"))).containsExactlyInAnyOrder("post-1", "post-2");
            assertThat(storage.streamsByKeys(List.of("user:1:posts", "user:2:posts")))
                    .containsExactlyInAnyOrder("post-1", "post-2", "post-3");
            assertThat(storage.streamsByKeys(List.of("nobody"))).isEmpty();
            assertThat(storage.streamsByKeys(List.of())).isEmpty();
        }

        @Test
        void removes_relations_one_by_one_by_key_or_by_stream() {
            storage.addRelations(List.of(new Relation("k1", "s1"), new Relation("k1", "s2"),
                    new Relation("k2", "s2"), new Relation("k3", "s3"), new Relation("k4", "s4")));

            storage.removeRelations(List.of(new Relation("k1", "s1"), new Relation("k1", "missing")));
            storage.removeRelationsByStreams(List.of("s2"));
            storage.removeRelationsByKeys(List.of("k3"));

            assertThat(storage.streamsByKeys(List.of("k1", "k2", "k3", "k4"))).containsExactly("s4");
        }

        @Test
        void handles_more_keys_than_one_statement_binds() {
            List<Relation> relations = new ArrayList<>();
            List<String> keys = new ArrayList<>();
            for (int i = 0; i < 2_000; i++) {
                relations.add(new Relation("k" + i, "s" + i));
                keys.add("k" + i);
            }
            storage.addRelations(relations);

            assertThat(storage.streamsByKeys(keys)).hasSize(2_000);

            storage.removeRelationsByKeys(keys.subList(0, 1_000));
            storage.removeRelationsByStreams(IntStream.range(1_000, 1_990).mapToObj(i -> "s" + i).toList());
            assertThat(storage.streamsByKeys(keys)).hasSize(10);
        }

        @Test
        void keeps_hostile_keys_and_streams_verbatim() {
            Relation hostile = new Relation("k'); DELETE FROM runestone_relations; --", "s\"; 🎉");

            storage.addRelations(List.of(hostile, new Relation("plain", "plain")));

            assertThat(storage.streamsByKeys(List.of(hostile.key()))).containsExactly(hostile.stream());
            assertThat(storage.streamsByKeys(List.of("plain"))).containsExactly("plain");
        }
    }

    @Nested
    class Snapshots {

        @Test
        void saves_finds_replaces_and_deletes_a_snapshot() {
            SnapshotRow first = new SnapshotRow("balance", "account-1", created(3), 3, "{\"total\":10}");
            SnapshotRow newer = new SnapshotRow("balance", "account-1", created(7), 7, "{\"total\":25}");
            SnapshotRow otherReducer = new SnapshotRow("history", "account-1", created(2), 2, "[]");

            storage.saveSnapshot(first);
            storage.saveSnapshot(otherReducer);
            assertThat(storage.findSnapshot("balance", "account-1")).contains(first);

            storage.saveSnapshot(newer);
            assertThat(storage.findSnapshot("balance", "account-1")).contains(newer);

            storage.deleteSnapshot("balance", "account-1");
            storage.deleteSnapshot("balance", "never saved");
            assertThat(storage.findSnapshot("balance", "account-1")).isEmpty();
            assertThat(storage.findSnapshot("history", "account-1")).contains(otherReducer);
        }
    }

    @Nested
    class Closing {

        @Test
        void refuses_every_call_after_close() {
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
        void closing_twice_is_harmless() {
            storage.close();

            assertThatCode(storage::close).doesNotThrowAnyException();
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
