package dev.runestone.postgres;

import static dev.runestone.postgres.TestEvents.event;
import static dev.runestone.postgres.TestEvents.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runestone.Direction;
import dev.runestone.EventOrigin;
import dev.runestone.EventStore;
import dev.runestone.StorageException;
import dev.runestone.spi.EventQuery;
import dev.runestone.spi.NewEvent;
import dev.runestone.spi.StoredEvent;
import dev.runestone.testkit.LogParts;
import dev.runestone.testkit.events.TestEvent;
import java.sql.Connection;
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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/** Creating and migrating a store's schema, from one process or several at once, and after a restore. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class MigrationsTest {

    private static final TestServer SERVER = TestServer.get();

    private String schema;

    @BeforeEach
    void pick_a_fresh_schema() {
        schema = SERVER.newSchema();
    }

    @AfterEach
    void drop_it() {
        SERVER.dropSchema(schema);
    }

    private long count(String sql) throws Exception {
        return SERVER.queryLong(sql);
    }

    private void execute(String sql) throws Exception {
        try (Connection connection = SERVER.connect(); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    @Test
    void creates_the_schema_its_tables_and_records_the_version() throws Exception {
        try (PostgresStorage storage = SERVER.open(schema)) {
            assertThat(storage.schema()).isEqualTo(schema);
        }

        assertThat(count("SELECT count(*) FROM pg_tables WHERE schemaname = '" + schema + "'"))
                .as("events, relations, snapshots, log_state, schema_version and six subscription and import tables")
                .isEqualTo(11);
        assertThat(count("SELECT max(version) FROM \"" + schema + "\".schema_version"))
                .isEqualTo(new Migrations(Tables.inSchema(schema)).latestVersion());
        assertThat(count("SELECT count(*) FROM pg_indexes WHERE schemaname = '" + schema
                + "' AND tablename = 'events'"))
                .as("position, id, (stream, version), three read paths and correlation").isEqualTo(7);
        assertThat(count("SELECT position_offset FROM \"" + schema + "\".log_state")).isZero();
    }

    @Test
    void eight_stores_opening_one_fresh_schema_at_once_all_open_and_migrate_it_once() throws Exception {
        int stores = 8;
        CyclicBarrier start = new CyclicBarrier(stores);
        ExecutorService threads = Executors.newFixedThreadPool(stores);
        List<Future<PostgresStorage>> opening = new ArrayList<>();
        try {
            for (int i = 0; i < stores; i++) {
                opening.add(threads.submit(() -> {
                    start.await();
                    return SERVER.builder(schema).poolSize(1).build();
                }));
            }
            List<PostgresStorage> opened = new ArrayList<>();
            try {
                for (Future<PostgresStorage> future : opening) {
                    opened.add(future.get());
                }
                for (int i = 0; i < stores; i++) {
                    opened.get(i).append(request(event("s", i)));
                }
                assertThat(opened.getFirst().streamVersion("s")).isEqualTo(stores);
            } finally {
                opened.forEach(PostgresStorage::close);
            }
        } finally {
            threads.shutdownNow();
        }

        assertThat(count("SELECT count(*) FROM \"" + schema + "\".schema_version")).isEqualTo(6);
        assertThat(count("SELECT count(*) FROM \"" + schema + "\".log_state")).isEqualTo(1);
    }

    @Test
    void opening_a_migrated_schema_again_changes_nothing() throws Exception {
        try (PostgresStorage storage = SERVER.open(schema)) {
            storage.append(request(event("s", 1), event("s", 2)));
        }

        try (PostgresStorage again = SERVER.open(schema)) {
            assertThat(again.streamVersion("s")).isEqualTo(2);
        }
        assertThat(count("SELECT count(*) FROM \"" + schema + "\".schema_version")).isEqualTo(6);
        assertThat(count("SELECT position_offset FROM \"" + schema + "\".log_state")).isZero();
    }

    @Test
    void a_schema_at_version_2_gets_the_partition_count_of_each_subscription_from_its_partition_rows()
            throws Exception {
        try (PostgresStorage storage = SERVER.open(schema)) {
            for (int partition = 0; partition < 4; partition++) {
                storage.acquireLease("four", partition, "a", Duration.ofMinutes(1), 0, 0).orElseThrow();
            }
            storage.acquireLease("one", 0, "a", Duration.ofMinutes(1), 0, 0).orElseThrow();
        }
        // What version 2 looked like: no table of partition counts, no schema version of events.
        dropColumnsAfterVersion4();
        execute("DROP TABLE \"" + schema + "\".subscription_partitions");
        execute("ALTER TABLE \"" + schema + "\".events DROP COLUMN schema_version");
        execute("DELETE FROM \"" + schema + "\".schema_version WHERE version >= 3");

        try (PostgresStorage migrated = SERVER.open(schema)) {
            assertThat(migrated.registerPartitions("four", 2)).isEqualTo(4);
            assertThat(migrated.registerPartitions("one", 1)).isEqualTo(1);
            assertThat(migrated.registerPartitions("new", 3)).isEqualTo(3);
            assertThat(migrated.checkpoints("four")).hasSize(4);
        }
        assertThat(count("SELECT count(*) FROM \"" + schema + "\".schema_version")).isEqualTo(6);
    }

    @Test
    void a_schema_at_version_3_keeps_its_events_which_follow_version_1_of_their_types() throws Exception {
        List<StoredEvent> written;
        try (PostgresStorage storage = SERVER.open(schema)) {
            written = storage.append(request(event("s", 1), event("s", 2))).stored();
        }
        // What version 3 looked like: events had no schema version.
        dropColumnsAfterVersion4();
        execute("ALTER TABLE \"" + schema + "\".events DROP COLUMN schema_version");
        execute("DELETE FROM \"" + schema + "\".schema_version WHERE version >= 4");

        try (PostgresStorage migrated = SERVER.open(schema)) {
            // read, not readLog: on a shared server another session's transaction may hold readLog back.
            assertThat(migrated.read(new EventQuery(Set.of("s"), Set.of(), null, Direction.ASCENDING, 10)))
                    .containsExactlyElementsOf(written);
            assertThat(migrated.append(request(event("s", 3))).stored()).singleElement()
                    .extracting(StoredEvent::version).isEqualTo(3L);
        }
        assertThat(count("SELECT count(*) FROM \"" + schema + "\".events WHERE schema_version = 1")).isEqualTo(3);
        assertThat(count("SELECT count(*) FROM \"" + schema + "\".schema_version")).isEqualTo(6);
    }

    @Test
    void a_schema_at_version_4_keeps_its_events_each_its_own_correlation_and_finds_them_by_it() throws Exception {
        List<StoredEvent> written;
        try (PostgresStorage storage = SERVER.open(schema)) {
            written = storage.append(request(event("s", 1), event("s", 2))).stored();
        }
        // What version 4 looked like: events had no correlation, causation or trace context.
        dropColumnsAfterVersion4();
        execute("DELETE FROM \"" + schema + "\".schema_version WHERE version >= 5");

        try (PostgresStorage migrated = SERVER.open(schema)) {
            assertThat(migrated.read(new EventQuery(Set.of("s"), Set.of(), null, Direction.ASCENDING, 10)))
                    .containsExactlyElementsOf(written)
                    .extracting(StoredEvent::origin)
                    .containsExactly(EventOrigin.root(written.get(0).id()), EventOrigin.root(written.get(1).id()));
            assertThat(migrated.read(new EventQuery(null, Set.of(), null, Direction.ASCENDING, 10,
                    written.get(1).id().toString()))).containsExactly(written.get(1));
        }
        assertThat(count("SELECT count(*) FROM \"" + schema + "\".events WHERE correlation_id IS NULL"))
                .as("the rows are not rewritten").isEqualTo(2);
        assertThat(count("SELECT count(*) FROM \"" + schema + "\".schema_version")).isEqualTo(6);
    }

    @Test
    void a_schema_at_version_5_reads_in_parts_with_each_row_stored_before_in_exactly_one_part() throws Exception {
        List<NewEvent> before = new ArrayList<>();
        for (int n = 1; n <= 40; n++) {
            before.add(event("stream-" + n % 13, n));
        }
        try (PostgresStorage storage = SERVER.open(schema)) {
            storage.append(request(before));
        }
        // What version 5 looked like: events had no stream hash.
        execute("ALTER TABLE \"" + schema + "\".events DROP COLUMN stream_hash");
        execute("DELETE FROM \"" + schema + "\".schema_version WHERE version = 6");

        List<UUID> ids = new ArrayList<>(before.stream().map(NewEvent::id).toList());
        List<NewEvent> after = new ArrayList<>();
        for (int n = 41; n <= 60; n++) {
            after.add(event("stream-" + n % 13, n));
        }
        long last;
        try (PostgresStorage migrated = SERVER.open(schema)) {
            last = migrated.append(request(after)).stored().getLast().position();
        }
        after.forEach(event -> ids.add(event.id()));
        try (EventStore<TestEvent> store = EventStore.builder(TestEvent.registry(), SERVER.open(schema)).build()) {
            LogParts.assertEachRowInExactlyOnePart(store, ids, last, 1, 3, 8);
        }
        assertThat(count("SELECT count(*) FROM \"" + schema + "\".events WHERE stream_hash IS NULL"))
                .as("the rows are not rewritten").isEqualTo(40);
        assertThat(count("SELECT count(*) FROM \"" + schema + "\".schema_version")).isEqualTo(6);
    }

    /** Takes the events table back to what version 4 made of it; dropping a column drops its index. */
    private void dropColumnsAfterVersion4() throws Exception {
        execute("ALTER TABLE \"" + schema + "\".events DROP COLUMN correlation_id, DROP COLUMN causation_id, "
                + "DROP COLUMN traceparent, DROP COLUMN tracestate, DROP COLUMN stream_hash");
    }

    @Test
    void a_migrated_schema_refuses_a_schema_version_below_1_in_rows_stored_before_the_migration() throws Exception {
        try (PostgresStorage storage = SERVER.open(schema)) {
            storage.append(request(event("s", 1)));
        }
        dropColumnsAfterVersion4();
        execute("ALTER TABLE \"" + schema + "\".events DROP COLUMN schema_version");
        execute("DELETE FROM \"" + schema + "\".schema_version WHERE version >= 4");
        SERVER.open(schema).close();

        assertThatThrownBy(() -> execute("UPDATE \"" + schema + "\".events SET schema_version = 0"))
                .isInstanceOf(SQLException.class).hasMessageContaining("events_schema_version_check");
    }

    @Test
    void a_role_that_may_only_use_the_tables_opens_a_migrated_schema_and_works_in_it() throws Exception {
        try (PostgresStorage owner = SERVER.open(schema)) {
            owner.append(request(event("s", 1)));
        }
        String role = schema + "_user";
        String password = "pw-" + role;
        String quoted = "\"" + schema + "\"";
        execute("CREATE ROLE " + role + " LOGIN PASSWORD '" + password + "'");
        try {
            execute("GRANT USAGE ON SCHEMA " + quoted + " TO " + role);
            execute("GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA " + quoted + " TO " + role);

            try (PostgresStorage user = PostgresStorage.builder().jdbcUrl(SERVER.jdbcUrlAs(role, password))
                    .schema(schema).poolSize(1).build()) {
                user.append(request(event("s", 2)));
                assertThat(user.streamVersion("s")).isEqualTo(2);
                assertThat(user.readLog(0, 10)).hasSize(2);
            }
        } finally {
            execute("DROP OWNED BY " + role);
            execute("DROP ROLE " + role);
        }
    }

    @Test
    void refuses_a_schema_migrated_by_a_newer_runestone() throws Exception {
        try (PostgresStorage storage = SERVER.open(schema)) {
            storage.append(request(event("s", 1)));
        }
        execute("INSERT INTO \"" + schema + "\".schema_version (version, description) VALUES (99, 'from the future')");

        assertThatThrownBy(() -> SERVER.open(schema))
                .isInstanceOf(StorageException.class)
                .hasMessageContaining("schema version 99")
                .hasMessageContaining("Upgrade Runestone");
    }

    @Test
    void keeps_new_positions_above_restored_ones_when_the_server_counts_transactions_from_lower() throws Exception {
        List<StoredEvent> before;
        try (PostgresStorage storage = SERVER.open(schema)) {
            storage.append(request(event("s", 1), event("s", 2)));
            storage.append(request(event("t", 3)));
            before = storage.readLog(0, 10);
        }
        // What a dump restored into a younger cluster looks like: positions and transaction ids from a server
        // whose counter ran five billion transactions ahead of this one.
        long ahead = 5_000_000_000L;
        execute("UPDATE \"" + schema + "\".events SET position = position + (" + ahead + "::bigint << 20), "
                + "transaction_id = (transaction_id::text::bigint + " + ahead + ")::text::xid8");

        try (PostgresStorage reopened = SERVER.open(schema)) {
            StoredEvent next = reopened.append(request(event("s", 4))).stored().getFirst();
            List<StoredEvent> log = reopened.readLog(0, 10);

            assertThat(log).extracting(StoredEvent::id).containsExactly(before.get(0).id(), before.get(1).id(),
                    before.get(2).id(), next.id());
            assertThat(next.position()).isGreaterThan(log.get(2).position());
            assertThat(reopened.readLog(log.get(2).position(), 10)).containsExactly(next);
        }
        assertThat(count("SELECT position_offset FROM \"" + schema + "\".log_state")).as("the raised offset")
                .isPositive();
    }
}
