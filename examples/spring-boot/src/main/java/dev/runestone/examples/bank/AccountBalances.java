package dev.runestone.examples.bank;

import dev.runestone.subscription.Projection;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Repository;

/**
 * The read model: one row per account in the table {@code accounts} (made by {@code schema.sql} at startup), in the
 * database the events are in. The {@linkplain #projection() projection} writes it on the store's connection, in the
 * transaction that moves its subscription's checkpoint, so a row never counts an event twice nor misses one, crash
 * or not; the queries read it through the application's DataSource. It trails the commands by the time the
 * subscription takes to see an event, usually milliseconds. Thread-safe; not final, as Spring proxies repositories.
 */
@Repository
class AccountBalances {

    /** A row of the read model; {@code version} is the last event of the account's stream it counts. */
    record Row(String id, String owner, long balance, long version) {
    }

    private static final RowMapper<Row> ROW = (result, index) -> new Row(result.getString("id"),
            result.getString("owner"), result.getLong("balance"), result.getLong("version"));

    private final JdbcTemplate jdbc;

    AccountBalances(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * The handlers that keep the table. Each skips an event its row counts already ({@code version} at or past the
     * event's), so running the subscription again from the first event over a table that is still there changes
     * nothing.
     */
    static Projection<BankEvent> projection() {
        return Projection.<BankEvent>builder()
                .on(AccountOpened.class, (record, connection) -> update(connection,
                        "INSERT INTO accounts (id, owner, balance, version) VALUES (?, ?, 0, ?) "
                                + "ON CONFLICT (id) DO NOTHING",
                        record.stream(), record.event().data().owner(), record.version()))
                .on(AccountDeposited.class, (record, connection) -> add(connection, record.stream(),
                        record.event().data().amount(), record.version()))
                .on(AccountWithdrawn.class, (record, connection) -> add(connection, record.stream(),
                        -record.event().data().amount(), record.version()))
                .build();
    }

    Optional<Row> find(String id) {
        return jdbc.query("SELECT id, owner, balance, version FROM accounts WHERE id = ?", ROW, id).stream()
                .findFirst();
    }

    List<Row> all() {
        return jdbc.query("SELECT id, owner, balance, version FROM accounts ORDER BY owner, id", ROW);
    }

    private static void add(Connection connection, String id, long amount, long version) throws SQLException {
        update(connection, "UPDATE accounts SET balance = balance + ?, version = ? WHERE id = ? AND version < ?",
                amount, version, id, version);
    }

    private static void update(Connection connection, String sql, Object... parameters) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            statement.executeUpdate();
        }
    }
}
