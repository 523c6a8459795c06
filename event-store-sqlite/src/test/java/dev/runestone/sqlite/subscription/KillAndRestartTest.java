package dev.runestone.sqlite.subscription;

import dev.runestone.testkit.TaskEvent;
import static org.assertj.core.api.Assertions.assertThat;

import dev.runestone.EventRecord;
import dev.runestone.EventStore;
import dev.runestone.PendingEvent;
import dev.runestone.sqlite.SqliteStorage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A projecting process killed with SIGKILL in the middle of its work, then started again. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class KillAndRestartTest {

    private static final int EVENTS = 10_000;
    private static final Duration PATIENCE = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    private final List<Process> children = new ArrayList<>();

    @AfterEach
    void killChildren() throws InterruptedException {
        for (Process child : children) {
            child.destroyForcibly();
            child.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void every_event_is_projected_and_no_once_handler_that_succeeded_runs_again() throws Exception {
        Path database = dir.resolve("events.db");
        Path seen = dir.resolve("seen.txt");
        try (EventStore<TaskEvent> store = EventStore.builder(TaskEvent.registry(), SqliteStorage.file(database))
                .build()) {
            execute(database, "CREATE TABLE welcomes (event_id TEXT NOT NULL, pid INTEGER NOT NULL)");
            Process first = start(database, seen);
            await("the first child holds the subscription's lease", () -> leaseHeld(database));

            List<UUID> ids = new ArrayList<>();
            List<PendingEvent<TaskEvent>> batch = new ArrayList<>();
            for (int n = 0; n < EVENTS; n++) {
                PendingEvent<TaskEvent> event = store.event("task-" + (n % 50), TaskEvent.noted(n));
                ids.add(event.id());
                batch.add(event);
                if (batch.size() == 200) {
                    store.append(batch);
                    batch = new ArrayList<>();
                }
            }
            await("the first child is part way through", () -> count(database, "SELECT count(*) FROM welcomes")
                    >= 2_000);
            first.destroyForcibly();
            assertThat(first.waitFor(10, TimeUnit.SECONDS)).isTrue();
            long doneByFirst = count(database, "SELECT count(*) FROM welcomes");
            assertThat(doneByFirst).as("killed in the middle").isLessThan(EVENTS);

            Process second = start(database, seen);
            long last = store.readLog(0, EVENTS).getLast().position();
            await("the second child reaches the end", () -> store.subscriptions().checkpoint("welcomes") == last);
            second.destroyForcibly();
            second.waitFor(10, TimeUnit.SECONDS);

            assertThat(count(database, "SELECT count(*) FROM welcomes")).isEqualTo(EVENTS);
            assertThat(count(database, "SELECT count(DISTINCT event_id) FROM welcomes")).isEqualTo(EVENTS);
            assertThat(count(database, "SELECT count(DISTINCT pid) FROM welcomes")).isEqualTo(2);
            assertThat(store.subscriptions().parked("welcomes")).isEmpty();
            Set<UUID> projected = new HashSet<>();
            for (String line : Files.readAllLines(seen)) {
                if (line.length() == 36) {
                    projected.add(UUID.fromString(line));
                }
            }
            assertThat(projected).containsAll(ids);
            assertThat(store.readLog(0, EVENTS)).extracting(EventRecord::id).containsExactlyElementsOf(ids);
        }
    }

    private Process start(Path database, Path seen) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                ProjectingChild.class.getName(), database.toString(), seen.toString())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("child-" + children.size() + ".log").toFile())
                .start();
        children.add(child);
        return child;
    }

    private static boolean leaseHeld(Path database) {
        try (SqliteStorage storage = SqliteStorage.file(database)) {
            return storage.checkpoints("welcomes").stream().anyMatch(row -> row.owner() != null);
        }
    }

    private static void execute(Path database, String sql) throws SQLException {
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + database);
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private static long count(Path database, String sql) {
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + database);
                Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery(sql)) {
            row.next();
            return row.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Timed out waiting until " + what);
            }
            Thread.sleep(20);
        }
    }
}
