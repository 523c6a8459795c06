package dev.runestone.benchmarks;

import dev.runestone.EventIds;
import dev.runestone.EventRecord;
import dev.runestone.clock.HybridLogicalClock;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import org.sqlite.SQLiteConfig;

/**
 * Plain JDBC on the SQLite adapter's tables ({@code runestone_events}, {@code runestone_snapshots}): one writer
 * connection behind a fair lock, as a hand-written application sharing a file between threads would have, and one
 * reader connection. Same pragmas as the adapter (WAL, {@code synchronous=NORMAL}), same UUIDv7 ids, same JSON.
 */
final class SqliteBaseline implements Workload {

    private static final String EVENTS = "runestone_events";
    private static final String COLUMNS = "position, id, stream, type, data, meta, created, recorded, version";
    private static final String INSERT = "INSERT INTO " + EVENTS
            + " (id, stream, type, data, meta, created, recorded, version, stream_hash) "
            + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";
    private static final DateTimeFormatter RECORDED =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSSSSS'Z'").withZone(ZoneOffset.UTC);

    private final HybridLogicalClock clock = HybridLogicalClock.system();
    private final ReentrantLock writeLock = new ReentrantLock(true);
    private final Connection writer;
    private final Connection reader;

    SqliteBaseline(Path file) {
        try {
            SQLiteConfig config = new SQLiteConfig();
            config.setBusyTimeout(5000);
            this.writer = config.createConnection("jdbc:sqlite:" + file);
            this.reader = config.createConnection("jdbc:sqlite:" + file);
            execute(writer, "PRAGMA journal_mode = WAL");
            execute(writer, "PRAGMA synchronous = NORMAL");
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
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
        writeLock.lock();
        try {
            execute(writer, "BEGIN IMMEDIATE");
            try (PreparedStatement insert = writer.prepareStatement(INSERT)) {
                String recorded = RECORDED.format(Instant.now());
                long version = 0;
                for (UserEvent event : events) {
                    insert.setString(1, EventIds.next().toString());
                    insert.setString(2, stream);
                    insert.setString(3, EventCodec.type(event));
                    insert.setString(4, EventCodec.data(event));
                    insert.setString(5, EventCodec.meta(event));
                    insert.setString(6, clock.now().toString());
                    insert.setString(7, recorded);
                    // A new stream: version 1 onwards; UNIQUE (stream, version) refuses a stream that exists.
                    insert.setLong(8, ++version);
                    insert.setInt(9, stream.hashCode());
                    insert.executeUpdate();
                }
                execute(writer, "COMMIT");
            } catch (SQLException | RuntimeException e) {
                execute(writer, "ROLLBACK");
                throw e;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        } finally {
            writeLock.unlock();
        }
    }

    /** Writes {@code count} events, ten per stream, in one transaction: the fast path that fills the log. */
    void bulkLoad(String prefix, long count) {
        writeLock.lock();
        try {
            execute(writer, "BEGIN IMMEDIATE");
            try (PreparedStatement insert = writer.prepareStatement(INSERT)) {
                String recorded = RECORDED.format(Instant.now());
                for (long i = 0; i < count; i++) {
                    long user = i / 10;
                    UserEvent event = i % 10 == 0 ? UserEvent.created(user) : UserEvent.emailSet(user, i % 10);
                    insert.setString(1, EventIds.next().toString());
                    insert.setString(2, prefix + user);
                    insert.setString(3, EventCodec.type(event));
                    insert.setString(4, EventCodec.data(event));
                    insert.setString(5, EventCodec.meta(event));
                    insert.setString(6, clock.now().toString());
                    insert.setString(7, recorded);
                    insert.setLong(8, i % 10 + 1);
                    insert.setInt(9, (prefix + user).hashCode());
                    insert.addBatch();
                    if (i % 1000 == 999) {
                        insert.executeBatch();
                    }
                }
                insert.executeBatch();
            }
            execute(writer, "COMMIT");
            // The load's pages go from the write-ahead log into the database now, not during a measurement.
            execute(writer, "PRAGMA wal_checkpoint(TRUNCATE)");
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        } finally {
            writeLock.unlock();
        }
    }

    @Override
    public synchronized UserState reduce(String stream) {
        return fold(UserState.initial(), "SELECT " + COLUMNS + " FROM " + EVENTS
                + " WHERE stream = ? ORDER BY created, position", stream);
    }

    @Override
    public synchronized UserState reduceFromSnapshot(String stream) {
        try (PreparedStatement select = reader.prepareStatement(
                "SELECT cursor, state FROM runestone_snapshots WHERE reducer = ? AND key = ?")) {
            select.setString(1, UserState.REDUCER.name());
            select.setString(2, stream);
            String cursor;
            UserState state;
            try (ResultSet row = select.executeQuery()) {
                row.next();
                cursor = row.getString(1);
                state = EventCodec.state(row.getString(2));
            }
            return fold(state, "SELECT " + COLUMNS + " FROM " + EVENTS
                    + " WHERE stream = ? AND created > ? ORDER BY created, position", stream, cursor);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private UserState fold(UserState initial, String sql, String... parameters) {
        UserState state = initial;
        try (PreparedStatement select = reader.prepareStatement(sql)) {
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
    public synchronized long readLog(long afterPosition, int limit) {
        long last = afterPosition;
        try (PreparedStatement select = reader.prepareStatement(
                "SELECT " + COLUMNS + " FROM " + EVENTS + " WHERE position > ? ORDER BY position LIMIT ?")) {
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
        return EventCodec.record(row.getString(2), row.getString(3), row.getString(4), row.getString(5),
                row.getString(6), row.getString(7), Instant.parse(row.getString(8)), row.getLong(9), row.getLong(1));
    }

    private static void execute(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    @Override
    public void close() {
        try {
            writer.close();
            reader.close();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
