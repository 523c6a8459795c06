package dev.runestone.sqlite;

import java.sql.SQLException;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Notices commits by other processes on the file within a few milliseconds, and wakes this store's waiters: while
 * anyone waits, a thread asks SQLite's {@code PRAGMA data_version}, which reads only the WAL's shared-memory index:
 * every {@value #FASTEST_MILLIS} ms while commits come, slowing to every {@value #SLOWEST_MILLIS} ms once a quarter
 * of a second has passed without one (asking every 2 ms costs an idle waiter about 5 % of a core). With nobody
 * waiting it sleeps. Thread-safe.
 */
final class CommitWatch {

    private static final Logger LOG = LoggerFactory.getLogger(CommitWatch.class);
    static final long FASTEST_MILLIS = 2;
    static final long SLOWEST_MILLIS = 16;
    private static final long QUIET_NANOS = TimeUnit.MILLISECONDS.toNanos(250);

    private final SqliteConnections connections;
    private final AppendSignal signal;
    private int waiters;
    private boolean closed;
    private @Nullable Thread thread;

    CommitWatch(SqliteConnections connections, AppendSignal signal) {
        this.connections = connections;
        this.signal = signal;
    }

    /**
     * A reader starts waiting: the watch runs until the last one {@linkplain #leave() leaves}. A watch that was not
     * running reads where the file stands before returning, so a commit after this call is never taken for the
     * starting point.
     */
    synchronized void enter() {
        waiters++;
        if (thread == null && !closed) {
            long start;
            try {
                start = connections.dataVersion();
            } catch (SQLException | RuntimeException e) {
                LOG.debug("Cannot watch {} for other processes' commits", connections.location(), e);
                return;
            }
            thread = Thread.ofPlatform().daemon().name("runestone-sqlite-watch-" + connections.location())
                    .start(() -> run(start));
        }
        notifyAll();
    }

    synchronized void leave() {
        waiters--;
    }

    /** Stops the thread; waiters go on with their own, slower look at the log. */
    void close() {
        Thread running;
        synchronized (this) {
            closed = true;
            notifyAll();
            running = thread;
        }
        if (running != null && running != Thread.currentThread()) {
            try {
                running.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void run(long start) {
        long seen = start;
        long changedAt = System.nanoTime();
        long interval = FASTEST_MILLIS;
        try {
            while (awaitWaiters()) {
                long version = connections.dataVersion();
                if (version != seen) {
                    seen = version;
                    changedAt = System.nanoTime();
                    interval = FASTEST_MILLIS;
                    signal.signal();
                } else if (System.nanoTime() - changedAt > QUIET_NANOS) {
                    interval = Math.min(SLOWEST_MILLIS, interval * 2);
                }
                TimeUnit.MILLISECONDS.sleep(interval);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (SQLException | RuntimeException e) {
            // The store closed under it, or the file went away: waiters still look at the log themselves.
            LOG.debug("Stopped watching {} for other processes' commits", connections.location(), e);
        } finally {
            synchronized (this) {
                thread = null;
            }
        }
    }

    /** Blocks while nobody waits; false once closed. */
    private synchronized boolean awaitWaiters() throws InterruptedException {
        while (waiters == 0 && !closed) {
            wait();
        }
        return !closed;
    }
}
