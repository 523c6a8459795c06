package dev.runestone.spi.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * The SQL of a once-ledger table with columns {@code handler} and {@code event_id} and the primary key
 * {@code (handler, event_id)}: which {@code once} handlers succeeded for which events, so that none runs twice.
 * Holds no connection; each method runs on the one it is given. Immutable and thread-safe.
 */
public final class OnceLedgerTable {

    private final String table;
    private final ColumnTypes types;
    private final EventTable.ListMatch lists;
    private final String insert;

    /**
     * @param table the table's name, already qualified and quoted as the adapter needs; it is spliced into the SQL
     * @param types how the database keeps event ids
     * @param lists how the database matches a column against a list of values
     */
    public OnceLedgerTable(String table, ColumnTypes types, EventTable.ListMatch lists) {
        this.table = table;
        this.types = types;
        this.lists = lists;
        this.insert = "INSERT INTO " + table + " (handler, event_id) VALUES (?, ?) ON CONFLICT DO NOTHING";
    }

    /** Of the handler keys given, those recorded as done for {@code eventId}. */
    public Set<String> done(Connection connection, Collection<String> keys, UUID eventId) throws SQLException {
        Set<String> done = new HashSet<>();
        if (keys.isEmpty()) {
            return done;
        }
        try (PreparedStatement select = connection.prepareStatement("SELECT handler FROM " + table
                + " WHERE event_id = ? AND " + lists.condition("handler", keys.size()))) {
            types.setId(select, 1, eventId);
            lists.bind(select, 2, keys);
            try (ResultSet row = select.executeQuery()) {
                while (row.next()) {
                    done.add(row.getString(1));
                }
            }
        }
        return done;
    }

    /** Records the handler keys as done for {@code eventId}; recording one twice is harmless. */
    public void markDone(Connection connection, List<String> keys, UUID eventId) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(insert)) {
            for (String key : keys) {
                statement.setString(1, key);
                types.setId(statement, 2, eventId);
                statement.executeUpdate();
            }
        }
    }
}
