package dev.runestone.postgres;

import static dev.runestone.postgres.TestEvents.event;
import static dev.runestone.postgres.TestEvents.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runestone.EventStore;
import dev.runestone.StorageException;
import dev.runestone.spi.AppendOutcome;
import dev.runestone.spi.AppendRequest;
import dev.runestone.spi.NewEvent;
import dev.runestone.spi.StoredEvent;
import dev.runestone.subscription.Subscription;
import dev.runestone.testkit.events.TestEvent;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/**
 * The server goes away mid-run: appends fail with {@link StorageException}, nothing is half-written, and the same
 * store works again once the server is back, in the same JVM. See {@link TestServer#outage()} for how the server
 * is taken away on each kind of test server.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ServerFaultTest {

    private static final TestServer SERVER = TestServer.get();
    private static final Duration PATIENCE = Duration.ofSeconds(60);

    private String schema;
    private PostgresStorage storage;

    @BeforeEach
    void open_a_store_that_gives_up_waiting_for_connections_quickly() {
        schema = SERVER.newSchema();
        storage = SERVER.builder(schema).connectionTimeout(Duration.ofSeconds(1)).build();
    }

    @AfterEach
    void close_the_store_and_drop_its_schema() {
        storage.close();
        SERVER.dropSchema(schema);
    }

    @Test
    void appends_fail_cleanly_while_the_server_is_down_and_succeed_again_once_it_is_back() throws Exception {
        List<StoredEvent> acknowledged = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            acknowledged.addAll(storage.append(request(event("before", 2 * i), event("before-too", 2 * i + 1)))
                    .stored());
        }
        long cursor = acknowledged.getLast().position();
        storage.awaitEvents(cursor, Duration.ofMillis(1));

        List<AppendRequest> refused = new ArrayList<>();
        TestServer.Outage outage = SERVER.outage();
        try {
            for (int i = 0; i < 3; i++) {
                AppendRequest request = request(event("during", 100 + i), event("during-too", 200 + i));
                refused.add(request);
                assertThatThrownBy(() -> storage.append(request))
                        .as("append during the outage (%s)", outage)
                        .isInstanceOf(StorageException.class)
                        .hasMessageContaining("Appending 2 event(s) in PostgreSQL schema '" + schema + "'")
                        .hasMessageContaining("retry");
            }
            assertThatThrownBy(() -> storage.readLog(0, 10)).isInstanceOf(StorageException.class)
                    .hasMessageContaining("nothing was read");
        } finally {
            outage.end();
        }

        StoredEvent after = appendOnceTheServerAnswers(request(event("after", 300))).stored().getFirst();

        List<StoredEvent> log = storage.readLog(0, Integer.MAX_VALUE);
        List<StoredEvent> expected = new ArrayList<>(acknowledged);
        expected.add(after);
        assertThat(log).as("every acknowledged event and nothing of the refused appends")
                .containsExactlyElementsOf(expected);
        for (AppendRequest request : refused) {
            for (NewEvent event : request.events()) {
                assertThat(storage.findById(event.id())).isEmpty();
            }
        }
        assertThat(storage.streamVersion("during")).isZero();
        assertThat(storage.awaitEvents(cursor, PATIENCE)).as("a waiting reader works again").isTrue();
        awaitNotificationAfterAppends();
    }

    @Test
    void a_subscription_says_since_when_it_cannot_renew_its_leases_and_forgets_it_once_the_server_is_back()
            throws Exception {
        EventStore<TestEvent> store = EventStore.builder(TestEvent.registry(), storage).build();
        Subscription<TestEvent> subscription = store.subscribe("through-an-outage").lease(Duration.ofMillis(600))
                .handler((record, status) -> { }).start();
        try {
            awaitTrue("the subscription holds its partition", () -> subscription.heldPartitions().size() == 1);
            assertThat(subscription.leasesUnrenewedSince()).isEmpty();

            TestServer.Outage outage = SERVER.outage();
            try {
                awaitTrue("the subscription notices it cannot renew (" + outage + ")",
                        () -> subscription.leasesUnrenewedSince().isPresent());
            } finally {
                outage.end();
            }
            awaitTrue("the subscription renews again", () -> subscription.leasesUnrenewedSince().isEmpty()
                    && subscription.heldPartitions().size() == 1);
        } finally {
            subscription.close();
        }
    }

    private static void awaitTrue(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Timed out waiting until " + what);
            }
            Thread.sleep(20);
        }
    }

    @Test
    void an_append_cut_off_in_the_middle_of_its_statement_leaves_nothing_behind() throws Exception {
        // A transaction holding the first version of stream "zzz" makes the append stop there, after it has
        // inserted its rows for streams that sort before "zzz" (rows go in in stream order).
        try (Connection blocker = SERVER.connect()) {
            blocker.setAutoCommit(false);
            storage.eventLog().append(blocker, request(event("zzz", 0)));
            List<NewEvent> batch = new ArrayList<>(IntStream.range(0, 1_000).mapToObj(i -> event("aaa", i)).toList());
            batch.add(event("zzz", 1_000));
            AppendRequest request = request(batch);
            CompletableFuture<AppendOutcome> append = CompletableFuture.supplyAsync(() -> storage.append(request));

            long blocked = awaitBlockedAppend();
            assertThat(SERVER.queryLong("SELECT count(*) FROM pg_stat_activity WHERE pid = ? AND state = 'active'",
                    blocked)).isOne();
            SERVER.queryLong("SELECT count(*) FROM (SELECT pg_terminate_backend(?::integer)) AS t", blocked);

            assertThatThrownBy(() -> append.get(PATIENCE.toSeconds(), TimeUnit.SECONDS))
                    .cause().isInstanceOf(StorageException.class)
                    .hasMessageContaining("the connection broke while the append was in flight")
                    .hasMessageContaining("took effect entirely or not at all");
            blocker.rollback();
        }

        assertThat(storage.streamVersion("aaa")).as("no row of the cut-off append").isZero();
        assertThat(storage.readLog(0, Integer.MAX_VALUE)).isEmpty();
        AppendOutcome again = appendOnceTheServerAnswers(request(event("aaa", 1)));
        assertThat(again.stored()).singleElement().extracting(StoredEvent::version).isEqualTo(1L);
    }

    /** The server process of the append statement that waits for a lock in this test's schema. */
    private long awaitBlockedAppend() throws Exception {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (System.nanoTime() < deadline) {
            long pid = SERVER.queryLong("SELECT COALESCE(max(pid), 0) FROM pg_stat_activity "
                    + "WHERE wait_event_type = 'Lock' AND query LIKE 'WITH input AS%' AND query LIKE ?",
                    "%\"" + schema + "\".events%");
            if (pid != 0) {
                return pid;
            }
            Thread.sleep(10);
        }
        throw new AssertionError("The append never got to wait for the blocking transaction");
    }

    /**
     * Appends, retrying while the store's connections still fail: the first calls after a restart may pick pooled
     * connections that died with the old server before the pool has noticed.
     */
    private AppendOutcome appendOnceTheServerAnswers(AppendRequest request) throws InterruptedException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (true) {
            try {
                return storage.append(request);
            } catch (StorageException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(100);
            }
        }
    }

    /** The listening connection reconnected: appends are announced again. */
    private void awaitNotificationAfterAppends() throws InterruptedException {
        long before = storage.notificationsReceived();
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        int n = 0;
        while (storage.notificationsReceived() == before && System.nanoTime() < deadline) {
            storage.append(request(event("announced", n++)));
            Thread.sleep(50);
        }
        assertThat(storage.notificationsReceived()).isGreaterThan(before);
    }
}
