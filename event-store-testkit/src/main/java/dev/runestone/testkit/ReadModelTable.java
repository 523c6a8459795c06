package dev.runestone.testkit;

import dev.runestone.EventRecord;
import dev.runestone.spi.StorageAdapter;
import dev.runestone.spi.SubscriptionStorage;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A read model that subscription handlers write through the store's own connection: a table with one row per write
 * of a handled event, created, read and dropped through an adapter's connection in SQL every database runs. Its
 * name is random, since on a shared server it lands in the connection's default schema, beside other runs' tables.
 */
final class ReadModelTable {

    private final SubscriptionStorage storage;
    private final String name;

    private ReadModelTable(SubscriptionStorage storage, String name) {
        this.storage = storage;
        this.name = name;
    }

    /** Creates the table through {@code adapter}'s connection. */
    static ReadModelTable create(StorageAdapter adapter) throws Exception {
        byte[] random = new byte[6];
        ThreadLocalRandom.current().nextBytes(random);
        ReadModelTable table = new ReadModelTable(SuiteBase.subscriptions(adapter),
                "read_model_" + HexFormat.of().formatHex(random));
        table.inTransaction(connection -> {
            try (Statement statement = connection.createStatement()) {
                statement.execute("CREATE TABLE " + table.name + " (event_id VARCHAR(36) NOT NULL, "
                        + "stream VARCHAR(200) NOT NULL, version BIGINT NOT NULL)");
            }
        });
        return table;
    }

    /** Writes a row for {@code record}, on the connection of the transaction handling it. */
    void insert(Connection connection, EventRecord<?> record) throws SQLException {
        insert(connection, record.id(), record.stream(), record.version());
    }

    /** Writes a row for the event {@code eventId}, for work that has no record at hand. */
    void insert(Connection connection, UUID eventId, String stream, long version) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO " + name
                + " (event_id, stream, version) VALUES (?, ?, ?)")) {
            insert.setString(1, eventId.toString());
            insert.setString(2, stream);
            insert.setLong(3, version);
            insert.executeUpdate();
        }
    }

    /** The event id of every row, a duplicate for each event written more than once. */
    List<UUID> eventIds() throws Exception {
        List<UUID> ids = new ArrayList<>();
        inTransaction(connection -> {
            try (Statement statement = connection.createStatement();
                    ResultSet rows = statement.executeQuery("SELECT event_id FROM " + name)) {
                while (rows.next()) {
                    ids.add(UUID.fromString(rows.getString(1)));
                }
            }
        });
        return ids;
    }

    /** Drops the table; the subscriptions writing to it must have stopped. */
    void drop() throws Exception {
        inTransaction(connection -> {
            try (Statement statement = connection.createStatement()) {
                statement.execute("DROP TABLE " + name);
            }
        });
    }

    @FunctionalInterface
    private interface SqlWork {
        void run(Connection connection) throws SQLException;
    }

    private void inTransaction(SqlWork work) throws Exception {
        // A random event id: the work records nothing in the once ledger.
        storage.runInTransaction(UUID.randomUUID(), connection -> {
            work.run(connection);
            return List.of();
        });
    }
}
