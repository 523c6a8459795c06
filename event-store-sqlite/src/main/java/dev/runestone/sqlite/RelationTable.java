package dev.runestone.sqlite;

import dev.runestone.Relation;
import dev.runestone.spi.jdbc.RelationWrites;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The SQL of the relations table: one row per (key, stream) pair. Methods run on the connection they are given;
 * the writing ones expect the caller's write transaction around them.
 */
final class RelationTable implements RelationWrites.Table {

    private final String table;
    private final String insert;
    private final String delete;

    RelationTable(Tables tables) {
        this.table = tables.relations();
        this.insert = "INSERT OR IGNORE INTO " + table + " (key, stream) VALUES (?, ?)";
        this.delete = "DELETE FROM " + table + " WHERE key = ? AND stream = ?";
    }

    @Override
    public void add(Connection connection, Collection<Relation> relations) throws SQLException {
        batch(connection, insert, relations);
    }

    @Override
    public void remove(Connection connection, Collection<Relation> relations) throws SQLException {
        batch(connection, delete, relations);
    }

    /**
     * The streams under any of {@code keys}. Many keys take several statements, run in one read transaction so that
     * they all see the same snapshot.
     */
    Set<String> streamsByKeys(Connection connection, Collection<String> keys) throws SQLException {
        List<List<String>> chunks = InList.chunks(keys, InList.MAX_PARAMETERS);
        if (chunks.isEmpty()) {
            return Set.of();
        }
        if (chunks.size() == 1) {
            return streamsByKeys(connection, chunks.getFirst());
        }
        return SqliteConnections.inTransaction(connection, "BEGIN", inSnapshot -> {
            Set<String> streams = new LinkedHashSet<>();
            for (List<String> chunk : chunks) {
                streams.addAll(streamsByKeys(inSnapshot, chunk));
            }
            return streams;
        });
    }

    @Override
    public void removeByKeys(Connection connection, Collection<String> keys) throws SQLException {
        deleteWhereIn(connection, "key", keys);
    }

    @Override
    public void removeByStreams(Connection connection, Collection<String> streams) throws SQLException {
        deleteWhereIn(connection, "stream", streams);
    }

    private void deleteWhereIn(Connection connection, String column, Collection<String> values) throws SQLException {
        for (List<String> chunk : InList.chunks(values, InList.MAX_PARAMETERS)) {
            try (PreparedStatement delete = connection.prepareStatement(
                    "DELETE FROM " + table + " WHERE " + column + " IN " + InList.placeholders(chunk.size()))) {
                bind(delete, chunk);
                delete.executeUpdate();
            }
        }
    }

    private Set<String> streamsByKeys(Connection connection, List<String> keys) throws SQLException {
        Set<String> streams = new LinkedHashSet<>();
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT DISTINCT stream FROM " + table + " WHERE key IN " + InList.placeholders(keys.size()))) {
            bind(select, keys);
            try (ResultSet row = select.executeQuery()) {
                while (row.next()) {
                    streams.add(row.getString(1));
                }
            }
        }
        return streams;
    }

    private static void batch(Connection connection, String sql, Collection<Relation> relations) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            for (Relation relation : relations) {
                statement.setString(1, relation.key());
                statement.setString(2, relation.stream());
                statement.addBatch();
            }
            statement.executeBatch();
        }
    }

    private static void bind(PreparedStatement statement, List<String> values) throws SQLException {
        for (int i = 0; i < values.size(); i++) {
            statement.setString(i + 1, values.get(i));
        }
    }
}
