package dev.runestone.postgres;

import static dev.runestone.postgres.TestEvents.created;
import static dev.runestone.postgres.TestEvents.event;
import static dev.runestone.postgres.TestEvents.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runestone.Direction;
import dev.runestone.Relation;
import dev.runestone.spi.AppendOutcome;
import dev.runestone.spi.AppendRequest;
import dev.runestone.spi.EventQuery;
import dev.runestone.spi.NewEvent;
import dev.runestone.spi.StoredEvent;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * What the PostgreSQL adapter does beyond the SPI contract that {@code StorageAdapterSuite} specifies for every
 * adapter: positions numbered under the transaction id and the 20-bit limit on an append that follows from it, JSON
 * kept and compared by value as {@code jsonb} does, recorded times to the microsecond, {@code created} compared
 * whatever the collation, and a schema that outlives its store. Each test runs in a fresh schema.
 */
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
            NewEvent event = event("s", 1);

            StoredEvent returned = storage.append(new AppendRequest(List.of(event), Map.of(), withNanos))
                    .stored().getFirst();

            Instant micros = withNanos.truncatedTo(ChronoUnit.MICROS);
            assertThat(returned.recorded()).isEqualTo(micros);
            assertThat(storage.findById(event.id())).get().extracting(StoredEvent::recorded).isEqualTo(micros);
            assertThat(storage.findById(event.id())).contains(returned);
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
    }

    @Nested
    class Closing {

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
