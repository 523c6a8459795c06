package dev.runestone.postgres;

import static dev.runestone.postgres.TestEvents.event;
import static dev.runestone.postgres.TestEvents.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runestone.ConcurrencyException;
import dev.runestone.Direction;
import dev.runestone.DuplicateEventIdException;
import dev.runestone.ExpectedVersion;
import dev.runestone.spi.AppendOutcome;
import dev.runestone.spi.AppendRequest;
import dev.runestone.spi.EventQuery;
import dev.runestone.spi.NewEvent;
import dev.runestone.spi.StoredEvent;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/**
 * The lean single-event statement where it differs from the array statement: it waits on a racing writer's row
 * (speculative insertion) and then stores nothing rather than failing, after which the array statement decides. And
 * it must not run inside a caller's transaction, where that would let a later version take a lower position.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class SingleAppendTest {

    private static final TestServer SERVER = TestServer.get();
    private static final Duration PATIENCE = Duration.ofSeconds(30);

    private final ExecutorService threads = Executors.newCachedThreadPool();
    private String schema;
    private PostgresStorage storage;

    @BeforeEach
    void open_a_store_in_a_fresh_schema() {
        schema = SERVER.newSchema();
        // Uncoalesced, so that the appends of a test race each other on the server as writers in other processes do.
        storage = SERVER.builder(schema).coalesceAppends(false).build();
    }

    @AfterEach
    void close_the_store_and_drop_its_schema() {
        threads.shutdownNow();
        storage.close();
        SERVER.dropSchema(schema);
    }

    /** Runs the store's append in a transaction the test holds open on a connection of its own. */
    private Connection hold(AppendRequest request) throws SQLException {
        Connection connection = SERVER.connect();
        connection.setAutoCommit(false);
        assertThat(storage.eventLog().append(connection, request).stored()).isNotEmpty();
        return connection;
    }

    private void awaitUntil(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waiting until " + what).isLessThan(deadline);
            Thread.sleep(5);
        }
    }

    /** Whether a statement on this test's schema waits for a lock, such as a racing writer's row. */
    private boolean someoneWaitsOnALock() {
        try {
            return SERVER.queryLong("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
                    + "AND query LIKE ?", "%\"" + schema + "\".events%") > 0;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The versions of {@code stream} in position order. Read with {@code read}, not {@code readLog}: on a shared
     * server another session's transaction may hold {@code readLog} back.
     */
    private List<Long> versionsInLogOrder(String stream) {
        return storage.read(new EventQuery(Set.of(stream), Set.of(), null, Direction.ASCENDING, Integer.MAX_VALUE))
                .stream().sorted(Comparator.comparingLong(StoredEvent::position)).map(StoredEvent::version)
                .toList();
    }

    @Test
    void waiting_on_a_racing_writer_that_commits_reports_the_conflict_with_the_actual_version() throws Exception {
        try (Connection racing = hold(request(event("s", 1)))) {
            CompletableFuture<AppendOutcome> append = CompletableFuture.supplyAsync(() -> storage.append(
                    request(Map.of("s", ExpectedVersion.noStream()), event("s", 2))), threads);
            awaitUntil("the append waits on the racing row", this::someoneWaitsOnALock);
            racing.commit();

            assertThatThrownBy(() -> append.get(PATIENCE.toSeconds(), TimeUnit.SECONDS))
                    .cause().isInstanceOfSatisfying(ConcurrencyException.class,
                            e -> assertThat(e.actual()).isEqualTo(1));
        }
        assertThat(versionsInLogOrder("s")).containsExactly(1L);
    }

    @Test
    void waiting_on_a_racing_writer_that_commits_goes_after_it_under_any() throws Exception {
        try (Connection racing = hold(request(event("s", 1)))) {
            CompletableFuture<AppendOutcome> append = CompletableFuture.supplyAsync(() -> storage.append(
                    request(event("s", 2))), threads);
            awaitUntil("the append waits on the racing row", this::someoneWaitsOnALock);
            racing.commit();

            StoredEvent stored = append.get(PATIENCE.toSeconds(), TimeUnit.SECONDS).stored().getFirst();
            assertThat(stored.version()).isEqualTo(2);
        }
        assertThat(versionsInLogOrder("s")).containsExactly(1L, 2L);
    }

    @Test
    void waiting_on_a_racing_writer_that_rolls_back_stores_the_event_itself() throws Exception {
        try (Connection racing = hold(request(event("s", 1)))) {
            CompletableFuture<AppendOutcome> append = CompletableFuture.supplyAsync(() -> storage.append(
                    request(Map.of("s", ExpectedVersion.noStream()), event("s", 2))), threads);
            awaitUntil("the append waits on the racing row", this::someoneWaitsOnALock);
            racing.rollback();

            StoredEvent stored = append.get(PATIENCE.toSeconds(), TimeUnit.SECONDS).stored().getFirst();
            assertThat(stored.version()).isEqualTo(1);
        }
        assertThat(versionsInLogOrder("s")).containsExactly(1L);
    }

    @Test
    void waiting_on_a_racing_writer_with_the_same_id_reports_a_duplicate_or_refuses_other_content()
            throws Exception {
        NewEvent original = event("s", 1);
        NewEvent same = new NewEvent(original.id(), original.stream(), original.type(),
                "{ \"value\" : 42 }", original.meta(), original.created());
        NewEvent other = new NewEvent(original.id(), "elsewhere", original.type(), original.data(),
                original.meta(), original.created());
        try (Connection racing = hold(request(original))) {
            CompletableFuture<AppendOutcome> repeat = CompletableFuture.supplyAsync(() -> storage.append(
                    request(Map.of("s", ExpectedVersion.noStream()), same)), threads);
            CompletableFuture<AppendOutcome> clash = CompletableFuture.supplyAsync(() -> storage.append(
                    request(other)), threads);
            awaitUntil("both appends wait on the racing row", () -> {
                try {
                    return SERVER.queryLong("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = "
                            + "'Lock' AND query LIKE ?", "%\"" + schema + "\".events%") >= 2;
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            });
            racing.commit();

            AppendOutcome repeated = repeat.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
            assertThat(repeated.stored()).isEmpty();
            assertThat(repeated.duplicates()).containsExactly(original.id());
            assertThatThrownBy(() -> clash.get(PATIENCE.toSeconds(), TimeUnit.SECONDS))
                    .cause().isInstanceOf(DuplicateEventIdException.class);
        }
        assertThat(storage.streamVersion("elsewhere")).isZero();
        assertThat(versionsInLogOrder("s")).containsExactly(1L);
    }

    /**
     * A connection that, once the lean statement has been prepared on it, holds the array statement that follows
     * until {@code release} opens: the moment in which a younger transaction can commit the stream's next version.
     */
    private static Connection pausingBeforeTheArrayStatement(Connection real, CountDownLatch paused,
            CountDownLatch release) {
        AtomicBoolean leanPrepared = new AtomicBoolean();
        return (Connection) Proxy.newProxyInstance(SingleAppendTest.class.getClassLoader(),
                new Class<?>[] {Connection.class}, (proxy, method, arguments) -> {
                    if (method.getName().equals("prepareStatement") && arguments != null
                            && arguments[0] instanceof String sql) {
                        if (sql.contains("ON CONFLICT DO NOTHING")) {
                            leanPrepared.set(true);
                        } else if (sql.contains("unnest(") && leanPrepared.get()) {
                            paused.countDown();
                            release.await();
                        }
                    }
                    try {
                        return method.invoke(real, arguments);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    @Test
    void in_a_callers_transaction_a_later_version_never_gets_a_lower_position() throws Exception {
        CountDownLatch paused = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicBoolean lost = new AtomicBoolean();
        try (Connection racing = hold(request(event("s", 1)));
                Connection real = SERVER.connect()) {
            real.setAutoCommit(false);
            Connection held = pausingBeforeTheArrayStatement(real, paused, release);
            // The caller's transaction appends one event to "s" while a racing writer holds version 1, and retries
            // in a fresh transaction when it loses, as a caller of EventLog.append must.
            CompletableFuture<StoredEvent> inTransaction = CompletableFuture.supplyAsync(() -> {
                try {
                    while (true) {
                        try {
                            StoredEvent stored = storage.eventLog().append(held, request(event("s", 2)))
                                    .stored().getFirst();
                            held.commit();
                            return stored;
                        } catch (SQLException e) {
                            held.rollback();
                            if (!"23505".equals(e.getSQLState())) {
                                throw e;
                            }
                            lost.set(true);
                            release.await();
                        }
                    }
                } catch (SQLException | InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            }, threads);
            awaitUntil("the caller's append waits on the racing row", this::someoneWaitsOnALock);
            racing.commit();
            // Either the caller's statement lost (it ran the array statement, which failed on version 1) and will
            // retry, or a lean statement stored nothing and the array statement is about to run in the same
            // transaction: in both cases a younger transaction now appends version 2.
            awaitUntil("the caller's append lost or paused", () -> paused.getCount() == 0 || lost.get());
            StoredEvent younger = storage.append(request(event("s", 3))).stored().getFirst();
            release.countDown();
            StoredEvent callers = inTransaction.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);

            assertThat(younger.version()).isEqualTo(2);
            assertThat(callers.version()).isEqualTo(3);
            assertThat(callers.position()).as("version 3 lies after version 2 in the log")
                    .isGreaterThan(younger.position());
        } finally {
            release.countDown();
        }
        assertThat(versionsInLogOrder("s")).containsExactly(1L, 2L, 3L);
    }
}
