package dev.runestone.postgres;

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
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The SQL of the durable-subscription tables: checkpoints with leases ({@code subscriptions}), the number of
 * partitions of each subscription ({@code subscription_partitions}), live instances ({@code subscription_members}),
 * parked events and the once ledger.
 *
 * <p>Leases are rows with an expiry, judged by the server's {@code clock_timestamp()}, so instances on machines
 * whose clocks differ agree, and nothing depends on a session outliving a statement: leases work through a
 * transaction-mode connection pooler. Every method is one statement (autocommit) except {@link #commitWith}, which
 * runs in the caller's transaction and locks the partition's row first, so the lease cannot change hands while
 * the handler's work and the checkpoint commit.
 */
final class SubscriptionTables {

    private static final String EXPIRY = "clock_timestamp() + ? * interval '1 millisecond'";

    /** Event ids as {@code uuid}, moments as {@code timestamptz}. */
    static final ColumnTypes NATIVE = new ColumnTypes() {
        @Override
        public void setId(PreparedStatement statement, int index, UUID id) throws SQLException {
            statement.setObject(index, id);
        }

        @Override
        public UUID getId(ResultSet row, int column) throws SQLException {
            return row.getObject(column, UUID.class);
        }

        @Override
        public void setInstant(PreparedStatement statement, int index, Instant instant) throws SQLException {
            statement.setObject(index, instant.atOffset(ZoneOffset.UTC));
        }

        @Override
        public Instant getInstant(ResultSet row, int column) throws SQLException {
            return row.getObject(column, OffsetDateTime.class).toInstant();
        }
    };

    private final String subscriptions;
    private final String partitionCounts;
    private final String members;
    private final String lastPosition;
    private final CheckpointTable checkpoints;
    private final ParkedEventTable parked;
    private final OnceLedgerTable ledger;

    SubscriptionTables(Tables tables) {
        String schema = tables.quotedSchema() + ".";
        this.subscriptions = tables.subscriptions();
        this.partitionCounts = schema + "subscription_partitions";
        this.members = schema + "subscription_members";
        // The row lock keeps a lease from being taken over until the transaction that checked it ends.
        this.checkpoints = new CheckpointTable(tables.subscriptions(), "FOR UPDATE");
        this.parked = new ParkedEventTable(schema + "parked_events", NATIVE);
        this.ledger = new OnceLedgerTable(schema + "once_ledger", NATIVE, EventLog.ANY_OF_ARRAY);
        // Never past an event a transaction in flight may still commit: at most just below the settled bound.
        // LEAST skips a NULL: an empty log's max must be 0 before it, or the bound alone would be the answer.
        this.lastPosition = "SELECT LEAST(COALESCE((SELECT max(position) FROM " + tables.events() + "), 0), "
                + "((pg_snapshot_xmin(pg_current_snapshot())::text::bigint + position_offset) << 20) - 1) FROM "
                + tables.logState();
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
        String schema = tables.quotedSchema() + ".";
        return List.of(
                "CREATE TABLE " + tables.subscriptions() + " ("
                        + "subscription text COLLATE \"C\" NOT NULL, "
                        + "partition integer NOT NULL, "
                        + "position bigint NOT NULL, "
                        + "high_water bigint NOT NULL, "
                        + "owner text COLLATE \"C\", "
                        + "token bigint NOT NULL, "
                        + "lease_until timestamptz NOT NULL, "
                        + "CONSTRAINT subscriptions_key PRIMARY KEY (subscription, partition))",
                "CREATE TABLE " + schema + "subscription_members ("
                        + "subscription text COLLATE \"C\" NOT NULL, "
                        + "member text COLLATE \"C\" NOT NULL, "
                        + "seen_until timestamptz NOT NULL, "
                        + "CONSTRAINT subscription_members_key PRIMARY KEY (subscription, member))",
                "CREATE TABLE " + schema + "parked_events ("
                        + "subscription text COLLATE \"C\" NOT NULL, "
                        + "event_id uuid NOT NULL, "
                        + "position bigint NOT NULL, "
                        + "error text NOT NULL, "
                        + "attempts integer NOT NULL, "
                        + "parked_at timestamptz NOT NULL, "
                        + "CONSTRAINT parked_events_key PRIMARY KEY (subscription, event_id))",
                "CREATE TABLE " + schema + "once_ledger ("
                        + "handler text COLLATE \"C\" NOT NULL, "
                        + "event_id uuid NOT NULL, "
                        + "CONSTRAINT once_ledger_key PRIMARY KEY (handler, event_id))");
    }

    /**
     * Migration step 3: the number of partitions of each subscription. A subscription that ran before gets the number
     * its partition rows show: every partition has a row once it was first leased, which the first instance does for
     * its whole share at once.
     */
    static List<String> partitionsLayout(Tables tables) {
        String schema = tables.quotedSchema() + ".";
        return List.of(
                "CREATE TABLE " + schema + "subscription_partitions ("
                        + "subscription text COLLATE \"C\" NOT NULL, "
                        + "partitions integer NOT NULL, "
                        + "CONSTRAINT subscription_partitions_key PRIMARY KEY (subscription))",
                "INSERT INTO " + schema + "subscription_partitions (subscription, partitions) "
                        + "SELECT subscription, max(partition) + 1 FROM " + tables.subscriptions() + " "
                        + "GROUP BY subscription");
    }

    long lastPosition(Connection connection) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(lastPosition);
                ResultSet row = select.executeQuery()) {
            row.next();
            return row.getLong(1);
        }
    }

    int registerPartitions(Connection connection, String subscription, int partitions) throws SQLException {
        // The no-op update makes RETURNING give the stored row when there is one; a concurrent insert of the same
        // name makes this statement wait for it and then return its number.
        try (PreparedStatement upsert = connection.prepareStatement("INSERT INTO " + partitionCounts + " AS p "
                + "(subscription, partitions) VALUES (?, ?) "
                + "ON CONFLICT (subscription) DO UPDATE SET partitions = p.partitions RETURNING partitions")) {
            bind(upsert, subscription, partitions);
            try (ResultSet row = upsert.executeQuery()) {
                row.next();
                return row.getInt(1);
            }
        }
    }

    int heartbeat(Connection connection, String subscription, String member, long ttlMillis) throws SQLException {
        // One statement: its parts share a snapshot, so the count sees the other members as they were before it.
        try (PreparedStatement statement = connection.prepareStatement("WITH seen AS (INSERT INTO " + members
                + " (subscription, member, seen_until) VALUES (?, ?, " + EXPIRY + ") "
                + "ON CONFLICT (subscription, member) DO UPDATE SET seen_until = excluded.seen_until RETURNING 1), "
                + "gone AS (DELETE FROM " + members + " WHERE subscription = ? AND member <> ? "
                + "AND seen_until < clock_timestamp() RETURNING 1) "
                + "SELECT count(*) + 1 FROM " + members + " WHERE subscription = ? AND member <> ? "
                + "AND seen_until >= clock_timestamp()")) {
            bind(statement, subscription, member, ttlMillis, subscription, member, subscription, member);
            try (ResultSet row = statement.executeQuery()) {
                row.next();
                return row.getInt(1);
            }
        }
    }

    void leave(Connection connection, String subscription, String member) throws SQLException {
        update(connection, "DELETE FROM " + members + " WHERE subscription = ? AND member = ?", subscription, member);
    }

    Optional<Lease> acquire(Connection connection, String subscription, int partition, String owner, long ttlMillis,
            long startPosition, long highWater) throws SQLException {
        try (PreparedStatement upsert = connection.prepareStatement("INSERT INTO " + subscriptions + " AS s "
                + "(subscription, partition, position, high_water, owner, token, lease_until) "
                + "VALUES (?, ?, ?, ?, ?, 1, " + EXPIRY + ") "
                + "ON CONFLICT (subscription, partition) DO UPDATE SET owner = excluded.owner, token = s.token + 1, "
                + "lease_until = excluded.lease_until "
                + "WHERE s.owner IS NULL OR s.owner = excluded.owner OR s.lease_until < clock_timestamp() "
                + "RETURNING token, position, high_water")) {
            bind(upsert, subscription, partition, startPosition, highWater, owner, ttlMillis);
            try (ResultSet row = upsert.executeQuery()) {
                if (!row.next()) {
                    return Optional.empty();
                }
                return Optional.of(new Lease(subscription, partition, owner, row.getLong(1), row.getLong(2),
                        row.getLong(3)));
            }
        }
    }

    boolean renew(Connection connection, Lease lease, long ttlMillis) throws SQLException {
        return update(connection, "UPDATE " + subscriptions + " SET lease_until = " + EXPIRY
                + " WHERE subscription = ? AND partition = ? AND token = ? AND owner = ?",
                ttlMillis, lease.subscription(), lease.partition(), lease.token(), lease.owner()) == 1;
    }

    void release(Connection connection, Lease lease) throws SQLException {
        update(connection, "UPDATE " + subscriptions + " SET owner = NULL, lease_until = '-infinity' "
                + "WHERE subscription = ? AND partition = ? AND token = ? AND owner = ?",
                lease.subscription(), lease.partition(), lease.token(), lease.owner());
    }

    boolean commit(Connection connection, Lease lease, long position) throws SQLException {
        return update(connection, "UPDATE " + subscriptions + " SET position = ?, high_water = greatest(high_water, ?) "
                + "WHERE subscription = ? AND partition = ? AND token = ? AND owner = ?",
                position, position, lease.subscription(), lease.partition(), lease.token(), lease.owner()) == 1;
    }

    /** Runs in the caller's transaction; locks the partition's row so the token cannot change until commit. */
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
