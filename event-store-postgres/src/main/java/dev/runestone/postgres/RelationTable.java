package dev.runestone.postgres;

import dev.runestone.Relation;
import dev.runestone.spi.jdbc.RelationWrites;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The SQL of the relations table: one row per (key, stream) pair. Every method is one statement with its values
 * bound as arrays, so each is atomic on its own in autocommit mode however many values it gets.
 */
final class RelationTable implements RelationWrites.Table {

    private final String insert;
    private final String delete;
    private final String selectStreams;
    private final String deleteByKeys;
    private final String deleteByStreams;

    RelationTable(Tables tables) {
        String table = tables.relations();
        this.insert = "INSERT INTO " + table + " (key, stream) SELECT * FROM unnest(?::text[], ?::text[]) "
                + "ON CONFLICT DO NOTHING";
        this.delete = "DELETE FROM " + table + " r USING unnest(?::text[], ?::text[]) AS x(key, stream) "
                + "WHERE r.key = x.key AND r.stream = x.stream";
        this.selectStreams = "SELECT DISTINCT stream FROM " + table + " WHERE key = ANY (?)";
        this.deleteByKeys = "DELETE FROM " + table + " WHERE key = ANY (?)";
        this.deleteByStreams = "DELETE FROM " + table + " WHERE stream = ANY (?)";
    }

    @Override
    public void add(Connection connection, Collection<Relation> relations) throws SQLException {
        pairs(connection, insert, relations);
    }

    @Override
    public void remove(Connection connection, Collection<Relation> relations) throws SQLException {
        pairs(connection, delete, relations);
    }

    Set<String> streamsByKeys(Connection connection, Collection<String> keys) throws SQLException {
        Set<String> streams = new LinkedHashSet<>();
        try (PreparedStatement select = connection.prepareStatement(selectStreams)) {
            select.setArray(1, connection.createArrayOf("text", keys.toArray(String[]::new)));
            try (ResultSet row = select.executeQuery()) {
                while (row.next()) {
                    streams.add(row.getString(1));
                }
            }
        }
        return streams;
    }

    @Override
    public void removeByKeys(Connection connection, Collection<String> keys) throws SQLException {
        deleteWhereAny(connection, deleteByKeys, keys);
    }

    @Override
    public void removeByStreams(Connection connection, Collection<String> streams) throws SQLException {
        deleteWhereAny(connection, deleteByStreams, streams);
    }

    private static void deleteWhereAny(Connection connection, String sql, Collection<String> values)
            throws SQLException {
        try (PreparedStatement delete = connection.prepareStatement(sql)) {
            delete.setArray(1, connection.createArrayOf("text", values.toArray(String[]::new)));
            delete.executeUpdate();
        }
    }

    private static void pairs(Connection connection, String sql, Collection<Relation> relations)
            throws SQLException {
        String[] keys = new String[relations.size()];
        String[] streams = new String[relations.size()];
        int i = 0;
        for (Relation relation : relations) {
            keys[i] = relation.key();
            streams[i] = relation.stream();
            i++;
        }
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setArray(1, connection.createArrayOf("text", keys));
            statement.setArray(2, connection.createArrayOf("text", streams));
            statement.executeUpdate();
        }
    }
}
