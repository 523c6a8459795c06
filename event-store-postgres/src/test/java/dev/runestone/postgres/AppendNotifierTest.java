package dev.runestone.postgres;

import static dev.runestone.postgres.TestEvents.event;
import static dev.runestone.postgres.TestEvents.request;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.SQLTransientConnectionException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The background {@code NOTIFY} after appends: while the store is open, every append that stored something is
 * followed by a notification, whatever happened to earlier ones; closing the store ends its thread.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class AppendNotifierTest {

    private static final TestServer SERVER = TestServer.get();
    private static final Duration PATIENCE = Duration.ofSeconds(10);

    private String schema;
    private Connection listening;

    @BeforeEach
    void listen_on_a_fresh_schemas_channel() throws SQLException {
        schema = SERVER.newSchema();
        SERVER.open(schema).close();
        listening = SERVER.connect();
        try (Statement statement = listening.createStatement()) {
            statement.execute("LISTEN \"" + schema + "_events\"");
        }
    }

    @AfterEach
    void drop_the_schema() throws SQLException {
        listening.close();
        SERVER.dropSchema(schema);
    }

    /** Whether a notification arrives on the channel within {@code patience}; takes every one that does. */
    private boolean notifiedWithin(Duration patience) throws SQLException {
        PGConnection postgres = listening.unwrap(PGConnection.class);
        long deadline = System.nanoTime() + patience.toNanos();
        while (System.nanoTime() < deadline) {
            PGNotification[] received = postgres.getNotifications(100);
            if (received != null && received.length > 0) {
                return true;
            }
        }
        return false;
    }

    private Optional<Thread> notifierThread() {
        String name = "runestone-postgres-notifier-" + schema + "_events";
        return Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> thread.getName().equals(name) && thread.isAlive()).findFirst();
    }

    /** The server's connections, except that the notifier's thread gets none while {@code failing} is set. */
    private static final class FailingForTheNotifier implements DataSource {
        final AtomicBoolean failing = new AtomicBoolean();
        final AtomicInteger refused = new AtomicInteger();
        private final PGSimpleDataSource server = new PGSimpleDataSource();

        FailingForTheNotifier() {
            server.setURL(SERVER.jdbcUrl());
        }

        @Override
        public Connection getConnection() throws SQLException {
            if (failing.get() && Thread.currentThread().getName().startsWith("runestone-postgres-notifier-")) {
                refused.incrementAndGet();
                throw new SQLTransientConnectionException("no connection available (pool exhausted)");
            }
            return server.getConnection();
        }

        @Override
        public Connection getConnection(String user, String password) throws SQLException {
            throw new SQLFeatureNotSupportedException();
        }

        @Override
        public PrintWriter getLogWriter() {
            return null;
        }

        @Override
        public void setLogWriter(PrintWriter out) {
        }

        @Override
        public void setLoginTimeout(int seconds) {
        }

        @Override
        public int getLoginTimeout() {
            return 0;
        }

        @Override
        public Logger getParentLogger() throws SQLFeatureNotSupportedException {
            throw new SQLFeatureNotSupportedException();
        }

        @Override
        public <T> T unwrap(Class<T> type) throws SQLException {
            throw new SQLException("not a wrapper");
        }

        @Override
        public boolean isWrapperFor(Class<?> type) {
            return false;
        }
    }

    @Test
    void an_append_whose_notification_failed_is_still_announced_once_a_connection_can_be_had() throws Exception {
        FailingForTheNotifier dataSource = new FailingForTheNotifier();
        try (PostgresStorage store = PostgresStorage.builder().dataSource(dataSource).schema(schema).build()) {
            store.append(request(event("s", 1)));
            assertThat(notifiedWithin(PATIENCE)).as("the first append is announced").isTrue();

            dataSource.failing.set(true);
            assertThat(store.append(request(event("s", 2))).stored()).as("appends go on").hasSize(1);
            long deadline = System.nanoTime() + PATIENCE.toNanos();
            while (dataSource.refused.get() == 0 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertThat(dataSource.refused.get()).as("the notifier tried and got no connection").isPositive();
            dataSource.failing.set(false);

            // No further append: the second one's notification must come without one.
            assertThat(notifiedWithin(PATIENCE)).as("the second append is announced").isTrue();
        }
    }

    @Test
    void the_notifier_goes_on_after_its_thread_was_interrupted() throws Exception {
        try (PostgresStorage store = SERVER.open(schema)) {
            store.append(request(event("s", 1)));
            assertThat(notifiedWithin(PATIENCE)).isTrue();

            notifierThread().orElseThrow().interrupt();
            Thread.sleep(200);

            store.append(request(event("s", 2)));
            assertThat(notifiedWithin(PATIENCE)).as("the append after the interrupt is announced").isTrue();
        }
    }

    @Test
    void closing_the_store_ends_the_notifier_thread_also_while_it_idles() throws Exception {
        PostgresStorage store = SERVER.open(schema);
        store.append(request(event("s", 1)));
        assertThat(notifiedWithin(PATIENCE)).isTrue();
        Thread.sleep(50);
        assertThat(notifierThread()).as("the idle notifier thread").isPresent();
        store.close();

        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (notifierThread().isPresent() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(notifierThread()).as("the notifier thread after close").isEmpty();
    }
}
