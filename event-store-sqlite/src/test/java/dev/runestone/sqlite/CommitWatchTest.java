package dev.runestone.sqlite;

import static dev.runestone.sqlite.TestEvents.created;
import static dev.runestone.sqlite.TestEvents.event;
import static dev.runestone.sqlite.TestEvents.request;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator.ReplaceUnderscores;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Another process's commit wakes this store's waiters through the watch alone: nothing else signals them (the
 * fallback look at the log reads, it does not signal).
 */
@DisplayNameGeneration(ReplaceUnderscores.class)
class CommitWatchTest {

    private static final Duration PATIENCE = Duration.ofSeconds(30);

    @TempDir
    Path directory;

    @Test
    void a_commit_through_another_connection_to_the_file_signals_the_waiters() throws Exception {
        Path file = directory.resolve("events.db");
        try (SqliteStorage writer = SqliteStorage.file(file)) {
            SqliteConnections connections = SqliteConnections.openFile(file, false, Duration.ofSeconds(5),
                    connection -> null);
            AppendSignal signal = new AppendSignal();
            CommitWatch watch = new CommitWatch(connections, signal);
            try {
                watch.enter();
                long before = signal.generation();

                writer.append(request(event("other-process", "user:created", created(1))));

                awaitTrue(() -> signal.generation() > before);
            } finally {
                watch.leave();
                watch.close();
                connections.close();
            }
        }
    }

    @Test
    void closing_the_watch_stops_its_thread() throws Exception {
        Path file = directory.resolve("events.db");
        try (SqliteStorage writer = SqliteStorage.file(file)) {
            SqliteConnections connections = SqliteConnections.openFile(file, false, Duration.ofSeconds(5),
                    connection -> null);
            AppendSignal signal = new AppendSignal();
            CommitWatch watch = new CommitWatch(connections, signal);
            watch.enter();
            watch.leave();
            writer.append(request(event("watched-for-a-moment", "user:created", created(1))));

            watch.close();

            assertThat(Thread.getAllStackTraces().keySet()).extracting(Thread::getName)
                    .noneMatch(name -> name.equals("runestone-sqlite-watch-" + file));
            connections.close();
        }
    }

    private static void awaitTrue(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime() - deadline).as("waited %s for the signal", PATIENCE).isNegative();
            Thread.sleep(5);
        }
    }
}
