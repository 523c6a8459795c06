package dev.runestone.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends the store's {@code NOTIFY} after appends have committed, from a thread of its own, so that an append costs
 * its writer one round trip rather than two. Appends that commit while a notification is on its way, or within a
 * millisecond after it, share the next one: however many appends commit, the server runs at most about a thousand
 * notifying transactions a second for this store, and a listener hears of an append at most a millisecond later.
 *
 * <p>Notifying from the append's own transaction is not an option: PostgreSQL holds one cluster-wide lock from a
 * notifying transaction's pre-commit until its commit record is flushed, so notifying appends would reach the disk
 * one at a time (on a 2-core test machine 8 writers managed 290 commits/s that way and 1,650/s without). A
 * transaction that only notifies writes no commit record and holds that lock for microseconds.
 *
 * <p>A notification that cannot be sent (no pooled connection to be had, the server is down) stays owed and is tried
 * again after a pause that grows from 100 ms to 5 s: the events are written, and listeners elsewhere would otherwise
 * hear of them only when their waits time out. Only {@link #close()} stops the thread, and a thread that died of an
 * {@link Error} is replaced by the next append. Thread-safe.
 */
final class AppendNotifier {

    private static final Logger LOG = LoggerFactory.getLogger(AppendNotifier.class);
    /** The shortest time between two notifications; appends within it share the next one. */
    private static final long SPACING_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
    /** How long {@link #close()} waits for a notification still owed. */
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(2);
    /** The pauses before sending again a notification that could not be sent. */
    private static final long FIRST_RETRY_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    private static final long LONGEST_RETRY_NANOS = TimeUnit.SECONDS.toNanos(5);

    private final PostgresConnections connections;
    private final String channel;
    private final Object monitor = new Object();

    /** Only the notifier's thread touches it. */
    private @Nullable Connection own;
    private boolean owed;
    private boolean closed;
    private @Nullable Thread thread;

    AppendNotifier(PostgresConnections connections, String channel) {
        this.connections = connections;
        this.channel = channel;
    }

    /** Events were committed: listeners are told soon, together with any other appends committed meanwhile. */
    void appended() {
        synchronized (monitor) {
            if (closed) {
                return;
            }
            owed = true;
            // A thread that ended (an Error escaped it) is replaced rather than silently missed.
            if (thread == null || !thread.isAlive()) {
                thread = Thread.ofPlatform().daemon().name("runestone-postgres-notifier-" + channel)
                        .start(this::run);
            } else {
                monitor.notifyAll();
            }
        }
    }

    /** Sends what is still owed, then stops the thread; waits up to two seconds. Idempotent. */
    void close() {
        Thread running;
        synchronized (monitor) {
            closed = true;
            monitor.notifyAll();
            running = thread;
        }
        if (running != null && running != Thread.currentThread()) {
            try {
                running.join(CLOSE_WAIT);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void run() {
        long retryNanos = 0;
        try {
            while (awaitOwed(retryNanos)) {
                try {
                    send();
                    retryNanos = 0;
                    LockSupport.parkNanos(SPACING_NANOS);
                } catch (SQLException | RuntimeException e) {
                    // Owed again: the appends it was for are committed, and listeners elsewhere may not hear
                    // otherwise.
                    retryNanos = retryNanos == 0 ? FIRST_RETRY_NANOS
                            : Math.min(LONGEST_RETRY_NANOS, retryNanos * 2);
                    LOG.debug("Could not notify channel {}; trying again in {} ms", channel,
                            TimeUnit.NANOSECONDS.toMillis(retryNanos), e);
                    synchronized (monitor) {
                        if (!closed) {
                            owed = true;
                        }
                    }
                }
            }
        } finally {
            closeOwnConnection();
        }
    }

    /**
     * Notifies on a connection of the notifier's own when the store owns its pool, so that notifying never takes a
     * pooled connection from a writer (with eight writers on a pool of eight, it did); on a connection borrowed for
     * the moment from a user's {@code DataSource} otherwise.
     */
    private void send() throws SQLException {
        if (own == null) {
            Optional<Connection> outside = connections.connectionOutsideThePool();
            if (outside.isEmpty()) {
                connections.autoCommit(connection -> {
                    notifyOn(connection);
                    return null;
                });
                return;
            }
            own = outside.get();
            try (Statement statement = own.createStatement()) {
                // Named, so that an operator looking at pg_stat_activity sees what the connection is for.
                statement.execute("SET application_name = 'runestone notifier " + channel + "'");
            } catch (SQLException e) {
                closeOwnConnection();
                throw e;
            }
        }
        try {
            notifyOn(own);
        } catch (SQLException e) {
            closeOwnConnection();
            throw e;
        }
    }

    private void notifyOn(Connection connection) throws SQLException {
        try (PreparedStatement notify = connection.prepareStatement("SELECT pg_notify(?, '')")) {
            notify.setString(1, channel);
            notify.execute();
        }
    }

    private void closeOwnConnection() {
        if (own != null) {
            try {
                own.close();
            } catch (SQLException e) {
                LOG.debug("Closing the notifying connection of channel {} failed", channel, e);
            }
            own = null;
        }
    }

    /**
     * Waits out {@code pauseNanos} (cut short by {@link #close()}), then until a notification is owed, and takes it;
     * false once closed with nothing owed. Interrupts do not stop the thread: only {@link #close()} does.
     */
    private boolean awaitOwed(long pauseNanos) {
        synchronized (monitor) {
            long deadline = System.nanoTime() + pauseNanos;
            long left;
            while (!closed && (left = deadline - System.nanoTime()) > 0) {
                try {
                    TimeUnit.NANOSECONDS.timedWait(monitor, left);
                } catch (InterruptedException e) {
                    // Only close() ends this thread.
                }
            }
            while (!owed && !closed) {
                try {
                    monitor.wait();
                } catch (InterruptedException e) {
                    // Only close() ends this thread.
                }
            }
            boolean send = owed;
            owed = false;
            return send;
        }
    }
}
