package dev.runestone.postgres;

import dev.runestone.StorageException;
import dev.runestone.spi.jdbc.EventTable;
import dev.runestone.spi.jdbc.OriginColumns;
import dev.runestone.spi.jdbc.SchemaMigrations;
import dev.runestone.spi.jdbc.SchemaMigrations.Step;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.stream.Stream;

/**
 * The numbered schema changes of one store's schema, each applied once and recorded in {@code schema_version}, and
 * the start-up check that keeps new positions above old ones after a restore.
 *
 * <p>{@link #apply} runs in one transaction that first takes a transaction-scoped advisory lock derived from the
 * schema name: when two processes open a fresh schema at once, the second waits for the first to commit, then finds
 * the steps applied and does nothing. Stores in other schemas take other locks and never wait for each other. Steps
 * are never edited once released; a change of layout is a new step.
 */
final class Migrations {

    private final Tables tables;
    private final SchemaMigrations steps;

    Migrations(Tables tables) {
        this.tables = tables;
        this.steps = new SchemaMigrations(tables.schemaVersion(), List.of(
                new Step(1, "events, relations, snapshots and the position offset", initialLayout(tables)),
                new Step(2, "subscriptions (checkpoints and leases, members, parked events, once ledger) and imports",
                        Stream.concat(SubscriptionTables.layout(tables).stream(), ImportTable.layout(tables).stream())
                                .toList()),
                new Step(3, "the number of partitions of each subscription",
                        SubscriptionTables.partitionsLayout(tables)),
                new Step(4, "the version of each event's type", schemaVersionColumn(tables)),
                new Step(5, "each event's correlation, causation and trace context",
                        OriginColumns.layout(tables.events(), "events_correlation", "text COLLATE \"C\"")),
                new Step(6, "the hash of each event's stream, which parts of the log are read by",
                        List.of(EventTable.streamHashColumn(tables.events())))));
    }

    /** The highest version this code knows. */
    int latestVersion() {
        return steps.latestVersion();
    }

    /** Brings the schema to the latest version; must run inside a {@code READ COMMITTED} transaction. */
    void apply(Connection connection, String location) throws SQLException {
        try (PreparedStatement lock = connection.prepareStatement("SELECT pg_advisory_xact_lock(?)")) {
            lock.setLong(1, lockKey(tables.schema()));
            lock.execute();
        }
        // Checked first, so that a role allowed to use an existing schema but not to create one can open it.
        if (!exists(connection, "SELECT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = ?)", tables.schema())) {
            execute(connection, "CREATE SCHEMA IF NOT EXISTS " + tables.quotedSchema());
        }
        if (!exists(connection, "SELECT to_regclass(?) IS NOT NULL", tables.schemaVersion())) {
            execute(connection, "CREATE TABLE IF NOT EXISTS " + tables.schemaVersion() + " ("
                    + "version integer PRIMARY KEY, "
                    + "description text NOT NULL, "
                    + "applied timestamptz NOT NULL DEFAULT now())");
        }
        steps.apply(connection, new SchemaMigrations.Target() {

            @Override
            public void record(Connection connection, Step step) throws SQLException {
                try (PreparedStatement record = connection.prepareStatement(
                        "INSERT INTO " + tables.schemaVersion() + " (version, description) VALUES (?, ?)")) {
                    record.setInt(1, step.version());
                    record.setString(2, step.description());
                    record.executeUpdate();
                }
            }

            @Override
            public RuntimeException newerThanKnown(int recorded, int latest) {
                return new StorageException("PostgreSQL schema '" + tables.schema() + "' on " + location
                        + " has Runestone schema version " + recorded + ", newer than this Runestone knows ("
                        + latest + "). Upgrade Runestone, or use another schema.");
            }
        });
        keepPositionsAboveStoredOnes(connection);
    }

    /**
     * Raises the position offset when the server's transaction counter is behind the stored positions, as after a
     * dump restored into another cluster; otherwise new events would get positions below old ones and readers
     * following the log would never see them.
     *
     * <p>A new event's position is {@code (txid + offset) << 20 | index}. Every transaction that can still write has
     * a txid at least the current snapshot's {@code xmin}, so an offset of {@code max(position) >> 20 + 1 - xmin}
     * puts every later position above every stored one. The table is locked first (appends wait, readers do not)
     * so that no append is in flight with the old offset while the new one is set.
     */
    private void keepPositionsAboveStoredOnes(Connection connection) throws SQLException {
        String check = "SELECT (SELECT max(position) >> 20 FROM " + tables.events() + ") "
                + ">= pg_snapshot_xmax(pg_current_snapshot())::text::bigint + position_offset FROM "
                + tables.logState();
        if (!exists(connection, check)) {
            return;
        }
        execute(connection, "LOCK TABLE " + tables.events() + " IN EXCLUSIVE MODE");
        execute(connection, "UPDATE " + tables.logState() + " SET position_offset = greatest(position_offset, "
                + "(SELECT max(position) >> 20 FROM " + tables.events() + ") + 1 "
                + "- pg_snapshot_xmin(pg_current_snapshot())::text::bigint)");
    }

    /** A 64-bit key for {@code pg_advisory_xact_lock}, the same in every process for the same schema name. */
    static long lockKey(String schema) {
        byte[] digest;
        try {
            digest = MessageDigest.getInstance("SHA-256")
                    .digest(("dev.runestone.postgres migrations " + schema).getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every Java platform provides SHA-256", e);
        }
        long key = 0;
        for (int i = 0; i < Long.BYTES; i++) {
            key = (key << 8) | (digest[i] & 0xff);
        }
        return key;
    }

    private static boolean exists(Connection connection, String sql, String... parameters) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                query.setString(i + 1, parameters[i]);
            }
            try (ResultSet row = query.executeQuery()) {
                return row.next() && row.getBoolean(1);
            }
        }
    }

    private static void execute(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private static List<String> initialLayout(Tables tables) {
        String events = tables.events();
        return List.of(
                // Text compares byte-wise (COLLATE "C") so that ordering and cursors on created match Java's
                // String order whatever the database's collation; stream and type only need equality, which the C
                // collation makes cheaper too. transaction_id records which transaction wrote the row, for
                // diagnosis; readers gate on position, which carries the same number (see EventLog).
                "CREATE TABLE " + events + " ("
                        + "position bigint NOT NULL, "
                        + "id uuid NOT NULL, "
                        + "stream text COLLATE \"C\" NOT NULL, "
                        + "type text COLLATE \"C\" NOT NULL, "
                        + "data jsonb, "
                        + "meta jsonb, "
                        + "created text COLLATE \"C\" NOT NULL, "
                        + "recorded timestamptz NOT NULL, "
                        + "version bigint NOT NULL, "
                        + "transaction_id xid8 NOT NULL DEFAULT pg_current_xact_id(), "
                        + "CONSTRAINT events_position_key PRIMARY KEY (position), "
                        + "CONSTRAINT events_id_key UNIQUE (id), "
                        + "CONSTRAINT events_stream_version_key UNIQUE (stream, version), "
                        + "CONSTRAINT events_version_check CHECK (version > 0), "
                        + "CONSTRAINT events_position_check CHECK (position > 0))",
                "CREATE INDEX events_stream_created ON " + events + " (stream, created)",
                "CREATE INDEX events_created ON " + events + " (created)",
                "CREATE INDEX events_stream_type_created ON " + events + " (stream, type, created)",
                "CREATE TABLE " + tables.relations() + " ("
                        + "key text COLLATE \"C\" NOT NULL, "
                        + "stream text COLLATE \"C\" NOT NULL, "
                        + "CONSTRAINT relations_key PRIMARY KEY (key, stream))",
                "CREATE INDEX relations_stream ON " + tables.relations() + " (stream)",
                "CREATE TABLE " + tables.snapshots() + " ("
                        + "reducer text COLLATE \"C\" NOT NULL, "
                        + "key text COLLATE \"C\" NOT NULL, "
                        + "cursor text COLLATE \"C\" NOT NULL, "
                        + "version bigint NOT NULL, "
                        + "state text NOT NULL, "
                        + "CONSTRAINT snapshots_key PRIMARY KEY (reducer, key))",
                "CREATE TABLE " + tables.logState() + " ("
                        + "singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton), "
                        + "position_offset bigint NOT NULL)",
                "INSERT INTO " + tables.logState() + " (position_offset) VALUES (0)");
    }

    /**
     * Every event stored before types had versions follows version 1 of its type. A constant default is kept in the
     * catalog (PostgreSQL 11 and newer), so adding the column rewrites no row. The check is added {@code NOT VALID}:
     * validating it would read the whole table under the exclusive lock the {@code ALTER} holds, only to find the
     * default in every row; it holds for every row written or changed from then on.
     */
    private static List<String> schemaVersionColumn(Tables tables) {
        return List.of("ALTER TABLE " + tables.events() + " ADD COLUMN schema_version integer NOT NULL DEFAULT 1, "
                + "ADD CONSTRAINT events_schema_version_check CHECK (schema_version > 0) NOT VALID");
    }
}
