package dev.runestone.spi.jdbc;

import dev.runestone.Relation;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Collection;
import java.util.Objects;

/**
 * The four writes of {@link dev.runestone.spi.RelationStorage} as a JDBC adapter runs them: each refuses a closed store
 * first, does nothing for no values, and is otherwise one atomic write whose failure message names what it did to how
 * many values. The adapter gives the SQL of its relations table, which differs between databases (a batch of
 * single-row statements, or one statement over arrays), and the way it runs a write.
 *
 * <p>Holds no connection. Thread-safe if what it is given is.
 */
public final class RelationWrites {

    /** The adapter's SQL of a relations table with one row per key and stream. */
    public interface Table {

        /** Adds the relations that are not there yet. */
        void add(Connection connection, Collection<Relation> relations) throws SQLException;

        /** Removes the relations that are there. */
        void remove(Connection connection, Collection<Relation> relations) throws SQLException;

        /** Removes every relation under {@code keys}. */
        void removeByKeys(Connection connection, Collection<String> keys) throws SQLException;

        /** Removes every relation to {@code streams}. */
        void removeByStreams(Connection connection, Collection<String> streams) throws SQLException;
    }

    /** Work on the connection of the write a {@link Writer} runs. */
    @FunctionalInterface
    public interface Write {
        void run(Connection connection) throws SQLException;
    }

    /** How the adapter runs a write. */
    @FunctionalInterface
    public interface Writer {

        /**
         * Runs {@code write} atomically; a {@link SQLException} becomes the adapter's exception, whose message begins
         * with {@code action} and says that nothing was changed.
         */
        void write(String action, Write write);
    }

    @FunctionalInterface
    private interface TableWrite<T> {
        void run(Connection connection, Collection<T> values) throws SQLException;
    }

    private final Table table;
    private final Runnable requireOpen;
    private final Writer writer;

    /**
     * @param table       the adapter's SQL of its relations table
     * @param requireOpen throws {@link dev.runestone.StoreClosedException} once the store is closed; every write runs
     *                    it first, so that a closed store refuses even a write of nothing
     * @param writer      how the adapter runs a write
     */
    public RelationWrites(Table table, Runnable requireOpen, Writer writer) {
        this.table = table;
        this.requireOpen = requireOpen;
        this.writer = writer;
    }

    /** {@link dev.runestone.spi.RelationStorage#addRelations}. */
    public void add(Collection<Relation> relations) {
        write(Objects.requireNonNull(relations, "relations"), "Adding %d relation(s)", table::add);
    }

    /** {@link dev.runestone.spi.RelationStorage#removeRelations}. */
    public void remove(Collection<Relation> relations) {
        write(Objects.requireNonNull(relations, "relations"), "Removing %d relation(s)", table::remove);
    }

    /** {@link dev.runestone.spi.RelationStorage#removeRelationsByKeys}. */
    public void removeByKeys(Collection<String> keys) {
        write(Objects.requireNonNull(keys, "keys"), "Removing the relations under %d key(s)", table::removeByKeys);
    }

    /** {@link dev.runestone.spi.RelationStorage#removeRelationsByStreams}. */
    public void removeByStreams(Collection<String> streams) {
        write(Objects.requireNonNull(streams, "streams"), "Removing the relations to %d stream(s)",
                table::removeByStreams);
    }

    private <T> void write(Collection<T> values, String action, TableWrite<T> write) {
        requireOpen.run();
        if (values.isEmpty()) {
            return;
        }
        writer.write(action.formatted(values.size()), connection -> write.run(connection, values));
    }
}
