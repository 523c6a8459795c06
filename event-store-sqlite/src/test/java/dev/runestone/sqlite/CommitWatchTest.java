package dev.runestone.sqlite;

import static dev.runestone.sqlite.TestEvents.created;
import static dev.runestone.sqlite.TestEvents.event;
import static dev.runestone.sqlite.TestEvents.request;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator.ReplaceUnderscores;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Another process's commit wakes this store's waiters through the watch alone: nothing else signals them (the
 * fallback look at the log reads, it does not signal). The watching side is a second set of connections to the
 * file, as another process has.
 */
@DisplayNameGeneration(ReplaceUnderscores.class)
class CommitWatchTest {

    private static final Duration PATIENCE = Duration.ofSeconds(30);

    @TempDir
    Path directory;

    private SqliteStorage writer;
    private SqliteConnections connections;
    private final AppendSignal signal = new AppendSignal();
    private CommitWatch watch;

    @BeforeEach
    void open_a_writer_and_a_watch_on_one_file() throws Exception {
        Path file = directory.resolve("events.db");
        writer = SqliteStorage.file(file);
        connections = SqliteConnections.openFile(file, false, Duration.ofSeconds(5), connection -> null);
        watch = new CommitWatch(connections, signal);
    }

    @AfterEach
    void close_both() {
        watch.close();
        connections.close();
        writer.close();
    }

    @Test
    void a_commit_through_another_connection_to_the_file_signals_the_waiters() throws Exception {
        watch.enter();
        long before = signal.generation();

        writer.append(request(event("other-process", "user:created", created(1))));

        awaitTrue(() -> signal.generation() > before);
        watch.leave();
    }

    @Test
    void closing_the_watch_stops_its_thread() {
        watch.enter();
        watch.leave();
        writer.append(request(event("watched-for-a-moment", "user:created", created(1))));

        watch.close();

        assertThat(Thread.getAllStackTraces().keySet()).extracting(Thread::getName)
                .noneMatch(name -> name.equals("runestone-sqlite-watch-" + connections.location()));
    }

    private static void awaitTrue(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime() - deadline).as("waited %s for the signal", PATIENCE).isNegative();
            Thread.sleep(5);
        }
    }
}
