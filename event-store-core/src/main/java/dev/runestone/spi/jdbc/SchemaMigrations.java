package dev.runestone.spi.jdbc;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * The numbered schema changes of one store, and the loop that applies them: every step newer than the highest
 * {@code version} in the store's version table runs once, in order, and is recorded there. Steps are never edited once
 * released; a change of layout is a new step. The adapter creates the version table, keeps other processes out while
 * the steps run (a lock, or the transaction it runs {@link #apply} in), and says through a {@link Target} how a step
 * is recorded and what a failure reports.
 *
 * <p>Holds no connection; {@link #apply} runs on the one it is given. Immutable and thread-safe.
 */
public final class SchemaMigrations {

    /**
     * One schema change.
     *
     * @param version     its number, higher than every step's before it
     * @param description what it changes, recorded beside the number
     * @param statements  the SQL that makes the change, run in order
     */
    public record Step(int version, String description, List<String> statements) {

        public Step {
            statements = List.copyOf(statements);
        }
    }

    /** The store being migrated, as far as it differs between databases. */
    public interface Target {

        /** Records in the version table that {@code step} was applied, in the same transaction. */
        void record(Connection connection, Step step) throws SQLException;

        /**
         * The exception for a store whose recorded version is higher than the latest step: a newer Runestone
         * migrated it, and this one must not touch it.
         */
        RuntimeException newerThanKnown(int recorded, int latest);

        /**
         * Called when a statement of {@code step} fails, before anything of it is recorded: throws the exception the
         * adapter reports instead. If it returns, the cause is thrown as it is.
         */
        default void stepFailed(Step step, SQLException cause) {
        }
    }

    private final String recordedVersion;
    private final List<Step> steps;

    /**
     * @param versionTable the version table's name, already qualified and quoted as the adapter needs; it is spliced
     *                     into the SQL
     * @param steps        every step, oldest first
     */
    public SchemaMigrations(String versionTable, List<Step> steps) {
        if (steps.isEmpty()) {
            throw new IllegalArgumentException("A schema needs at least one step");
        }
        this.recordedVersion = "SELECT COALESCE(MAX(version), 0) FROM " + versionTable;
        this.steps = List.copyOf(steps);
    }

    /** The highest version this code knows. */
    public int latestVersion() {
        return steps.getLast().version();
    }

    /**
     * Runs and records every step newer than the recorded version, oldest first, on {@code connection}, which the
     * caller holds in one transaction. A recorded version newer than this code knows, or a failed step, throws what
     * {@code target} makes of it.
     */
    public void apply(Connection connection, Target target) throws SQLException {
        int current = recordedVersion(connection);
        if (current > latestVersion()) {
            throw target.newerThanKnown(current, latestVersion());
        }
        for (Step step : steps) {
            if (step.version() > current) {
                run(connection, step, target);
                target.record(connection, step);
            }
        }
    }

    private int recordedVersion(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery(recordedVersion)) {
            row.next();
            return row.getInt(1);
        }
    }

    private static void run(Connection connection, Step step, Target target) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            for (String sql : step.statements()) {
                statement.execute(sql);
            }
        } catch (SQLException e) {
            target.stepFailed(step, e);
            throw e;
        }
    }
}
