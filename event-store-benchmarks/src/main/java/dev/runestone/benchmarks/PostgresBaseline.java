package dev.runestone.benchmarks;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.runestone.EventIds;
import dev.runestone.EventRecord;
import dev.runestone.clock.HybridLogicalClock;
import java.io.IOException;
import java.io.StringReader;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import org.postgresql.PGConnection;

/**
 * Plain JDBC on the PostgreSQL adapter's tables in one schema: {@code INSERT} then {@code COMMIT} (two round trips)
 * on a pooled connection, the position computed the way the adapter computes it (transaction id and offset), the
 * version checked by the {@code UNIQUE (stream, version)} constraint. Same UUIDv7 ids, same JSON.
 */
final class PostgresBaseline implements Workload {

    private static final String COLUMNS =
            "position, id, stream, type, data::text, meta::text, created, recorded, version";

    private final String schema;
    private final String insert;
    private final HybridLogicalClock clock = HybridLogicalClock.system();
    private final HikariDataSource writers;
    private final HikariDataSource readers;

    PostgresBaseline(String url, String schema) {
        this.schema = "\"" + schema + "\"";
        this.insert = "INSERT INTO " + this.schema + ".events "
                + "(position, id, stream, type, data, meta, created, recorded, version, stream_hash) "
                + "SELECT ((pg_current_xact_id()::text::bigint + position_offset) << 20) | ?, "
                + "?, ?, ?, ?::jsonb, ?::jsonb, ?, ?, ?, ? FROM " + this.schema + ".log_state";
        this.writers = pool(url, "baseline-writers", 8, false);
        this.readers = pool(url, "baseline-readers", 2, true);
    }

    static HikariDataSource pool(String url, String name, int size, boolean autoCommit) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setMaximumPoolSize(size);
        config.setPoolName(name);
        config.setAutoCommit(autoCommit);
        return new HikariDataSource(config);
    }

    @Override
    public String name() {
        return "jdbc";
    }

    @Override
    public void appendOne(String stream, long n) {
        write(List.of(UserEvent.created(n)), stream);
    }

    @Override
    public void appendBatch(String stream, long n, int count) {
        write(RunestoneWorkload.events(n, count), stream);
    }

    private void write(List<UserEvent> events, String stream) {
        try (Connection connection = writers.getConnection();
                PreparedStatement statement = connection.prepareStatement(insert)) {
            OffsetDateTime recorded = OffsetDateTime.ofInstant(Instant.now(), ZoneOffset.UTC);
            int index = 0;
            for (UserEvent event : events) {
                statement.setInt(1, index);
                statement.setObject(2, EventIds.next());
                statement.setString(3, stream);
                statement.setString(4, EventCodec.type(event));
                statement.setString(5, EventCodec.data(event));
                statement.setString(6, EventCodec.meta(event));
                statement.setString(7, clock.now().toString());
                statement.setObject(8, recorded);
                // A new stream: version 1 onwards; UNIQUE (stream, version) refuses a stream that exists.
                statement.setLong(9, ++index);
                statement.setInt(10, stream.hashCode());
                if (events.size() == 1) {
                    statement.executeUpdate();
                } else {
                    statement.addBatch();
                }
            }
            if (events.size() > 1) {
                statement.executeBatch();
            }
            connection.commit();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Writes {@code count} events, ten per stream, with {@code COPY}: the fast path that fills the log. Their
     * positions are 1 to {@code count}, below any position an append of this cluster hands out.
     */
    void bulkLoad(String prefix, long count) {
        try (Connection connection = writers.getConnection()) {
            String recorded = Instant.now().toString();
            long chunk = 50_000;
            for (long start = 0; start < count; start += chunk) {
                StringBuilder csv = new StringBuilder();
                for (long i = start; i < Math.min(count, start + chunk); i++) {
                    long user = i / 10;
                    UserEvent event = i % 10 == 0 ? UserEvent.created(user) : UserEvent.emailSet(user, i % 10);
                    csv.append(i + 1).append(',').append(EventIds.next()).append(',').append(prefix).append(user)
                            .append(',').append(EventCodec.type(event)).append(',');
                    quoted(csv, EventCodec.data(event)).append(',');
                    quoted(csv, EventCodec.meta(event)).append(',').append(clock.now()).append(',')
                            .append(recorded).append(',').append(i % 10 + 1).append(',')
                            .append((prefix + user).hashCode()).append('\n');
                }
                connection.unwrap(PGConnection.class).getCopyAPI().copyIn("COPY " + schema + ".events "
                        + "(position, id, stream, type, data, meta, created, recorded, version, stream_hash) "
                        + "FROM STDIN "
                        + "WITH (FORMAT csv)", new StringReader(csv.toString()));
            }
            connection.commit();
            settle(connection);
        } catch (SQLException | IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Does now the background work a million new rows cause, so that it does not land in a measurement: statistics
     * and the visibility map (autovacuum would run both a little later), and a checkpoint that flushes the loaded
     * pages. A checkpoint needs rights a benchmark user may lack; without them the run goes on.
     */
    private void settle(Connection connection) throws SQLException {
        connection.setAutoCommit(true);
        try (Statement statement = connection.createStatement()) {
            statement.execute("VACUUM ANALYZE " + schema + ".events");
            try {
                statement.execute("CHECKPOINT");
            } catch (SQLException e) {
                System.out.println("postgres: no CHECKPOINT after loading (" + e.getMessage().strip() + ")");
            }
        } finally {
            connection.setAutoCommit(false);
        }
    }

    private static StringBuilder quoted(StringBuilder csv, String value) {
        return csv.append('"').append(value.replace("\"", "\"\"")).append('"');
    }

    @Override
    public UserState reduce(String stream) {
        return fold(UserState.initial(), "SELECT " + COLUMNS + " FROM " + schema
                + ".events WHERE stream = ? ORDER BY created, position", stream);
    }

    @Override
    public UserState reduceFromSnapshot(String stream) {
        try (Connection connection = readers.getConnection();
                PreparedStatement select = connection.prepareStatement(
                        "SELECT cursor, state FROM " + schema + ".snapshots WHERE reducer = ? AND key = ?")) {
            select.setString(1, UserState.REDUCER.name());
            select.setString(2, stream);
            String cursor;
            UserState state;
            try (ResultSet row = select.executeQuery()) {
                row.next();
                cursor = row.getString(1);
                state = EventCodec.state(row.getString(2));
            }
            return fold(state, "SELECT " + COLUMNS + " FROM " + schema
                    + ".events WHERE stream = ? AND created > ? ORDER BY created, position", stream, cursor);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private UserState fold(UserState initial, String sql, String... parameters) {
        UserState state = initial;
        try (Connection connection = readers.getConnection();
                PreparedStatement select = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                select.setString(i + 1, parameters[i]);
            }
            try (ResultSet row = select.executeQuery()) {
                while (row.next()) {
                    state = state.with(record(row).event());
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return state;
    }

    @Override
    public long readLog(long afterPosition, int limit) {
        long last = afterPosition;
        try (Connection connection = readers.getConnection();
                PreparedStatement select = connection.prepareStatement("SELECT " + COLUMNS + " FROM " + schema
                        + ".events WHERE position > ? ORDER BY position LIMIT ?")) {
            select.setLong(1, afterPosition);
            select.setInt(2, limit);
            try (ResultSet row = select.executeQuery()) {
                while (row.next()) {
                    last = record(row).position();
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return last;
    }

    private static EventRecord<UserEvent> record(ResultSet row) throws SQLException {
        return EventCodec.record(row.getObject(2, UUID.class), row.getString(3), row.getString(4), row.getString(5),
                row.getString(6), row.getString(7), row.getObject(8, OffsetDateTime.class).toInstant(),
                row.getLong(9), row.getLong(1));
    }

    @Override
    public void close() {
        writers.close();
        readers.close();
    }
}
