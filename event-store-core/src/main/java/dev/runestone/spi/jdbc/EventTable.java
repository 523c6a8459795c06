package dev.runestone.spi.jdbc;

import dev.runestone.Direction;
import dev.runestone.LogPartition;
import dev.runestone.spi.EventKey;
import dev.runestone.spi.EventQuery;
import dev.runestone.spi.LogSlice;
import dev.runestone.spi.StoredEvent;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * The reads of an events table with columns {@code position}, {@code id}, {@code stream}, {@code type},
 * {@code created}, {@code correlation_id} and {@code stream_hash} that every supported database phrases alike: the
 * {@code SELECT} of an {@link EventQuery}, the look for a newer event of a type, the read of one part of the log, and
 * the reading of rows into {@link StoredEvent}s. What
 * differs comes from the adapter: the select list with the reader of its rows, how a statement matches a column
 * against a list of values, and how it binds an event id. Appends and the log's reads differ between databases and
 * stay in the adapters.
 *
 * <p>Holds no connection; each method runs on the one it is given. Immutable, and thread-safe if the reader and the
 * list match given to it are.
 */
public final class EventTable {

    /** Reads the current row of a result set whose columns are the adapter's select list, in its order. */
    @FunctionalInterface
    public interface RowReader {
        StoredEvent read(ResultSet row) throws SQLException;
    }

    /**
     * How a statement matches a column against a list of strings: SQLite binds one placeholder per value
     * ({@code IN (?, ?)}), PostgreSQL one array ({@code = ANY (?)}).
     */
    public interface ListMatch {

        /** The condition that {@code column} is one of {@code size} values, {@code size} at least 1. */
        String condition(String column, int size);

        /** Binds {@code values} from parameter {@code index} on, as {@link #condition} asks; returns the next index. */
        int bind(PreparedStatement statement, int index, Collection<String> values) throws SQLException;
    }

    private final String table;
    private final String columns;
    private final RowReader reader;
    private static final int KEYS_PER_STATEMENT = 200;

    private final ListMatch lists;
    private final ColumnTypes ids;
    private final String selectNewer;
    private final String selectPart;

    /**
     * @param table   the table's name, already qualified and quoted as the adapter needs; it is spliced into the SQL
     * @param columns the select list whose rows {@code reader} reads, e.g. {@code position, id, stream, …}
     * @param reader  reads one row of {@code columns}
     * @param lists   how this database matches a column against a list of values
     * @param ids     how this database keeps event ids
     */
    public EventTable(String table, String columns, RowReader reader, ListMatch lists, ColumnTypes ids) {
        this.table = table;
        this.columns = columns;
        this.reader = reader;
        this.lists = lists;
        this.ids = ids;
        this.selectNewer = "SELECT EXISTS (SELECT 1 FROM " + table + " WHERE stream = ? AND type = ? AND created > ?)";
        // floorMod in SQL: both databases' % truncates toward zero, as Java's does. Rows stored before the column
        // existed have no hash and go to every part; the store drops those of other parts.
        this.selectPart = "SELECT " + columns + " FROM " + table + " WHERE position > ? AND position <= ? "
                + "AND (stream_hash IS NULL OR (stream_hash % ? + ?) % ? = ?) ORDER BY position LIMIT ?";
    }

    /**
     * The events {@code query} finds among {@code streams} (every stream if {@code null}, which must otherwise hold at
     * least one), in {@code created} then {@code position} order in the query's direction, at most its limit. The
     * streams are passed apart from the query so that an adapter with a limit on parameters can run one statement
     * per chunk of them.
     */
    public List<StoredEvent> select(Connection connection, EventQuery query, @Nullable Collection<String> streams)
            throws SQLException {
        boolean ascending = query.direction() == Direction.ASCENDING;
        Collection<String> types = query.types();
        String cursor = query.cursor();
        String correlationId = query.correlationId();
        List<String> conditions = new ArrayList<>(4);
        if (streams != null) {
            conditions.add(lists.condition("stream", streams.size()));
        }
        if (!types.isEmpty()) {
            conditions.add(lists.condition("type", types.size()));
        }
        if (correlationId != null) {
            conditions.add(OriginColumns.correlationCondition(correlationId));
        }
        if (cursor != null) {
            conditions.add(ascending ? "created > ?" : "created < ?");
        }
        StringBuilder sql = new StringBuilder("SELECT ").append(columns).append(" FROM ").append(table);
        if (!conditions.isEmpty()) {
            sql.append(" WHERE ").append(String.join(" AND ", conditions));
        }
        sql.append(ascending ? " ORDER BY created, position" : " ORDER BY created DESC, position DESC");
        boolean limited = query.limit() != Integer.MAX_VALUE;
        if (limited) {
            sql.append(" LIMIT ?");
        }
        try (PreparedStatement select = connection.prepareStatement(sql.toString())) {
            int index = 1;
            if (streams != null) {
                index = lists.bind(select, index, streams);
            }
            if (!types.isEmpty()) {
                index = lists.bind(select, index, types);
            }
            if (correlationId != null) {
                index = OriginColumns.bindCorrelation(select, index, correlationId, ids);
            }
            if (cursor != null) {
                select.setString(index++, cursor);
            }
            if (limited) {
                select.setInt(index, query.limit());
            }
            return rows(select);
        }
    }

    /** Whether {@code stream} holds an event of {@code type} created after {@code created}. */
    public boolean hasNewerEvent(Connection connection, String stream, String type, String created)
            throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(selectNewer)) {
            select.setString(1, stream);
            select.setString(2, type);
            select.setString(3, created);
            try (ResultSet row = select.executeQuery()) {
                row.next();
                return row.getBoolean(1);
            }
        }
    }

    /**
     * Which of {@code events} have a newer event of their type in their stream, by id, in one statement per
     * {@value #KEYS_PER_STATEMENT} events (SQLite binds at most 999 parameters).
     */
    public Set<UUID> outdatedAmong(Connection connection, List<EventKey> events) throws SQLException {
        Set<UUID> outdated = new HashSet<>();
        for (int from = 0; from < events.size(); from += KEYS_PER_STATEMENT) {
            List<EventKey> chunk = events.subList(from, Math.min(events.size(), from + KEYS_PER_STATEMENT));
            String sql = "WITH candidate (id, stream, type, created) AS (VALUES "
                    + String.join(", ", Collections.nCopies(chunk.size(), "(?, ?, ?, ?)"))
                    + ") SELECT c.id FROM candidate c WHERE EXISTS (SELECT 1 FROM " + table
                    + " e WHERE e.stream = c.stream AND e.type = c.type AND e.created > c.created)";
            try (PreparedStatement select = connection.prepareStatement(sql)) {
                int index = 1;
                for (EventKey event : chunk) {
                    select.setString(index++, event.id().toString());
                    select.setString(index++, event.stream());
                    select.setString(index++, event.type());
                    select.setString(index++, event.created());
                }
                try (ResultSet row = select.executeQuery()) {
                    while (row.next()) {
                        outdated.add(UUID.fromString(row.getString(1)));
                    }
                }
            }
        }
        return outdated;
    }

    /**
     * The schema change that adds the column a part of the log is read by: each event's {@link #streamHash}, kept
     * so that the database, not the reader, leaves out other parts' events.
     */
    public static String streamHashColumn(String table) {
        return "ALTER TABLE " + table + " ADD COLUMN stream_hash INTEGER";
    }

    /** What an append stores in {@code stream_hash}: the hash {@link LogPartition} splits the log by. */
    public static int streamHash(String stream) {
        return stream.hashCode();
    }

    /**
     * Up to {@code limit} events of {@code partition} after {@code afterPosition} and up to {@code head}, the last
     * position the adapter may hand out now (see {@link dev.runestone.spi.EventStorage#readLog(long, int)}): the
     * slice ends at the last event if the limit cut the read short, else at {@code head}.
     */
    public LogSlice readPart(Connection connection, long afterPosition, long head, int limit,
            LogPartition partition) throws SQLException {
        if (head <= afterPosition) {
            return new LogSlice(List.of(), afterPosition);
        }
        try (PreparedStatement select = connection.prepareStatement(selectPart)) {
            select.setLong(1, afterPosition);
            select.setLong(2, head);
            // As 64-bit numbers: h % n + n overflows a 32-bit integer once n passes 2^30.
            select.setLong(3, partition.count());
            select.setLong(4, partition.count());
            select.setLong(5, partition.count());
            select.setInt(6, partition.index());
            select.setInt(7, limit);
            List<StoredEvent> events = rows(select);
            return new LogSlice(events, events.size() == limit ? events.getLast().position() : head);
        }
    }

    /** Runs {@code select}, whose columns are this table's select list, and reads every row it returns. */
    public List<StoredEvent> rows(PreparedStatement select) throws SQLException {
        List<StoredEvent> events = new ArrayList<>();
        try (ResultSet row = select.executeQuery()) {
            while (row.next()) {
                events.add(reader.read(row));
            }
        }
        return events;
    }
}
