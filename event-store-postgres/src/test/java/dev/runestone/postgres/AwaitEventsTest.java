package dev.runestone.postgres;

import static dev.runestone.postgres.TestEvents.event;
import static dev.runestone.postgres.TestEvents.request;
import static org.assertj.core.api.Assertions.assertThat;

import dev.runestone.spi.StoredEvent;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/** Waiting for new events without polling: LISTEN/NOTIFY, and what happens when a notification cannot help. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class AwaitEventsTest {

    private static final TestServer SERVER = TestServer.get();
    /** Long enough never to pass on a healthy machine; the tests finish as soon as the awaited thing happens. */
    private static final Duration PATIENCE = Duration.ofSeconds(60);

    private String schema;
    private PostgresStorage reader;
    private PostgresStorage writer;

    @BeforeEach
    void open_a_reading_and_a_writing_store_on_one_schema() {
        schema = SERVER.newSchema();
        reader = SERVER.open(schema);
        writer = SERVER.open(schema);
    }

    @AfterEach
    void close_both_and_drop_the_schema() {
        reader.close();
        writer.close();
        SERVER.dropSchema(schema);
    }

    /** Waits until the reader's listening connection has received more than {@code count} notifications. */
    private void awaitNotificationsBeyond(long count) throws InterruptedException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (reader.notificationsReceived() <= count && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(reader.notificationsReceived()).as("notifications received").isGreaterThan(count);
    }

    @Test
    void an_append_in_another_store_wakes_a_waiting_reader_through_a_notification() throws Exception {
        StoredEvent first = writer.append(request(event("s", 1))).stored().getFirst();
        reader.awaitEvents(first.position(), Duration.ZERO);
        awaitListening();
        long before = reader.notificationsReceived();

        CompletableFuture<Boolean> waiting = CompletableFuture.supplyAsync(() -> await(first.position()));
        StoredEvent second = writer.append(request(event("s", 2))).stored().getFirst();

        assertThat(waiting.get(PATIENCE.toSeconds(), TimeUnit.SECONDS)).isTrue();
        awaitNotificationsBeyond(before);
        assertThat(reader.readLog(first.position(), 10)).containsExactly(second);
    }

    @Test
    void an_append_that_stores_nothing_new_sends_no_notification() throws Exception {
        var event = event("s", 1);
        // Through a store closed before listening starts: its notification, sent after the append returned, must
        // not arrive after LISTEN and pass for one of those below.
        try (PostgresStorage first = SERVER.open(schema)) {
            first.append(request(event));
        }
        try (Connection listening = SERVER.connect(); Statement statement = listening.createStatement()) {
            String channel = "\"" + schema + "_events\"";
            statement.execute("LISTEN " + channel);

            // Notifications arrive in commit order, and closing a store sends what it still owes: each marker
            // closes off what the store before it sent.
            try (PostgresStorage repeating = SERVER.open(schema)) {
                repeating.append(request(event));
            }
            statement.execute("NOTIFY " + channel + ", 'after the repeat'");
            try (PostgresStorage appending = SERVER.open(schema)) {
                appending.append(request(event("s", 2)));
            }
            statement.execute("NOTIFY " + channel + ", 'after the new event'");

            List<String> payloads = new ArrayList<>();
            PGConnection postgres = listening.unwrap(PGConnection.class);
            long deadline = System.nanoTime() + PATIENCE.toNanos();
            while (!payloads.contains("after the new event") && System.nanoTime() < deadline) {
                PGNotification[] received = postgres.getNotifications(100);
                if (received != null) {
                    for (PGNotification notification : received) {
                        payloads.add(notification.getParameter());
                    }
                }
            }
            assertThat(payloads).as("nothing for the repeat, one notification for the new event")
                    .containsExactly("after the repeat", "", "after the new event");
        }
    }

    @Test
    void a_reader_waits_while_a_transaction_in_flight_holds_committed_events_back() throws Exception {
        StoredEvent first = writer.append(request(event("s", 1))).stored().getFirst();
        try (Connection slow = SERVER.connect()) {
            slow.setAutoCommit(false);
            StoredEvent held = writer.eventLog().append(slow, request(event("slow", 2)))
                    .stored().getFirst();
            StoredEvent later = writer.append(request(event("s", 3))).stored().getFirst();

            assertThat(reader.awaitEvents(first.position(), Duration.ofMillis(300)))
                    .as("the committed later event is held back behind the one in flight").isFalse();
            CompletableFuture<Boolean> waiting = CompletableFuture.supplyAsync(() -> await(first.position()));

            slow.commit();

            assertThat(waiting.get(PATIENCE.toSeconds(), TimeUnit.SECONDS)).isTrue();
            assertThat(reader.readLog(first.position(), 10)).containsExactly(held, later);
        }
    }

    @Test
    void the_listening_connection_comes_back_after_the_server_cut_it() throws Exception {
        StoredEvent first = writer.append(request(event("s", 1))).stored().getFirst();
        reader.awaitEvents(first.position(), Duration.ZERO);
        awaitListening();

        try (Connection admin = SERVER.connect(); Statement statement = admin.createStatement()) {
            statement.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    + "WHERE application_name = 'runestone listener " + schema + "_events'");
        }
        long before = reader.notificationsReceived();
        CompletableFuture<Boolean> waiting = CompletableFuture.supplyAsync(() -> await(first.position()));
        writer.append(request(event("s", 2)));

        assertThat(waiting.get(PATIENCE.toSeconds(), TimeUnit.SECONDS)).as("a waiter is never stranded").isTrue();
        // Whether that append's notification was lost or not, the next ones arrive on the new connection.
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (reader.notificationsReceived() <= before && System.nanoTime() < deadline) {
            writer.append(request(event("s", 3)));
            Thread.sleep(50);
        }
        assertThat(reader.notificationsReceived()).isGreaterThan(before);
    }

    private boolean await(long afterPosition) {
        try {
            return reader.awaitEvents(afterPosition, PATIENCE);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Waits until the reader's listening connection has run LISTEN. */
    private void awaitListening() throws Exception {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (SERVER.queryLong("SELECT count(*) FROM pg_stat_activity WHERE application_name = ? "
                + "AND query LIKE 'LISTEN%'", "runestone listener " + schema + "_events") == 0
                && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
    }
}
