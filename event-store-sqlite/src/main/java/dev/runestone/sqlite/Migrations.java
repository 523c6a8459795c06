package dev.runestone.sqlite;

import dev.runestone.StorageException;
import dev.runestone.spi.jdbc.EventTable;
import dev.runestone.spi.jdbc.OriginColumns;
import dev.runestone.spi.jdbc.SchemaMigrations;
import dev.runestone.spi.jdbc.SchemaMigrations.Step;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;

/**
 * The numbered schema changes of one table prefix, each applied once and recorded in {@code <prefix>schema_version}.
 *
 * <p>{@link #apply} runs inside the caller's {@code BEGIN IMMEDIATE} transaction, which holds SQLite's write lock,
 * and reads the recorded version inside it: when two processes open a fresh file at once, the second waits for the
 * first (busy timeout), then finds the steps applied and does nothing. Steps are never edited once released; a
 * change of layout is a new step.
 */
final class Migrations {

    private final Tables tables;
    private final SchemaMigrations steps;

    Migrations(Tables tables) {
        this.tables = tables;
        this.steps = new SchemaMigrations(tables.schemaVersion(), List.of(
                new Step(1, "events, relations and snapshots", initialLayout(tables)),
                new Step(2, "subscriptions (checkpoints and leases, members, parked events, once ledger) and imports",
                        Stream.concat(SubscriptionTables.layout(tables).stream(), ImportTable.layout(tables).stream())
                                .toList()),
                new Step(3, "the number of partitions of each subscription",
                        SubscriptionTables.partitionsLayout(tables)),
                new Step(4, "the version of each event's type", schemaVersionColumn(tables)),
                new Step(5, "each event's correlation, causation and trace context",
                        OriginColumns.layout(tables.events(), tables.events() + "_correlation", "TEXT")),
                new Step(6, "the hash of each event's stream, which parts of the log are read by",
                        List.of(EventTable.streamHashColumn(tables.events())))));
    }

    /** Applies every step newer than the recorded version; must run inside a write transaction. */
    void apply(Connection connection, String location) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE IF NOT EXISTS " + tables.schemaVersion() + " ("
                    + "version INTEGER PRIMARY KEY, "
                    + "description TEXT NOT NULL, "
                    + "applied TEXT NOT NULL)");
        }
        steps.apply(connection, new SchemaMigrations.Target() {

            @Override
            public void record(Connection connection, Step step) throws SQLException {
                try (PreparedStatement record = connection.prepareStatement("INSERT INTO " + tables.schemaVersion()
                        + " (version, description, applied) VALUES (?, ?, ?)")) {
                    record.setInt(1, step.version());
                    record.setString(2, step.description());
                    record.setString(3, Instant.now().toString());
                    record.executeUpdate();
                }
            }

            @Override
            public RuntimeException newerThanKnown(int recorded, int latest) {
                return new StorageException("SQLite store " + location + " has schema version " + recorded
                        + " under table prefix '" + tables.prefix() + "', newer than this Runestone knows ("
                        + latest + "). Upgrade Runestone, or use another file or table prefix.");
            }

            @Override
            public void stepFailed(Step step, SQLException cause) {
                throw new StorageException("Migrating SQLite store " + location + " to schema version "
                        + step.version() + " (" + step.description() + ") under table prefix '" + tables.prefix()
                        + "' failed; nothing was changed. If other tables already use this prefix, choose another "
                        + "one with SqliteStorage.builder().tablePrefix(...). Cause: " + cause.getMessage(), cause);
            }
        });
    }

    private static List<String> initialLayout(Tables tables) {
        String events = tables.events();
        String relations = tables.relations();
        return List.of(
                // AUTOINCREMENT: a position is never handed out twice, even after the newest event is deleted.
                "CREATE TABLE " + events + " ("
                        + "position INTEGER PRIMARY KEY AUTOINCREMENT, "
                        + "id TEXT NOT NULL UNIQUE, "
                        + "stream TEXT NOT NULL, "
                        + "type TEXT NOT NULL, "
                        + "data TEXT, "
                        + "meta TEXT, "
                        + "created TEXT NOT NULL, "
                        + "recorded TEXT NOT NULL, "
                        + "version INTEGER NOT NULL, "
                        + "UNIQUE (stream, version))",
                "CREATE INDEX " + events + "_stream_created ON " + events + " (stream, created)",
                "CREATE INDEX " + events + "_created ON " + events + " (created)",
                "CREATE INDEX " + events + "_stream_type_created ON " + events + " (stream, type, created)",
                "CREATE TABLE " + relations + " ("
                        + "key TEXT NOT NULL, "
                        + "stream TEXT NOT NULL, "
                        + "PRIMARY KEY (key, stream)) WITHOUT ROWID",
                "CREATE INDEX " + relations + "_stream ON " + relations + " (stream)",
                "CREATE TABLE " + tables.snapshots() + " ("
                        + "reducer TEXT NOT NULL, "
                        + "key TEXT NOT NULL, "
                        + "cursor TEXT NOT NULL, "
                        + "version INTEGER NOT NULL, "
                        + "state TEXT NOT NULL, "
                        + "PRIMARY KEY (reducer, key)) WITHOUT ROWID");
    }

    /**
     * Every event stored before types had versions follows version 1 of its type. SQLite adds a column with a
     * constant default by changing the table's definition alone, without touching its rows.
     */
    private static List<String> schemaVersionColumn(Tables tables) {
        return List.of("ALTER TABLE " + tables.events() + " ADD COLUMN schema_version INTEGER NOT NULL DEFAULT 1");
    }
}
