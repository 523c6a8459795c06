package dev.runestone.postgres;

import static dev.runestone.postgres.TestEvents.RECORDED;
import static dev.runestone.postgres.TestEvents.created;
import static dev.runestone.postgres.TestEvents.event;
import static dev.runestone.postgres.TestEvents.request;
import static org.assertj.core.api.Assertions.assertThat;
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
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.IntStream;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** What a PostgreSQL store does, tested through the storage SPI, each test in a fresh schema. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class PostgresStorageTest {

    private static final TestServer SERVER = TestServer.get();

    private String schema;
    private PostgresStorage storage;

    @BeforeEach
    void open_a_store_in_a_fresh_schema() {
        schema = SERVER.newSchema();
        storage = SERVER.open(schema);
    }

    @AfterEach
    void close_the_store_and_drop_its_schema() {
        storage.close();
        SERVER.dropSchema(schema);
    }

    private List<StoredEvent> readStream(String stream) {
        return storage.read(new EventQuery(Set.of(stream), Set.of(), null, Direction.ASCENDING, Integer.MAX_VALUE));
    }

    private List<StoredEvent> readAll(Direction direction, int limit) {
        return storage.read(new EventQuery(null, Set.of(), null, direction, limit));
    }

    /**
     * The whole log once readLog has caught up with every committed event: it holds events back while any older
     * transaction on the server is in flight, and other tests' transactions on a shared server count too.
     */
    private List<StoredEvent> wholeLog() {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            List<StoredEvent> log = storage.readLog(0, Integer.MAX_VALUE);
            if (log.size() >= readAll(Direction.ASCENDING, Integer.MAX_VALUE).size() || System.nanoTime() > deadline) {
                return log;
            }
            LockSupport.parkNanos(Duration.ofMillis(5).toNanos());
        }
    }

    @Nested
    class Appending {

        @Test
        void assigns_versions_one_to_n_per_stream_and_increasing_positions() {
            AppendOutcome first = storage.append(request(
                    event("a", 1), event("b", 2), event("a", 3), event("a", 4), event("b", 5)));
            AppendOutcome second = storage.append(request(event("a", 6)));

            assertThat(first.stored()).extracting(StoredEvent::stream, StoredEvent::version)
                    .containsExactly(tuple("a", 1L), tuple("b", 1L), tuple("a", 2L), tuple("a", 3L), tuple("b", 2L));
            assertThat(second.stored()).singleElement().extracting(StoredEvent::version).isEqualTo(4L);
            List<Long> positions = new ArrayList<>();
            first.stored().forEach(stored -> positions.add(stored.position()));
            positions.add(second.stored().getFirst().position());
            assertThat(positions).isSorted().doesNotHaveDuplicates().allSatisfy(p -> assertThat(p).isPositive());
            assertThat(storage.streamVersion("a")).isEqualTo(4);
            assertThat(storage.streamVersion("b")).isEqualTo(2);
        }

        @Test
        void numbers_the_events_of_one_append_consecutively_under_its_transaction() {
            AppendOutcome first = storage.append(request(event("a", 1), event("b", 2), event("c", 3)));
            AppendOutcome second = storage.append(request(event("a", 4)));

            long base = first.stored().getFirst().position();
            assertThat(first.stored()).extracting(StoredEvent::position).containsExactly(base, base + 1, base + 2);
            assertThat(base & 0xFFFFF).as("an append's first index").isZero();
            assertThat(second.stored().getFirst().position() >> 20).as("the next transaction's number")
                    .isGreaterThan(base >> 20);
        }

        @Test
        void returns_exactly_the_rows_it_stored() {
            NewEvent withMeta = new NewEvent(UUID.randomUUID(), "s", "t", "{\"a\":[1,2]}", "{\"user\":\"x\"}",
                    created(1));
            NewEvent bare = new NewEvent(UUID.randomUUID(), "s", "t", null, null, created(2));

            AppendOutcome outcome = storage.append(request(withMeta, bare));

            assertThat(outcome.duplicates()).isEmpty();
            assertThat(outcome.stored()).hasSize(2);
            assertThat(readStream("s")).containsExactlyElementsOf(outcome.stored());
            assertThat(storage.findById(bare.id())).contains(outcome.stored().get(1));
            assertThat(outcome.stored().get(1).data()).isNull();
            assertThat(outcome.stored().get(1).meta()).isNull();
        }

        @Test
        void keeps_json_by_value_as_jsonb_does() {
            NewEvent event = new NewEvent(UUID.randomUUID(), "s", "t",
                    "{ \"b\" : 1,\n\"a\":[true, null, \"x\\\"y\", 1.50, {\"é\": \"🎉\"}] }", "\"just a string\"",
                    created(1));

            StoredEvent stored = storage.append(request(event)).stored().getFirst();

            assertThat(stored.data()).isEqualTo("{\"a\": [true, null, \"x\\\"y\", 1.50, {\"é\": \"🎉\"}], \"b\": 1}");
            assertThat(stored.meta()).isEqualTo("\"just a string\"");
        }

        @Test
        void stores_the_recorded_instant_to_the_microsecond_and_returns_what_it_stored() {
            Instant withNanos = Instant.parse("2031-12-31T23:59:59.987654321Z");
            Instant whole = Instant.parse("1999-01-01T00:00:00Z");
            NewEvent first = event("s", 1);
            NewEvent second = event("s", 2);

            StoredEvent returned = storage.append(new AppendRequest(List.of(first), Map.of(), withNanos))
                    .stored().getFirst();
            storage.append(new AppendRequest(List.of(second), Map.of(), whole));

            Instant micros = withNanos.truncatedTo(ChronoUnit.MICROS);
            assertThat(returned.recorded()).isEqualTo(micros);
            assertThat(storage.findById(first.id())).get().extracting(StoredEvent::recorded).isEqualTo(micros);
            assertThat(storage.findById(second.id())).get().extracting(StoredEvent::recorded).isEqualTo(whole);
        }

        @Test
        void keeps_hostile_stream_ids_and_types_verbatim() {
            List<String> hostile = List.of("it's", "say \"hi\"", "x'; DROP TABLE events; --",
                    "\"); DROP SCHEMA public CASCADE; --", "a;b;c", "back\\slash", "100%_like", "$1", "?", "$$",
                    "tab\tand\nnewline", " padded ", "ünïcødé", "日本語", "emoji 🎉🧪", "null", "NULL", "",
                    "{\"json\": true}", "{a,b}", "x".repeat(1_000));
            for (String value : hostile) {
                storage.append(request(event(value, value, created(1))));
            }

            for (String value : hostile) {
                assertThat(readStream(value)).singleElement().satisfies(stored -> {
                    assertThat(stored.stream()).isEqualTo(value);
                    assertThat(stored.type()).isEqualTo(value);
                });
                assertThat(storage.streamVersion(value)).isEqualTo(1);
                assertThat(storage.hasNewerEvent(value, value, created(0))).isTrue();
            }
            assertThat(wholeLog()).extracting(StoredEvent::stream).containsExactlyElementsOf(hostile);
            assertThat(storage.read(new EventQuery(Set.copyOf(hostile), Set.of("it's", "$1"), null,
                    Direction.ASCENDING, Integer.MAX_VALUE))).extracting(StoredEvent::stream)
                    .containsExactlyInAnyOrder("it's", "$1");
        }

        @Test
        void skips_and_reports_an_identical_event_stored_before() {
            NewEvent first = event("s", 1);
            NewEvent second = event("s", 2);
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
        void compares_a_stored_event_by_json_value_not_by_text() {
            NewEvent original = new NewEvent(UUID.randomUUID(), "s", "t", "{\"a\":1,\"b\":[1,2]}", "{}", created(1));
            storage.append(request(original));
            NewEvent sameValue = new NewEvent(original.id(), "s", "t", "{ \"b\": [1, 2], \"a\": 1 }", "{ }",
                    created(1));

            AppendOutcome outcome = storage.append(request(sameValue));

            assertThat(outcome.stored()).isEmpty();
            assertThat(outcome.duplicates()).containsExactly(original.id());
        }

        @Test
        void refuses_other_content_under_a_stored_id_and_writes_nothing_from_the_batch() {
            NewEvent original = event("s", 1);
            storage.append(request(original));
            NewEvent innocent = event("other", 2);
            NewEvent impostor = new NewEvent(original.id(), "s", "t", "{\"value\":43}", null, created(1));

            assertThatThrownBy(() -> storage.append(request(innocent, impostor)))
                    .isInstanceOfSatisfying(DuplicateEventIdException.class,
                            refused -> assertThat(refused.id()).isEqualTo(original.id()));

            assertThat(storage.findById(innocent.id())).isEmpty();
            assertThat(storage.streamVersion("other")).isZero();
            assertThat(wholeLog()).singleElement().extracting(StoredEvent::id).isEqualTo(original.id());
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
                    new NewEvent(original.id(), "s", "t", "[]", "{}", created(1)),
                    new NewEvent(original.id(), "s", "t", "{}", "{}", created(2)));

            for (NewEvent variant : variants) {
                assertThatThrownBy(() -> storage.append(request(variant)))
                        .isInstanceOf(DuplicateEventIdException.class);
            }
            assertThat(wholeLog()).hasSize(1);
        }

        @Test
        void reports_a_duplicate_id_before_a_broken_expectation() {
            NewEvent original = event("s", 1);
            storage.append(request(original));
            NewEvent impostor = new NewEvent(original.id(), "s", "t", "{\"value\":0}", null, created(1));

            assertThatThrownBy(() -> storage.append(
                    request(Map.of("other", ExpectedVersion.exactly(5)), event("other", 2), impostor)))
                    .isInstanceOf(DuplicateEventIdException.class);
        }

        @Test
        void refuses_an_expected_version_that_does_not_hold_and_writes_nothing() {
            storage.append(request(event("s", 1), event("s", 2)));
            NewEvent elsewhere = event("other", 3);
            NewEvent late = event("s", 4);

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
        void accepts_expected_versions_that_hold_across_several_streams() {
            storage.append(request(Map.of("s", ExpectedVersion.noStream()), event("s", 1)));

            AppendOutcome outcome = storage.append(request(
                    Map.of("s", ExpectedVersion.exactly(1), "t", ExpectedVersion.noStream(),
                            "u", ExpectedVersion.any()),
                    event("s", 2), event("t", 3), event("u", 4), event("s", 5)));

            assertThat(outcome.stored()).extracting(StoredEvent::stream, StoredEvent::version)
                    .containsExactly(tuple("s", 2L), tuple("t", 1L), tuple("u", 1L), tuple("s", 3L));
            assertThatThrownBy(() -> storage.append(request(Map.of("s", ExpectedVersion.noStream()), event("s", 6))))
                    .isInstanceOfSatisfying(ConcurrencyException.class,
                            conflict -> assertThat(conflict.actual()).isEqualTo(3));
        }

        @Test
        void does_not_check_a_stream_whose_events_were_all_duplicates() {
            NewEvent event = event("s", 1);
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
                    request(Map.of("absent", ExpectedVersion.exactly(7)), event("s", 1)));

            assertThat(outcome.stored()).hasSize(1);
        }

        @Test
        void writes_nothing_for_an_empty_batch() {
            AppendOutcome outcome = storage.append(request());

            assertThat(outcome.stored()).isEmpty();
            assertThat(outcome.duplicates()).isEmpty();
            assertThat(wholeLog()).isEmpty();
        }

        @Test
        void writes_a_large_batch_in_one_append() {
            List<NewEvent> events = IntStream.range(0, 20_000).mapToObj(i -> event("s" + (i % 7), i)).toList();

            AppendOutcome outcome = storage.append(request(events));

            assertThat(outcome.stored()).hasSize(20_000);
            assertThat(outcome.stored()).extracting(StoredEvent::id)
                    .containsExactlyElementsOf(events.stream().map(NewEvent::id).toList());
            assertThat(outcome.stored()).extracting(StoredEvent::position).isSorted().doesNotHaveDuplicates();
            assertThat(wholeLog()).containsExactlyElementsOf(outcome.stored());
            assertThat(storage.streamVersion("s0")).isEqualTo(2858);
        }

        @Test
        void refuses_more_events_than_twenty_bits_can_number_before_touching_the_database() {
            NewEvent event = event("s", 1);
            AppendRequest tooMany = request(Collections.nCopies(EventLog.MAX_EVENTS_PER_APPEND + 1, event));

            assertThatThrownBy(() -> storage.append(tooMany))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("1048576");
            assertThat(wholeLog()).isEmpty();
        }
    }

    @Nested
    class Reading {

        @Test
        void orders_by_created_then_position_whatever_the_append_order() {
            NewEvent third = event("a", 3);
            NewEvent first = event("b", 1);
            NewEvent tiedEarlier = event("a", 2);
            NewEvent tiedLater = event("c", 2);
            storage.append(request(third));
            storage.append(request(first));
            storage.append(request(tiedEarlier, tiedLater));

            assertThat(readAll(Direction.ASCENDING, Integer.MAX_VALUE)).extracting(StoredEvent::id)
                    .containsExactly(first.id(), tiedEarlier.id(), tiedLater.id(), third.id());
            assertThat(readAll(Direction.DESCENDING, Integer.MAX_VALUE)).extracting(StoredEvent::id)
                    .containsExactly(third.id(), tiedLater.id(), tiedEarlier.id(), first.id());
        }

        @Test
        void compares_created_as_java_compares_strings_whatever_the_collation() {
            List<String> created = List.of("a-b", "a.b", "aB", "ab", "A", "a", "Z", "z", "é", "_", "-", "1", "10", "9");
            List<NewEvent> events = created.stream().map(c -> event("s", "t", c)).toList();
            storage.append(request(events));

            List<String> sorted = created.stream().sorted().toList();
            assertThat(readStream("s")).extracting(StoredEvent::created).containsExactlyElementsOf(sorted);
            assertThat(storage.read(new EventQuery(Set.of("s"), Set.of(), "a", Direction.ASCENDING,
                    Integer.MAX_VALUE))).extracting(StoredEvent::created)
                    .containsExactlyElementsOf(sorted.stream().filter(c -> c.compareTo("a") > 0).toList());
        }

        @Test
        void starts_after_the_cursor_in_the_read_direction() {
            storage.append(request(event("s", 1), event("s", 2), event("s", 3), event("s", 4)));

            assertThat(storage.read(new EventQuery(Set.of("s"), Set.of(), created(2), Direction.ASCENDING,
                    Integer.MAX_VALUE))).extracting(StoredEvent::created).containsExactly(created(3), created(4));
            assertThat(storage.read(new EventQuery(Set.of("s"), Set.of(), created(3), Direction.DESCENDING,
                    Integer.MAX_VALUE))).extracting(StoredEvent::created).containsExactly(created(2), created(1));
        }

        @Test
        void returns_at_most_the_limit_from_the_start_of_the_direction() {
            storage.append(request(event("s", 1), event("s", 2), event("s", 3)));

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
            List<StoredEvent> renamedAnywhere = storage.read(new EventQuery(null, Set.of("user:renamed"), null,
                    Direction.ASCENDING, Integer.MAX_VALUE));

            assertThat(renamedOrDeleted).extracting(StoredEvent::type).containsExactly("user:renamed", "user:deleted");
            assertThat(renamedAnywhere).extracting(StoredEvent::stream).containsExactly("s", "other");
        }

        @Test
        void reads_several_streams_the_whole_log_or_nothing() {
            storage.append(request(event("a", 1), event("b", 2), event("c", 3)));

            assertThat(storage.read(new EventQuery(Set.of("a", "c"), Set.of(), null, Direction.ASCENDING,
                    Integer.MAX_VALUE))).extracting(StoredEvent::stream).containsExactly("a", "c");
            assertThat(readAll(Direction.ASCENDING, Integer.MAX_VALUE)).extracting(StoredEvent::stream)
                    .containsExactly("a", "b", "c");
            assertThat(storage.read(new EventQuery(Set.of(), Set.of(), null, Direction.ASCENDING,
                    Integer.MAX_VALUE))).isEmpty();
            assertThat(readStream("unknown")).isEmpty();
        }

        @Test
        void reads_a_query_over_thousands_of_streams_in_one_statement() {
            int streams = 5_000;
            List<NewEvent> events = new ArrayList<>();
            for (int i = 0; i < streams; i++) {
                events.add(event("s" + i, i % 2 == 0 ? "even" : "odd", created(streams - i)));
            }
            storage.append(request(events));
            storage.append(request(event("outsider", "even", created(0))));
            Set<String> all = new HashSet<>();
            IntStream.range(0, streams).forEach(i -> all.add("s" + i));

            List<StoredEvent> ascending = storage.read(
                    new EventQuery(all, Set.of(), null, Direction.ASCENDING, Integer.MAX_VALUE));
            List<StoredEvent> newestEvens = storage.read(
                    new EventQuery(all, Set.of("even"), created(1_500), Direction.DESCENDING, 3));

            assertThat(ascending).hasSize(streams);
            assertThat(ascending).extracting(StoredEvent::created).isSorted();
            assertThat(ascending.getFirst().stream()).isEqualTo("s4999");
            assertThat(newestEvens).extracting(StoredEvent::stream).containsExactly("s3502", "s3504", "s3506");
        }

        @Test
        void reads_the_log_in_position_order_after_a_position() {
            storage.append(request(event("a", 3), event("b", 1)));
            storage.append(request(event("c", 2)));

            List<StoredEvent> log = storage.readLog(0, 10);
            assertThat(log).extracting(StoredEvent::stream).containsExactly("a", "b", "c");
            assertThat(storage.readLog(log.getFirst().position(), 1)).extracting(StoredEvent::stream)
                    .containsExactly("b");
            assertThat(storage.readLog(log.get(1).position(), 10)).extracting(StoredEvent::stream)
                    .containsExactly("c");
            assertThat(storage.readLog(log.getLast().position(), 10)).isEmpty();
            assertThatThrownBy(() -> storage.readLog(0, 0)).isInstanceOf(IllegalArgumentException.class);
        }

        @Test
        void finds_an_event_by_id() {
            NewEvent event = event("s", 1);
            storage.append(request(event));

            assertThat(storage.findById(event.id())).get().satisfies(found -> {
                assertThat(found.id()).isEqualTo(event.id());
                assertThat(found.created()).isEqualTo(event.created());
                assertThat(found.version()).isEqualTo(1);
                assertThat(found.recorded()).isEqualTo(RECORDED.truncatedTo(ChronoUnit.MICROS));
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
                    new Relation("user:1:posts", "post-2"), new Relation("user:2:posts", "post-3"),
                    new Relation("user:1:posts", "post-1")));
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
        void handles_thousands_of_keys_in_one_statement() {
            List<Relation> relations = new ArrayList<>();
            List<String> keys = new ArrayList<>();
            for (int i = 0; i < 5_000; i++) {
                relations.add(new Relation("k" + i, "s" + i));
                keys.add("k" + i);
            }
            storage.addRelations(relations);

            assertThat(storage.streamsByKeys(keys)).hasSize(5_000);

            storage.removeRelationsByKeys(keys.subList(0, 2_500));
            storage.removeRelationsByStreams(IntStream.range(2_500, 4_990).mapToObj(i -> "s" + i).toList());
            assertThat(storage.streamsByKeys(keys)).hasSize(10);
        }

        @Test
        void keeps_hostile_keys_and_streams_verbatim() {
            Relation hostile = new Relation("k'); DELETE FROM relations; --", "s\"; 🎉 {a,b} $1");

            storage.addRelations(List.of(hostile, new Relation("plain", "plain")));

            assertThat(storage.streamsByKeys(List.of(hostile.key()))).containsExactly(hostile.stream());
            assertThat(storage.streamsByKeys(List.of("plain"))).containsExactly("plain");
            storage.removeRelations(List.of(hostile));
            assertThat(storage.streamsByKeys(List.of(hostile.key()))).isEmpty();
        }
    }

    @Nested
    class Snapshots {

        @Test
        void saves_finds_replaces_and_deletes_a_snapshot() {
            SnapshotRow first = new SnapshotRow("balance", "account-1", created(3), 3, "{\"total\":10}");
            SnapshotRow newer = new SnapshotRow("balance", "account-1", created(7), 7, "{\"total\": 25}");
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

        @Test
        void keeps_hostile_reducer_names_and_keys_verbatim() {
            SnapshotRow hostile = new SnapshotRow("r'; --", "k\"\\ 🎉", created(1), 0, "{\"x\": \"'\"}");

            storage.saveSnapshot(hostile);

            assertThat(storage.findSnapshot(hostile.reducer(), hostile.key())).contains(hostile);
        }
    }

    @Nested
    class Closing {

        @Test
        void refuses_every_call_after_close_and_closing_twice_is_harmless() {
            storage.append(request(event("s", 1)));
            storage.close();
            storage.close();

            List<ThrowingCallable> calls = List.of(
                    () -> storage.append(request(event("s", 2))),
                    () -> storage.read(new EventQuery(null, Set.of(), null, Direction.ASCENDING, 1)),
                    () -> storage.readLog(0, 1),
                    () -> storage.findById(UUID.randomUUID()),
                    () -> storage.hasNewerEvent("s", "t", created(0)),
                    () -> storage.streamVersion("s"),
                    () -> storage.addRelations(List.of(new Relation("k", "s"))),
                    () -> storage.streamsByKeys(List.of("k")),
                    () -> storage.saveSnapshot(new SnapshotRow("r", "k", created(1), 1, "{}")),
                    () -> storage.findSnapshot("r", "k"),
                    () -> storage.deleteSnapshot("r", "k"),
                    () -> storage.awaitEvents(0, Duration.ZERO));
            for (ThrowingCallable call : calls) {
                assertThatThrownBy(call).isInstanceOf(StoreClosedException.class)
                        .hasMessageContaining("closed");
            }
        }

        @Test
        void keeps_everything_for_the_next_store_on_the_same_schema() {
            AppendOutcome written = storage.append(request(event("s", 1), event("t", 2)));
            storage.addRelations(List.of(new Relation("k", "s")));
            storage.close();

            try (PostgresStorage reopened = SERVER.open(schema)) {
                assertThat(reopened.readLog(0, 10)).containsExactlyElementsOf(written.stored());
                assertThat(reopened.streamsByKeys(List.of("k"))).containsExactly("s");
                assertThat(reopened.append(request(event("s", 3))).stored()).singleElement()
                        .extracting(StoredEvent::version).isEqualTo(2L);
            }
        }
    }
}
