package dev.runestone.postgres;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connection that {@code LISTEN}s on the store's channel, and a counter that moves whenever waiting readers
 * should look at the log again: a notification arrived, or the connection was (re)established and notifications
 * may have been missed.
 *
 * <p>Its thread starts with the first wait and runs until {@link #close()}. When the connection fails (the server
 * restarted, the network dropped) it reconnects with growing pauses; meanwhile {@link #isListening()} is false and
 * waiters fall back to polling. Thread-safe.
 */
final class AppendListener {

    private static final Logger LOG = LoggerFactory.getLogger(AppendListener.class);

    /** How long one {@code getNotifications} call blocks; bounds how long {@link #close()} waits. */
    private static final int POLL_MILLIS = 250;
    /** After this long without a notification, the connection is checked with a query. */
    private static final long CHECK_AFTER_NANOS = TimeUnit.SECONDS.toNanos(10);
    /** How long the connection check may take before the connection counts as lost. */
    private static final int CHECK_TIMEOUT_MILLIS = 10_000;
    private static final long FIRST_PAUSE_MILLIS = 100;
    private static final long LONGEST_PAUSE_MILLIS = 5_000;

    private final PostgresConnections connections;
    private final String channel;
    private final Object monitor = new Object();
    private final AtomicLong notifications = new AtomicLong();

    private long generation;
    private boolean listening;
    private boolean closed;
    private @Nullable Thread thread;

    AppendListener(PostgresConnections connections, String channel) {
        this.connections = connections;
        this.channel = channel;
    }

    /** Starts the listening thread unless it runs already. */
    void start() {
        synchronized (monitor) {
            if (thread != null || closed) {
                return;
            }
            Thread started = Thread.ofPlatform().daemon().name("runestone-postgres-listener-" + channel)
                    .unstarted(this::run);
            thread = started;
            started.start();
        }
    }

    /** A number that changes whenever readers should look again; compare it before and after a wait. */
    long generation() {
        synchronized (monitor) {
            return generation;
        }
    }

    /** Whether the {@code LISTEN} connection is up now, so that a wait will be woken by the next append. */
    boolean isListening() {
        synchronized (monitor) {
            return listening;
        }
    }

    /** Events were appended through this process's store: wakes its waiting readers without a round trip. */
    void appendedHere() {
        synchronized (monitor) {
            generation++;
            monitor.notifyAll();
        }
    }

    /** How many notifications arrived so far; for tests. */
    long notificationsReceived() {
        return notifications.get();
    }

    /**
     * Waits until {@link #generation()} differs from {@code seen}, the listener closes, or {@code timeoutNanos}
     * pass.
     */
    void awaitChange(long seen, long timeoutNanos) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutNanos;
        synchronized (monitor) {
            while (generation == seen && !closed) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return;
                }
                TimeUnit.NANOSECONDS.timedWait(monitor, left);
            }
        }
    }

    /** Stops the thread and closes its connection; waits up to a second for it. Idempotent. */
    void close() {
        Thread running;
        synchronized (monitor) {
            closed = true;
            generation++;
            monitor.notifyAll();
            running = thread;
        }
        if (running != null && running != Thread.currentThread()) {
            // Cuts a pause between reconnection attempts short; a wait for notifications ends within POLL_MILLIS.
            running.interrupt();
            try {
                running.join(4L * POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private boolean isClosed() {
        synchronized (monitor) {
            return closed;
        }
    }

    private void wake(boolean nowListening) {
        synchronized (monitor) {
            listening = nowListening;
            generation++;
            monitor.notifyAll();
        }
    }

    private void run() {
        long pause = FIRST_PAUSE_MILLIS;
        while (!isClosed()) {
            try {
                listen();
                pause = FIRST_PAUSE_MILLIS;
            } catch (SQLException | RuntimeException e) {
                if (isClosed()) {
                    return;
                }
                LOG.debug("Listening on channel {} failed; trying again in {} ms", channel, pause, e);
                wake(false);
                try {
                    Thread.sleep(pause);
                } catch (InterruptedException interrupted) {
                    return;
                }
                pause = Math.min(LONGEST_PAUSE_MILLIS, pause * 2);
            }
        }
    }

    /** Listens until the listener closes; throws when the connection fails. */
    private void listen() throws SQLException {
        try (Connection connection = connections.listenerConnection()) {
            PGConnection postgres = connection.unwrap(PGConnection.class);
            // LISTEN inside a transaction would only start at its commit.
            boolean wasAutoCommit = connection.getAutoCommit();
            connection.setAutoCommit(true);
            // Bounds how long the liveness query below can hang on a connection the network dropped silently.
            int networkTimeout = connection.getNetworkTimeout();
            connection.setNetworkTimeout(Runnable::run, CHECK_TIMEOUT_MILLIS);
            try (Statement statement = connection.createStatement()) {
                // Named, so that an operator looking at pg_stat_activity sees what the idle connection is for.
                statement.execute("SET application_name = 'runestone listener " + channel + "'");
                statement.execute("LISTEN \"" + channel + "\"");
            }
            // Appends that committed before LISTEN took effect sent no notification we will see: look again.
            wake(true);
            long lastHeard = System.nanoTime();
            while (!isClosed()) {
                PGNotification[] received = postgres.getNotifications(POLL_MILLIS);
                if (received != null && received.length > 0) {
                    notifications.addAndGet(received.length);
                    lastHeard = System.nanoTime();
                    wake(true);
                } else if (System.nanoTime() - lastHeard > CHECK_AFTER_NANOS) {
                    // A silently dropped connection delivers nothing and raises nothing; a query notices it.
                    try (Statement statement = connection.createStatement()) {
                        statement.execute("SELECT 1");
                    }
                    lastHeard = System.nanoTime();
                }
            }
            try (Statement statement = connection.createStatement()) {
                // A connection from the user's pool goes back to it: it must not keep listening there.
                statement.execute("UNLISTEN *");
                statement.execute("RESET application_name");
            }
            connection.setAutoCommit(wasAutoCommit);
            connection.setNetworkTimeout(Runnable::run, networkTimeout);
        }
    }
}
