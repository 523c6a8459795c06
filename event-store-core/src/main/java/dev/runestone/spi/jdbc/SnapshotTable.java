package dev.runestone.spi.jdbc;

import dev.runestone.spi.SnapshotRow;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

/**
 * The SQL of a snapshots table with columns {@code reducer}, {@code key}, {@code cursor}, {@code version} and
 * {@code state} (the JSON text as given) and the primary key {@code (reducer, key)}: one row per reducer name and
 * key. The upsert is {@code INSERT … ON CONFLICT … DO UPDATE}, which PostgreSQL and SQLite both run. Holds no
 * connection; each method runs on the one it is given. Immutable and thread-safe.
 */
public final class SnapshotTable {

    private final String upsert;
    private final String select;
    private final String delete;

    /**
     * @param table the table's name, already qualified and quoted as the adapter needs; it is spliced into the SQL
     */
    public SnapshotTable(String table) {
        this.upsert = "INSERT INTO " + table + " (reducer, key, cursor, version, state) VALUES (?, ?, ?, ?, ?) "
                + "ON CONFLICT (reducer, key) DO UPDATE SET "
                + "cursor = excluded.cursor, version = excluded.version, state = excluded.state";
        this.select = "SELECT cursor, version, state FROM " + table + " WHERE reducer = ? AND key = ?";
        this.delete = "DELETE FROM " + table + " WHERE reducer = ? AND key = ?";
    }

    /** Inserts the snapshot or replaces the one under the same reducer and key. */
    public void save(Connection connection, SnapshotRow snapshot) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(upsert)) {
            statement.setString(1, snapshot.reducer());
            statement.setString(2, snapshot.key());
            statement.setString(3, snapshot.cursor());
            statement.setLong(4, snapshot.version());
            statement.setString(5, snapshot.state());
            statement.executeUpdate();
        }
    }

    /** The snapshot under a reducer name and key, if there is one. */
    public Optional<SnapshotRow> find(Connection connection, String reducer, String key) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(select)) {
            statement.setString(1, reducer);
            statement.setString(2, key);
            try (ResultSet row = statement.executeQuery()) {
                if (!row.next()) {
                    return Optional.empty();
                }
                return Optional.of(new SnapshotRow(reducer, key, row.getString(1), row.getLong(2), row.getString(3)));
            }
        }
    }

    /** Deletes the snapshot under a reducer name and key, if there is one. */
    public void delete(Connection connection, String reducer, String key) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(delete)) {
            statement.setString(1, reducer);
            statement.setString(2, key);
            statement.executeUpdate();
        }
    }
}
