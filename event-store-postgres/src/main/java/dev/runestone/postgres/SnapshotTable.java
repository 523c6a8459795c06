package dev.runestone.postgres;

import dev.runestone.spi.SnapshotRow;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

/** The SQL of the snapshots table: one row per reducer name and key, the state kept as the JSON text given. */
final class SnapshotTable {

    private final String upsert;
    private final String select;
    private final String delete;

    SnapshotTable(Tables tables) {
        String table = tables.snapshots();
        this.upsert = "INSERT INTO " + table + " (reducer, key, cursor, version, state) VALUES (?, ?, ?, ?, ?) "
                + "ON CONFLICT (reducer, key) DO UPDATE SET "
                + "cursor = excluded.cursor, version = excluded.version, state = excluded.state";
        this.select = "SELECT cursor, version, state FROM " + table + " WHERE reducer = ? AND key = ?";
        this.delete = "DELETE FROM " + table + " WHERE reducer = ? AND key = ?";
    }

    void save(Connection connection, SnapshotRow snapshot) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(upsert)) {
            statement.setString(1, snapshot.reducer());
            statement.setString(2, snapshot.key());
            statement.setString(3, snapshot.cursor());
            statement.setLong(4, snapshot.version());
            statement.setString(5, snapshot.state());
            statement.executeUpdate();
        }
    }

    Optional<SnapshotRow> find(Connection connection, String reducer, String key) throws SQLException {
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

    void delete(Connection connection, String reducer, String key) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(delete)) {
            statement.setString(1, reducer);
            statement.setString(2, key);
            statement.executeUpdate();
        }
    }
}
