package dev.runestone.sqlite;

import static dev.runestone.sqlite.TestEvents.created;
import static dev.runestone.sqlite.TestEvents.event;
import static dev.runestone.sqlite.TestEvents.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runestone.Direction;
import dev.runestone.EventOrigin;
import dev.runestone.EventStore;
import dev.runestone.LogPartition;
import dev.runestone.Relation;
import dev.runestone.StorageException;
import dev.runestone.spi.EventQuery;
import dev.runestone.spi.NewEvent;
import dev.runestone.spi.SnapshotRow;
import dev.runestone.spi.StoredEvent;
import dev.runestone.testkit.LogParts;
import dev.runestone.testkit.events.TestEvent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class MigrationsTest {

    @TempDir
    Path directory;

    Path file() {
        return directory.resolve("events.db");
    }

    /** Takes the events table back to what version 4 made of it. */
    static void dropColumnsAfterVersion4(Statement statement) throws SQLException {
        statement.execute("DROP INDEX runestone_events_correlation");
        for (String column : List.of("correlation_id", "causation_id", "traceparent", "tracestate", "stream_hash")) {
            statement.execute("ALTER TABLE runestone_events DROP COLUMN " + column);
        }
    }

    @Nested
    class Opening {

        @Test
        void first_open_creates_the_tables_and_records_the_schema_version() throws SQLException {
            SqliteStorage.file(file()).close();

            assertThat(tables(file())).contains("runestone_events", "runestone_relations", "runestone_snapshots",
                    "runestone_schema_version", "runestone_subscriptions", "runestone_subscription_members",
                    "runestone_parked_events", "runestone_once_ledger", "runestone_imported_events",
                    "runestone_subscription_partitions");
            assertThat(indexes(file())).contains("runestone_events_stream_created", "runestone_events_created",
                    "runestone_events_stream_type_created", "runestone_relations_stream");
            assertThat(schemaVersions(file(), "runestone_")).containsExactly(1, 2, 3, 4, 5, 6);
        }

        @Test
        void puts_a_file_store_in_wal_mode() throws SQLException {
            SqliteStorage.file(file()).close();

            try (Connection connection = connect(file());
                    Statement statement = connection.createStatement();
                    ResultSet row = statement.executeQuery("PRAGMA journal_mode")) {
                row.next();
                assertThat(row.getString(1)).isEqualToIgnoringCase("wal");
            }
        }

        @Test
        void reopening_a_file_keeps_every_row_and_migrates_nothing_twice() throws SQLException {
            NewEvent first = event("s", "t", created(1));
            NewEvent second = event("s", "t", created(2));
            SnapshotRow snapshot = new SnapshotRow("r", "s", created(2), 2, "{\"n\":2}");
            List<StoredEvent> written;
            try (SqliteStorage storage = SqliteStorage.file(file())) {
                written = storage.append(request(first, second)).stored();
                storage.addRelations(List.of(new Relation("k", "s")));
                storage.saveSnapshot(snapshot);
            }

            try (SqliteStorage reopened = SqliteStorage.file(file())) {
                assertThat(reopened.readLog(0, 100)).containsExactlyElementsOf(written);
                assertThat(reopened.streamsByKeys(List.of("k"))).containsExactly("s");
                assertThat(reopened.findSnapshot("r", "s")).contains(snapshot);
                StoredEvent third = reopened.append(request(event("s", "t", created(3)))).stored().getFirst();
                assertThat(third.version()).isEqualTo(3);
                assertThat(third.position()).isGreaterThan(written.getLast().position());
            }
            assertThat(schemaVersions(file(), "runestone_")).containsExactly(1, 2, 3, 4, 5, 6);
        }

        @Test
        void a_file_at_version_2_gets_the_partition_count_of_each_subscription_from_its_partition_rows()
                throws SQLException {
            try (SqliteStorage storage = SqliteStorage.file(file())) {
                for (int partition = 0; partition < 4; partition++) {
                    storage.acquireLease("four", partition, "a", Duration.ofMinutes(1), 0, 0).orElseThrow();
                }
                storage.acquireLease("one", 0, "a", Duration.ofMinutes(1), 0, 0).orElseThrow();
            }
            // What version 2 looked like: no table of partition counts, no schema version of events.
            try (Connection connection = connect(file()); Statement statement = connection.createStatement()) {
                dropColumnsAfterVersion4(statement);
                statement.execute("DROP TABLE runestone_subscription_partitions");
                statement.execute("ALTER TABLE runestone_events DROP COLUMN schema_version");
                statement.execute("DELETE FROM runestone_schema_version WHERE version >= 3");
            }

            try (SqliteStorage migrated = SqliteStorage.file(file())) {
                assertThat(migrated.registerPartitions("four", 2)).isEqualTo(4);
                assertThat(migrated.registerPartitions("one", 1)).isEqualTo(1);
                assertThat(migrated.registerPartitions("new", 3)).isEqualTo(3);
                assertThat(migrated.checkpoints("four")).hasSize(4);
            }
            assertThat(schemaVersions(file(), "runestone_")).containsExactly(1, 2, 3, 4, 5, 6);
        }

        @Test
        void a_file_at_version_3_keeps_its_events_which_follow_version_1_of_their_types() throws SQLException {
            List<StoredEvent> written;
            try (SqliteStorage storage = SqliteStorage.file(file())) {
                written = storage.append(request(event("s", "t", created(1)), event("s", "t", created(2)))).stored();
            }
            // What version 3 looked like: events had no schema version.
            try (Connection connection = connect(file()); Statement statement = connection.createStatement()) {
                dropColumnsAfterVersion4(statement);
                statement.execute("ALTER TABLE runestone_events DROP COLUMN schema_version");
                statement.execute("DELETE FROM runestone_schema_version WHERE version >= 4");
            }

            try (SqliteStorage migrated = SqliteStorage.file(file())) {
                assertThat(migrated.readLog(0, 100)).containsExactlyElementsOf(written);
                assertThat(migrated.append(request(event("s", "t", created(3)))).stored()).singleElement()
                        .extracting(StoredEvent::version).isEqualTo(3L);
            }
            assertThat(integers(file(), "SELECT schema_version FROM runestone_events ORDER BY position"))
                    .containsExactly(1, 1, 1);
            assertThat(schemaVersions(file(), "runestone_")).containsExactly(1, 2, 3, 4, 5, 6);
        }

        @Test
        void a_file_at_version_4_keeps_its_events_each_its_own_correlation_and_finds_them_by_it()
                throws SQLException {
            List<StoredEvent> written;
            try (SqliteStorage storage = SqliteStorage.file(file())) {
                written = storage.append(request(event("s", "t", created(1)), event("s", "t", created(2)))).stored();
            }
            // What version 4 looked like: events had no correlation, causation or trace context.
            try (Connection connection = connect(file()); Statement statement = connection.createStatement()) {
                dropColumnsAfterVersion4(statement);
                statement.execute("DELETE FROM runestone_schema_version WHERE version >= 5");
            }

            try (SqliteStorage migrated = SqliteStorage.file(file())) {
                assertThat(migrated.readLog(0, 100)).containsExactlyElementsOf(written)
                        .extracting(StoredEvent::origin)
                        .containsExactly(EventOrigin.root(written.get(0).id()), EventOrigin.root(written.get(1).id()));
                assertThat(migrated.read(new EventQuery(null, Set.of(), null, Direction.ASCENDING, 10,
                        written.get(1).id().toString()))).containsExactly(written.get(1));
            }
            assertThat(integers(file(), "SELECT count(*) FROM runestone_events WHERE correlation_id IS NULL"))
                    .as("the rows are not rewritten").containsExactly(2);
            assertThat(indexes(file())).contains("runestone_events_correlation");
            assertThat(schemaVersions(file(), "runestone_")).containsExactly(1, 2, 3, 4, 5, 6);
        }

        @Test
        void a_file_at_version_5_reads_in_parts_with_each_row_stored_before_in_exactly_one_part()
                throws SQLException {
            List<NewEvent> before = new ArrayList<>();
            for (int n = 1; n <= 40; n++) {
                before.add(event("stream-" + n % 13, "t", created(n)));
            }
            try (SqliteStorage storage = SqliteStorage.file(file())) {
                storage.append(request(before.toArray(NewEvent[]::new)));
            }
            // What version 5 looked like: events had no stream hash.
            try (Connection connection = connect(file()); Statement statement = connection.createStatement()) {
                statement.execute("ALTER TABLE runestone_events DROP COLUMN stream_hash");
                statement.execute("DELETE FROM runestone_schema_version WHERE version = 6");
            }

            List<UUID> ids = new ArrayList<>(before.stream().map(NewEvent::id).toList());
            long last;
            try (SqliteStorage migrated = SqliteStorage.file(file())) {
                List<NewEvent> after = new ArrayList<>();
                for (int n = 41; n <= 60; n++) {
                    after.add(event("stream-" + n % 13, "t", created(n)));
                }
                last = migrated.append(request(after.toArray(NewEvent[]::new))).stored().getLast().position();
                after.forEach(event -> ids.add(event.id()));
                assertThat(migrated.readLog(0, 100, new LogPartition(0, 8)).events())
                        .as("rows stored before have no hash and go to every part; the database filters the rest")
                        .extracting(StoredEvent::id).containsAll(before.stream().map(NewEvent::id).toList())
                        .hasSize(40 + (int) after.stream().filter(e -> LogPartition.of(e.stream(), 8) == 0).count());
            }
            try (EventStore<TestEvent> store = EventStore.builder(TestEvent.registry(), SqliteStorage.file(file()))
                    .build()) {
                LogParts.assertEachRowInExactlyOnePart(store, ids, last, 1, 3, 8);
            }
            assertThat(schemaVersions(file(), "runestone_")).containsExactly(1, 2, 3, 4, 5, 6);
        }

        @Test
        void two_stores_opening_the_same_fresh_file_at_once_both_succeed() throws Exception {
            for (int round = 0; round < 20; round++) {
                Path fresh = directory.resolve("race-" + round + ".db");
                CyclicBarrier together = new CyclicBarrier(2);
                ExecutorService pool = Executors.newFixedThreadPool(2);
                List<SqliteStorage> opened = new ArrayList<>();
                try {
                    List<Future<SqliteStorage>> opening = new ArrayList<>();
                    for (int t = 0; t < 2; t++) {
                        opening.add(pool.submit(() -> {
                            together.await();
                            return SqliteStorage.file(fresh);
                        }));
                    }
                    for (Future<SqliteStorage> future : opening) {
                        opened.add(future.get());
                    }
                    opened.get(0).append(request(event("s", "t", created(1))));
                    opened.get(1).append(request(event("s", "t", created(2))));

                    assertThat(opened.get(0).readLog(0, 10)).extracting(StoredEvent::version).containsExactly(1L, 2L);
                } finally {
                    opened.forEach(SqliteStorage::close);
                    pool.shutdownNow();
                }
                assertThat(schemaVersions(fresh, "runestone_")).containsExactly(1, 2, 3, 4, 5, 6);
            }
        }

        @Test
        void refuses_a_file_migrated_by_a_newer_version() throws SQLException {
            SqliteStorage.file(file()).close();
            try (Connection connection = connect(file()); Statement statement = connection.createStatement()) {
                statement.execute("INSERT INTO runestone_schema_version (version, description, applied) "
                        + "VALUES (99, 'from the future', '2099-01-01T00:00:00Z')");
            }

            assertThatThrownBy(() -> SqliteStorage.file(file()))
                    .isInstanceOf(StorageException.class)
                    .hasMessageContaining("schema version 99")
                    .hasMessageContaining("Upgrade Runestone");
        }

        @Test
        void explains_a_prefix_already_taken_by_other_tables_and_changes_nothing() throws SQLException {
            try (Connection connection = connect(file()); Statement statement = connection.createStatement()) {
                statement.execute("CREATE TABLE runestone_events (something_else TEXT)");
            }

            assertThatThrownBy(() -> SqliteStorage.file(file()))
                    .isInstanceOf(StorageException.class)
                    .hasMessageContaining("schema version 1")
                    .hasMessageContaining("tablePrefix(...)");

            assertThat(tables(file())).containsExactly("runestone_events");
        }

        @Test
        void explains_a_file_that_cannot_be_opened() {
            Path nowhere = directory.resolve("missing-directory").resolve("events.db");

            assertThatThrownBy(() -> SqliteStorage.file(nowhere))
                    .isInstanceOf(StorageException.class)
                    .hasMessageContaining(nowhere.toString())
                    .hasMessageContaining("directory exists");
        }
    }

    @Nested
    class Table_prefixes {

        @Test
        void refuses_a_prefix_carrying_sql_before_touching_the_file() {
            assertThatThrownBy(() -> SqliteStorage.builder().file(file()).tablePrefix("x; DROP TABLE y; --").build())
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("table prefix");

            assertThat(file()).doesNotExist();
        }

        @Test
        void refuses_a_hostile_prefix_and_leaves_an_existing_file_alone() throws SQLException {
            try (Connection connection = connect(file()); Statement statement = connection.createStatement()) {
                statement.execute("CREATE TABLE y (v TEXT)");
            }

            for (String hostile : List.of("x; DROP TABLE y; --", "y\"", "a b", "Upper_", "1starts_with_digit",
                    "dash-", "quote'")) {
                assertThatThrownBy(() -> SqliteStorage.builder().file(file()).tablePrefix(hostile).build())
                        .isInstanceOf(IllegalArgumentException.class);
            }

            assertThat(tables(file())).containsExactly("y");
        }

        @Test
        void keeps_stores_with_different_prefixes_apart_in_one_file() throws SQLException {
            try (SqliteStorage orders = SqliteStorage.builder().file(file()).tablePrefix("orders_").build();
                    SqliteStorage billing = SqliteStorage.builder().file(file()).tablePrefix("billing_").build()) {
                orders.append(request(event("s", "order:placed", created(1))));
                billing.append(request(event("s", "invoice:sent", created(1))));
                billing.append(request(event("s", "invoice:paid", created(2))));

                assertThat(orders.readLog(0, 10)).extracting(StoredEvent::type).containsExactly("order:placed");
                assertThat(billing.streamVersion("s")).isEqualTo(2);
            }

            assertThat(tables(file())).contains("orders_events", "billing_events", "orders_schema_version",
                    "billing_schema_version").doesNotContain("runestone_events");
            assertThat(schemaVersions(file(), "orders_")).containsExactly(1, 2, 3, 4, 5, 6);
        }

        @Test
        void allows_an_empty_prefix() throws SQLException {
            try (SqliteStorage storage = SqliteStorage.builder().file(file()).tablePrefix("").build()) {
                storage.append(request(event("s", "t", created(1))));
                assertThat(storage.read(new EventQuery(Set.of("s"), Set.of(), null, Direction.ASCENDING, 10)))
                        .hasSize(1);
            }

            assertThat(tables(file())).contains("events", "relations", "snapshots", "schema_version");
        }
    }

    @Test
    void a_file_opened_with_synchronous_full_stores_and_reads_back() {
        try (SqliteStorage storage = SqliteStorage.builder().file(file()).synchronousFull().build()) {
            storage.append(request(event("s", "t", created(1))));
        }

        try (SqliteStorage reopened = SqliteStorage.file(file())) {
            assertThat(reopened.streamVersion("s")).isEqualTo(1);
        }
    }

    private static Connection connect(Path file) throws SQLException {
        return DriverManager.getConnection("jdbc:sqlite:" + file);
    }

    private static List<String> tables(Path file) throws SQLException {
        return names(file, "table");
    }

    private static List<String> indexes(Path file) throws SQLException {
        return names(file, "index");
    }

    private static List<String> names(Path file, String kind) throws SQLException {
        if (!Files.exists(file)) {
            return List.of();
        }
        List<String> names = new ArrayList<>();
        try (Connection connection = connect(file);
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT name FROM sqlite_master WHERE type = '" + kind
                        + "' AND name NOT LIKE 'sqlite_%' ORDER BY name")) {
            while (rows.next()) {
                names.add(rows.getString(1));
            }
        }
        return names;
    }

    private static List<Integer> schemaVersions(Path file, String prefix) throws SQLException {
        return integers(file, "SELECT version FROM " + prefix + "schema_version ORDER BY version");
    }

    private static List<Integer> integers(Path file, String sql) throws SQLException {
        List<Integer> values = new ArrayList<>();
        try (Connection connection = connect(file);
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(sql)) {
            while (rows.next()) {
                values.add(rows.getInt(1));
            }
        }
        return values;
    }
}
