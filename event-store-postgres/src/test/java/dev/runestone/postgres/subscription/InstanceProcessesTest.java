package dev.runestone.postgres.subscription;

import dev.runestone.testkit.TaskEvent;
import static org.assertj.core.api.Assertions.assertThat;

import dev.runestone.EventStore;
import dev.runestone.PendingEvent;
import dev.runestone.postgres.PostgresStorage;
import dev.runestone.postgres.TestServer;
import dev.runestone.spi.CheckpointRow;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Three processes share one subscription on PostgreSQL; one is killed with SIGKILL and the others finish. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class InstanceProcessesTest {

    private static final TestServer SERVER = TestServer.get();
    private static final int EVENTS = 3_000;
    private static final Duration PATIENCE = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    private String schema;
    private PostgresStorage watcher;
    private final List<Process> children = new ArrayList<>();

    @BeforeEach
    void newSchema() {
        schema = SERVER.newSchema();
        watcher = SERVER.open(schema);
    }

    @AfterEach
    void killChildren() throws InterruptedException {
        for (Process child : children) {
            child.destroyForcibly();
            child.waitFor(10, TimeUnit.SECONDS);
        }
        watcher.close();
        SERVER.dropSchema(schema);
    }

    @Test
    void the_survivors_finish_the_killed_instance_s_part_and_every_event_is_handled_once_in_stream_order()
            throws Exception {
        try (EventStore<TaskEvent> store = EventStore.builder(TaskEvent.registry(), SERVER.open(schema)).build()) {
            execute("CREATE TABLE \"" + schema + "\".handled (seq bigserial PRIMARY KEY, event_id uuid NOT NULL, "
                    + "stream text NOT NULL, n bigint NOT NULL, pid bigint NOT NULL)");
            for (int i = 0; i < 3; i++) {
                start();
            }
            await("three processes share six partitions two by two", () -> owners().size() == 3
                    && owners().values().stream().allMatch(held -> held == 2));

            List<PendingEvent<TaskEvent>> batch = new ArrayList<>();
            for (int n = 0; n < EVENTS; n++) {
                batch.add(store.event("task-" + (n % 60), TaskEvent.noted(n)));
                if (batch.size() == 100) {
                    store.append(batch);
                    batch = new ArrayList<>();
                }
            }
            await("a third of the events is handled", () -> count("SELECT count(*) FROM handled") >= EVENTS / 3);
            Process victim = children.getFirst();
            victim.destroyForcibly();
            assertThat(victim.waitFor(10, TimeUnit.SECONDS)).isTrue();

            await("the survivors handle every event", () -> count("SELECT count(*) FROM handled") >= EVENTS
                    && owners().size() == 2);
            await("the log returns every event", () -> store.readLog(0, EVENTS + 1).size() == EVENTS);
            long last = store.readLog(0, EVENTS).getLast().position();
            await("every checkpoint reaches the end", () -> store.subscriptions().checkpoint("shared") >= last);

            assertThat(count("SELECT count(*) FROM handled")).isEqualTo(EVENTS);
            assertThat(count("SELECT count(DISTINCT event_id) FROM handled")).isEqualTo(EVENTS);
            assertThat(count("SELECT count(DISTINCT pid) FROM handled")).isEqualTo(3);
            assertThat(count("SELECT count(*) FROM handled WHERE pid = " + victim.pid())).isPositive();
            assertThat(count("SELECT count(*) FROM (SELECT n < lag(n) OVER (PARTITION BY stream ORDER BY seq) "
                    + "AS backwards FROM handled) h WHERE backwards")).as("events of a stream out of order")
                    .isZero();
            assertThat(store.subscriptions().parked("shared")).isEmpty();
        }
    }

    private Map<String, Integer> owners() {
        Map<String, Integer> held = new HashMap<>();
        for (CheckpointRow row : watcher.checkpoints("shared")) {
            if (row.owner() != null) {
                held.merge(Objects.requireNonNull(row.owner()), 1, Integer::sum);
            }
        }
        return held;
    }

    private void start() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        children.add(new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                SharingChild.class.getName(), SERVER.jdbcUrl(), schema)
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("child-" + children.size() + ".log").toFile())
                .start());
    }

    private void execute(String sql) throws SQLException {
        try (Connection connection = DriverManager.getConnection(SERVER.jdbcUrl());
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private long count(String sql) {
        try (Connection connection = DriverManager.getConnection(SERVER.jdbcUrl());
                Statement statement = connection.createStatement()) {
            statement.execute("SET search_path TO \"" + schema + "\"");
            try (ResultSet row = statement.executeQuery(sql)) {
                row.next();
                return row.getLong(1);
            }
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
            Thread.sleep(50);
        }
    }
}
