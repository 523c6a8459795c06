package dev.runestone.sqlite;

import dev.runestone.spi.Lease;
import dev.runestone.spi.TransactionWork;
import dev.runestone.spi.jdbc.CheckpointTable;
import dev.runestone.spi.jdbc.ColumnTypes;
import dev.runestone.spi.jdbc.OnceLedgerTable;
import dev.runestone.spi.jdbc.ParkedEventTable;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The SQL of the durable-subscription tables: checkpoints with leases ({@code <prefix>subscriptions}), the number
 * of partitions of each subscription ({@code <prefix>subscription_partitions}), live instances
 * ({@code <prefix>subscription_members}), parked events and the once ledger.
 *
 * <p>Lease times are epoch milliseconds of this machine's clock: every process sharing a SQLite file runs on the
 * same machine, so they read one clock. Methods run on the connection they are given, inside the caller's write
 * transaction where they write.
 */
final class SubscriptionTables {

    /** Event ids and moments as ISO-8601 text, as the other tables keep them. */
    static final ColumnTypes TEXT = new ColumnTypes() {
        @Override
        public void setId(PreparedStatement statement, int index, UUID id) throws SQLException {
            statement.setString(index, id.toString());
        }

        @Override
        public UUID getId(ResultSet row, int column) throws SQLException {
            return UUID.fromString(row.getString(column));
        }

        @Override
        public void setInstant(PreparedStatement statement, int index, Instant instant) throws SQLException {
            statement.setString(index, instant.toString());
        }

        @Override
        public Instant getInstant(ResultSet row, int column) throws SQLException {
            return Instant.parse(row.getString(column));
        }
    };

    private final String subscriptions;
    private final String partitionCounts;
    private final String members;
    private final String events;
    private final CheckpointTable checkpoints;
    private final ParkedEventTable parked;
    private final OnceLedgerTable ledger;

    SubscriptionTables(Tables tables) {
        this.subscriptions = tables.subscriptions();
        this.partitionCounts = tables.prefix() + "subscription_partitions";
        this.members = tables.prefix() + "subscription_members";
        this.events = tables.events();
        // The caller's write transaction holds the database's write lock: no row lock is needed, nor possible.
        this.checkpoints = new CheckpointTable(tables.subscriptions(), "");
        this.parked = new ParkedEventTable(tables.prefix() + "parked_events", TEXT);
        this.ledger = new OnceLedgerTable(tables.prefix() + "once_ledger", TEXT, InList.PLACEHOLDERS);
    }

    /** Checkpoints of the subscriptions table. */
    CheckpointTable checkpoints() {
        return checkpoints;
    }

    /** The events subscriptions gave up on. */
    ParkedEventTable parked() {
        return parked;
    }

    /** The once handlers that succeeded, per event. */
    OnceLedgerTable ledger() {
        return ledger;
    }

    /** Migration step 2: the tables above. */
    static List<String> layout(Tables tables) {
        String prefix = tables.prefix();
        return List.of(
                "CREATE TABLE " + tables.subscriptions() + " ("
                        + "subscription TEXT NOT NULL, "
                        + "partition INTEGER NOT NULL, "
                        + "position INTEGER NOT NULL, "
                        + "high_water INTEGER NOT NULL, "
                        + "owner TEXT, "
                        + "token INTEGER NOT NULL, "
                        + "lease_until INTEGER NOT NULL, "
                        + "PRIMARY KEY (subscription, partition)) WITHOUT ROWID",
                "CREATE TABLE " + prefix + "subscription_members ("
                        + "subscription TEXT NOT NULL, "
                        + "member TEXT NOT NULL, "
                        + "seen_until INTEGER NOT NULL, "
                        + "PRIMARY KEY (subscription, member)) WITHOUT ROWID",
                "CREATE TABLE " + prefix + "parked_events ("
                        + "subscription TEXT NOT NULL, "
                        + "event_id TEXT NOT NULL, "
                        + "position INTEGER NOT NULL, "
                        + "error TEXT NOT NULL, "
                        + "attempts INTEGER NOT NULL, "
                        + "parked_at TEXT NOT NULL, "
                        + "PRIMARY KEY (subscription, event_id)) WITHOUT ROWID",
                "CREATE TABLE " + prefix + "once_ledger ("
                        + "handler TEXT NOT NULL, "
                        + "event_id TEXT NOT NULL, "
                        + "PRIMARY KEY (handler, event_id)) WITHOUT ROWID");
    }

    /**
     * Migration step 3: the number of partitions of each subscription. A subscription that ran before gets the number
     * its partition rows show: every partition has a row once it was first leased, which the first instance does for
     * its whole share at once.
     */
    static List<String> partitionsLayout(Tables tables) {
        String prefix = tables.prefix();
        return List.of(
                "CREATE TABLE " + prefix + "subscription_partitions ("
                        + "subscription TEXT NOT NULL PRIMARY KEY, "
                        + "partitions INTEGER NOT NULL) WITHOUT ROWID",
                "INSERT INTO " + prefix + "subscription_partitions (subscription, partitions) "
                        + "SELECT subscription, MAX(partition) + 1 FROM " + tables.subscriptions() + " "
                        + "GROUP BY subscription");
    }

    long lastPosition(Connection connection) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT COALESCE(MAX(position), 0) FROM " + events);
                ResultSet row = select.executeQuery()) {
            row.next();
            return row.getLong(1);
        }
    }

    int registerPartitions(Connection connection, String subscription, int partitions) throws SQLException {
        try (PreparedStatement upsert = connection.prepareStatement("INSERT INTO " + partitionCounts
                + " (subscription, partitions) VALUES (?, ?) "
                + "ON CONFLICT (subscription) DO UPDATE SET partitions = partitions RETURNING partitions")) {
            bind(upsert, subscription, partitions);
            try (ResultSet row = upsert.executeQuery()) {
                row.next();
                return row.getInt(1);
            }
        }
    }

    int heartbeat(Connection connection, String subscription, String member, long now, long until)
            throws SQLException {
        update(connection, "INSERT INTO " + members + " (subscription, member, seen_until) VALUES (?, ?, ?) "
                + "ON CONFLICT (subscription, member) DO UPDATE SET seen_until = excluded.seen_until",
                subscription, member, until);
        update(connection, "DELETE FROM " + members + " WHERE subscription = ? AND seen_until < ?", subscription, now);
        try (PreparedStatement count = connection.prepareStatement(
                "SELECT COUNT(*) FROM " + members + " WHERE subscription = ?")) {
            count.setString(1, subscription);
            try (ResultSet row = count.executeQuery()) {
                row.next();
                return row.getInt(1);
            }
        }
    }

    void leave(Connection connection, String subscription, String member) throws SQLException {
        update(connection, "DELETE FROM " + members + " WHERE subscription = ? AND member = ?", subscription, member);
    }

    Optional<Lease> acquire(Connection connection, String subscription, int partition, String owner, long now,
            long until, long startPosition, long highWater) throws SQLException {
        try (PreparedStatement upsert = connection.prepareStatement("INSERT INTO " + subscriptions
                + " (subscription, partition, position, high_water, owner, token, lease_until) "
                + "VALUES (?, ?, ?, ?, ?, 1, ?) "
                + "ON CONFLICT (subscription, partition) DO UPDATE SET owner = excluded.owner, token = token + 1, "
                + "lease_until = excluded.lease_until "
                + "WHERE owner IS NULL OR owner = excluded.owner OR lease_until < ? "
                + "RETURNING token, position, high_water")) {
            bind(upsert, subscription, partition, startPosition, highWater, owner, until, now);
            try (ResultSet row = upsert.executeQuery()) {
                if (!row.next()) {
                    return Optional.empty();
                }
                return Optional.of(new Lease(subscription, partition, owner, row.getLong(1), row.getLong(2),
                        row.getLong(3)));
            }
        }
    }

    boolean renew(Connection connection, Lease lease, long until) throws SQLException {
        return update(connection, "UPDATE " + subscriptions + " SET lease_until = ? "
                + "WHERE subscription = ? AND partition = ? AND token = ? AND owner = ?",
                until, lease.subscription(), lease.partition(), lease.token(), lease.owner()) == 1;
    }

    void release(Connection connection, Lease lease) throws SQLException {
        update(connection, "UPDATE " + subscriptions + " SET owner = NULL, lease_until = 0 "
                + "WHERE subscription = ? AND partition = ? AND token = ? AND owner = ?",
                lease.subscription(), lease.partition(), lease.token(), lease.owner());
    }

    boolean commit(Connection connection, Lease lease, long position) throws SQLException {
        return update(connection, "UPDATE " + subscriptions + " SET position = ?, high_water = MAX(high_water, ?) "
                + "WHERE subscription = ? AND partition = ? AND token = ? AND owner = ?",
                position, position, lease.subscription(), lease.partition(), lease.token(), lease.owner()) == 1;
    }

    /** Runs in the caller's write transaction, which holds the write lock: nobody can take the lease meanwhile. */
    boolean commitWith(Connection connection, Lease lease, long position, UUID eventId, TransactionWork work)
            throws Exception {
        if (!checkpoints.heldBy(connection, lease)) {
            return false;
        }
        ledger.markDone(connection, work.run(connection), eventId);
        return commit(connection, lease, position);
    }

    private static int update(Connection connection, String sql, Object... values) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            bind(statement, values);
            return statement.executeUpdate();
        }
    }

    private static void bind(PreparedStatement statement, Object... values) throws SQLException {
        for (int i = 0; i < values.length; i++) {
            statement.setObject(i + 1, values[i]);
        }
    }
}
