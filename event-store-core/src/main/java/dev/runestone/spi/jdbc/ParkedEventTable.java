package dev.runestone.spi.jdbc;

import dev.runestone.spi.ParkedEventRow;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The SQL of a parked-events table with columns {@code subscription}, {@code event_id}, {@code position},
 * {@code error}, {@code attempts} and {@code parked_at} and the primary key {@code (subscription, event_id)}: the
 * events a subscription gave up on. Holds no connection; each method runs on the one it is given. Immutable and
 * thread-safe.
 */
public final class ParkedEventTable {

    private final ColumnTypes types;
    private final String upsert;
    private final String select;
    private final String delete;

    /**
     * @param table the table's name, already qualified and quoted as the adapter needs; it is spliced into the SQL
     * @param types how the database keeps event ids and moments
     */
    public ParkedEventTable(String table, ColumnTypes types) {
        this.types = types;
        this.upsert = "INSERT INTO " + table + " (subscription, event_id, position, error, attempts, parked_at) "
                + "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (subscription, event_id) DO UPDATE SET "
                + "error = excluded.error, attempts = excluded.attempts, parked_at = excluded.parked_at";
        this.select = "SELECT event_id, position, error, attempts, parked_at FROM " + table
                + " WHERE subscription = ? ORDER BY position";
        this.delete = "DELETE FROM " + table + " WHERE subscription = ? AND event_id = ?";
    }

    /** Stores the parked event, replacing an earlier row for the same subscription and event. */
    public void park(Connection connection, ParkedEventRow row) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(upsert)) {
            statement.setString(1, row.subscription());
            types.setId(statement, 2, row.eventId());
            statement.setLong(3, row.position());
            statement.setString(4, row.error());
            statement.setInt(5, row.attempts());
            types.setInstant(statement, 6, row.parkedAt());
            statement.executeUpdate();
        }
    }

    /** The events {@code subscription} parked, in position order. */
    public List<ParkedEventRow> parked(Connection connection, String subscription) throws SQLException {
        List<ParkedEventRow> rows = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement(select)) {
            statement.setString(1, subscription);
            try (ResultSet row = statement.executeQuery()) {
                while (row.next()) {
                    rows.add(new ParkedEventRow(subscription, types.getId(row, 1), row.getLong(2), row.getString(3),
                            row.getInt(4), types.getInstant(row, 5)));
                }
            }
        }
        return rows;
    }

    /** Forgets a parked event; tells whether it was parked. */
    public boolean delete(Connection connection, String subscription, UUID eventId) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(delete)) {
            statement.setString(1, subscription);
            types.setId(statement, 2, eventId);
            return statement.executeUpdate() > 0;
        }
    }
}
