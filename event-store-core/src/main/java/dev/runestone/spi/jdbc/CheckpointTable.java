package dev.runestone.spi.jdbc;

import dev.runestone.spi.CheckpointRow;
import dev.runestone.spi.Lease;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The checkpoint SQL of a subscriptions table with one row per subscription and partition, in columns
 * {@code subscription}, {@code partition}, {@code position}, {@code high_water}, {@code owner} and {@code token}:
 * reading a subscription's checkpoints, moving them all to one position, and checking inside a transaction that a
 * lease still holds its partition. Taking and renewing leases stays with the adapter, since each database judges
 * their expiry by its own clock. Holds no connection; each method runs on the one it is given.
 * Immutable and thread-safe.
 */
public final class CheckpointTable {

    private final String select;
    private final String reset;
    private final String holder;

    /**
     * @param table   the table's name, already qualified and quoted as the adapter needs; it is spliced into the SQL
     * @param rowLock what keeps the partition's row from changing until the transaction ends, appended to a
     *                {@code SELECT} ({@code FOR UPDATE}), or empty where the transaction already holds the whole
     *                database (SQLite's write lock)
     */
    public CheckpointTable(String table, String rowLock) {
        this.select = "SELECT partition, position, high_water, owner, token FROM " + table
                + " WHERE subscription = ? ORDER BY partition";
        this.reset = "UPDATE " + table + " SET position = ? WHERE subscription = ?";
        this.holder = ("SELECT token, owner FROM " + table + " WHERE subscription = ? AND partition = ? " + rowLock)
                .strip();
    }

    /**
     * Whether {@code lease} still holds its partition (the token and owner of its row are the lease's), locking the
     * row so that the answer stays true until the transaction ends: a lease taken over since fences the work off.
     */
    public boolean heldBy(Connection connection, Lease lease) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(holder)) {
            statement.setString(1, lease.subscription());
            statement.setInt(2, lease.partition());
            try (ResultSet row = statement.executeQuery()) {
                return row.next() && row.getLong(1) == lease.token() && lease.owner().equals(row.getString(2));
            }
        }
    }

    /** Every partition's row of {@code subscription}, in partition order. */
    public List<CheckpointRow> checkpoints(Connection connection, String subscription) throws SQLException {
        List<CheckpointRow> rows = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement(select)) {
            statement.setString(1, subscription);
            try (ResultSet row = statement.executeQuery()) {
                while (row.next()) {
                    rows.add(new CheckpointRow(subscription, row.getInt(1), row.getLong(2), row.getLong(3),
                            row.getString(4), row.getLong(5)));
                }
            }
        }
        return rows;
    }

    /** Moves every partition's checkpoint of {@code subscription} to {@code position}, keeping high-water marks. */
    public void reset(Connection connection, String subscription, long position) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(reset)) {
            statement.setLong(1, position);
            statement.setString(2, subscription);
            statement.executeUpdate();
        }
    }
}
