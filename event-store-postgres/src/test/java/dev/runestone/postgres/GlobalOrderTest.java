package dev.runestone.postgres;

import static dev.runestone.postgres.TestEvents.event;
import static dev.runestone.postgres.TestEvents.request;
import static org.assertj.core.api.Assertions.assertThat;

import dev.runestone.ExpectedVersion;
import dev.runestone.spi.AppendRequest;
import dev.runestone.spi.NewEvent;
import dev.runestone.spi.StoredEvent;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/**
 * The global log without gaps: a reader following {@code readLog} never moves past an event that commits later
 * with a lower position, is not stalled by a rolled-back append, and under many writers ends with every event
 * exactly once.
 *
 * <p>A "slow" append here is the adapter's own append statement run on a connection the test holds in a
 * transaction: the rows are written and numbered exactly as the store writes them, and the test decides when the
 * transaction ends.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class GlobalOrderTest {

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

    /** Begins a transaction on a connection of its own and runs the store's append statement in it. */
    private HeldAppend holdAppend(PostgresStorage store, AppendRequest request) throws SQLException {
        Connection connection = SERVER.connect();
        connection.setAutoCommit(false);
        List<StoredEvent> stored = store.eventLog().append(connection, request).stored();
        return new HeldAppend(connection, stored);
    }

    private record HeldAppend(Connection connection, List<StoredEvent> stored) implements AutoCloseable {

        StoredEvent only() {
            assertThat(stored).hasSize(1);
            return stored.getFirst();
        }

        void commit() throws SQLException {
            connection.commit();
        }

        void rollback() throws SQLException {
            connection.rollback();
        }

        @Override
        public void close() throws SQLException {
            connection.close();
        }
    }

    /** What a reader that trusts positions alone would see: no gate on transactions in flight. */
    private List<Long> naivePositionsAfter(long position) throws SQLException {
        List<Long> positions = new ArrayList<>();
        try (Connection connection = SERVER.connect();
                PreparedStatement select = connection.prepareStatement("SELECT position FROM \"" + schema
                        + "\".events WHERE position > ? ORDER BY position")) {
            select.setLong(1, position);
            try (ResultSet row = select.executeQuery()) {
                while (row.next()) {
                    positions.add(row.getLong(1));
                }
            }
        }
        return positions;
    }

    /** A reader following the log from a cursor, as a subscription does. */
    private final class Follower {
        long cursor;
        final List<StoredEvent> seen = new ArrayList<>();

        /** Reads everything readLog hands out now, in pages; returns how many events were new. */
        int poll() {
            int read = 0;
            List<StoredEvent> page;
            do {
                page = storage.readLog(cursor, 100);
                for (StoredEvent event : page) {
                    assertThat(event.position()).as("positions only grow").isGreaterThan(cursor);
                    cursor = event.position();
                    seen.add(event);
                }
                read += page.size();
            } while (!page.isEmpty());
            return read;
        }
    }

    @Test
    void a_reader_never_moves_past_an_append_that_commits_after_later_ones() throws Exception {
        StoredEvent before = storage.append(request(event("before", 1))).stored().getFirst();
        Follower reader = new Follower();
        reader.poll();
        assertThat(reader.seen).containsExactly(before);

        try (HeldAppend slow = holdAppend(storage, request(event("slow", 2)))) {
            StoredEvent slowEvent = slow.only();
            List<StoredEvent> fast = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                fast.addAll(storage.append(request(event("fast", 10 + i))).stored());
                reader.poll();
            }

            // The slow append took its position first and commits last: the case that loses events elsewhere.
            assertThat(fast).allSatisfy(event -> assertThat(event.position()).isGreaterThan(slowEvent.position()));
            assertThat(storage.findById(fast.getLast().id())).as("the fast appends are committed").isPresent();
            // A reader trusting positions alone would already be past the slow event's position.
            assertThat(naivePositionsAfter(before.position())).hasSize(20)
                    .allSatisfy(position -> assertThat(position).isGreaterThan(slowEvent.position()));
            // Ours has not moved past it.
            assertThat(reader.seen).containsExactly(before);
            assertThat(reader.cursor).isLessThan(slowEvent.position());

            slow.commit();

            reader.poll();
            List<StoredEvent> expected = new ArrayList<>();
            expected.add(before);
            expected.add(slowEvent);
            expected.addAll(fast);
            assertThat(reader.seen).containsExactlyElementsOf(expected);
            assertThat(reader.poll()).as("nothing is handed out twice").isZero();
        }
    }

    @Test
    void a_rolled_back_append_leaves_an_unused_number_and_does_not_stall_readers() throws Exception {
        Follower reader = new Follower();
        StoredEvent doomed;
        List<StoredEvent> after = new ArrayList<>();
        try (HeldAppend held = holdAppend(storage, request(event("doomed", 1), event("doomed", 2)))) {
            doomed = held.stored().getFirst();
            for (int i = 0; i < 5; i++) {
                after.addAll(storage.append(request(event("after", 10 + i))).stored());
            }
            assertThat(reader.poll()).as("held back while the append might still commit").isZero();

            held.rollback();
        }

        reader.poll();
        assertThat(reader.seen).containsExactlyElementsOf(after);
        assertThat(reader.seen).extracting(StoredEvent::stream).doesNotContain("doomed");
        assertThat(reader.cursor).isGreaterThan(doomed.position());
        assertThat(storage.streamVersion("doomed")).isZero();
        assertThat(storage.append(request(event("doomed", 3))).stored()).singleElement()
                .extracting(StoredEvent::version).as("the rolled-back versions are free again").isEqualTo(1L);
    }

    @Test
    void an_append_whose_connection_dies_counts_as_rolled_back() throws Exception {
        HeldAppend held = holdAppend(storage, request(event("orphan", 1)));
        StoredEvent after = storage.append(request(event("after", 2))).stored().getFirst();
        Follower reader = new Follower();
        assertThat(reader.poll()).isZero();

        held.close();

        // The server aborts the transaction once it notices the connection is gone; until then readers wait.
        assertThat(storage.awaitEvents(reader.cursor, Duration.ofSeconds(30))).isTrue();
        reader.poll();
        assertThat(reader.seen).containsExactly(after);
    }

    @Test
    void eight_writers_of_two_thousand_events_each_reach_a_concurrent_reader_exactly_once() throws Exception {
        int writers = 8;
        int eventsPerWriter = 2_000;
        int total = writers * eventsPerWriter;
        // Three stores with pools of their own stand for three service instances sharing the schema.
        List<PostgresStorage> instances = List.of(storage, SERVER.open(schema), SERVER.open(schema));
        AtomicBoolean writing = new AtomicBoolean(true);
        ExecutorService threads = Executors.newFixedThreadPool(writers + 1);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<List<StoredEvent>>> written = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                PostgresStorage instance = instances.get(w % instances.size());
                int writer = w;
                written.add(threads.submit(() -> {
                    start.await();
                    return write(instance, writer, eventsPerWriter);
                }));
            }
            Future<List<StoredEvent>> followed = threads.submit(() -> {
                start.await();
                return follow(total, writing);
            });

            start.countDown();
            List<StoredEvent> appended = new ArrayList<>();
            try {
                for (Future<List<StoredEvent>> writer : written) {
                    appended.addAll(writer.get());
                }
            } finally {
                writing.set(false);
            }
            List<StoredEvent> seen = followed.get();

            assertThat(appended).hasSize(total);
            assertThat(seen).extracting(StoredEvent::id).doesNotHaveDuplicates();
            assertThat(seen).extracting(StoredEvent::position).isSorted();
            assertThat(seen).hasSize(total).containsExactlyInAnyOrderElementsOf(appended);
            Map<String, List<Long>> versions = new HashMap<>();
            for (StoredEvent event : seen) {
                versions.computeIfAbsent(event.stream(), stream -> new ArrayList<>()).add(event.version());
            }
            versions.forEach((stream, list) -> assertThat(list).as("versions of %s in log order", stream)
                    .containsExactlyElementsOf(IntStream.rangeClosed(1, list.size()).mapToObj(Long::valueOf)
                            .toList()));
        } finally {
            threads.shutdownNow();
            instances.get(1).close();
            instances.get(2).close();
        }
    }

    /**
     * Appends {@code count} events: single events and small batches, to the writer's own streams and to a
     * stream all writers share; now and then through a transaction held open a little on a connection of the
     * writer's own, and now and then one that rolls back first.
     */
    private static List<StoredEvent> write(PostgresStorage store, int writer, int count) throws Exception {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        List<StoredEvent> stored = new ArrayList<>();
        int n = 0;
        try (Connection own = SERVER.connect()) {
            own.setAutoCommit(false);
            while (n < count) {
                // Half single events, half batches of 2 to 16: about five events an append on average.
                int size = Math.min(count - n, random.nextBoolean() ? 1 : 2 + random.nextInt(15));
                // One append in ten also writes to the shared stream, whose versions the writers race for.
                boolean touchesShared = random.nextInt(10) == 0;
                List<NewEvent> batch = new ArrayList<>(size);
                for (int i = 0; i < size; i++) {
                    String stream = touchesShared && i == 0 ? "shared" : "w" + writer + "-" + random.nextInt(20);
                    batch.add(event(stream, n + i));
                }
                AppendRequest request = new AppendRequest(batch, Map.of("shared", ExpectedVersion.any()),
                        TestEvents.RECORDED);
                int roll = random.nextInt(20);
                if (roll == 0) {
                    rolledBack(own, store, request);
                    stored.addAll(store.append(request).stored());
                } else if (roll <= 2) {
                    stored.addAll(heldBriefly(own, store, request));
                } else {
                    stored.addAll(store.append(request).stored());
                }
                n += size;
            }
        }
        return stored;
    }

    /** Appends in a transaction that rolls back. */
    private static void rolledBack(Connection connection, PostgresStorage store, AppendRequest request)
            throws Exception {
        try {
            store.eventLog().append(connection, request);
            Thread.sleep(1);
        } catch (SQLException e) {
            if (!"23505".equals(e.getSQLState())) {
                throw e;
            }
        } finally {
            connection.rollback();
        }
    }

    /** Appends in a transaction held open for a few milliseconds, retrying when it loses a race for a version. */
    private static List<StoredEvent> heldBriefly(Connection connection, PostgresStorage store,
            AppendRequest request) throws Exception {
        while (true) {
            try {
                List<StoredEvent> stored = store.eventLog().append(connection, request)
                        .stored();
                Thread.sleep(1 + ThreadLocalRandom.current().nextInt(5));
                connection.commit();
                return stored;
            } catch (SQLException e) {
                connection.rollback();
                if (!"23505".equals(e.getSQLState())) {
                    throw e;
                }
            }
        }
    }

    /** Follows the log until it has {@code total} events, or the writers stopped and nothing more comes. */
    private List<StoredEvent> follow(int total, AtomicBoolean writing) throws InterruptedException {
        Follower reader = new Follower();
        int quietAfterWriting = 0;
        while (reader.seen.size() < total && quietAfterWriting < 3) {
            boolean wereWriting = writing.get();
            if (reader.poll() == 0) {
                storage.awaitEvents(reader.cursor, Duration.ofMillis(200));
                if (!wereWriting) {
                    quietAfterWriting++;
                }
            }
        }
        return Collections.unmodifiableList(reader.seen);
    }

    @Test
    void positions_of_concurrent_appends_follow_their_transaction_numbers() throws Exception {
        try (HeldAppend first = holdAppend(storage, request(event("a", 1), event("a", 2)));
                HeldAppend second = holdAppend(storage, request(event("b", 3)))) {
            second.commit();
            first.commit();

            assertThat(second.only().position() >> 20).isGreaterThan(first.stored().getFirst().position() >> 20);
            assertThat(storage.readLog(0, 10)).extracting(StoredEvent::stream).containsExactly("a", "a", "b");
        }
    }
}
