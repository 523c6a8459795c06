package dev.runestone.sqlite;

import dev.runestone.ConcurrencyException;
import dev.runestone.Direction;
import dev.runestone.ExpectedVersion;
import dev.runestone.LogPartition;
import dev.runestone.spi.AppendOutcome;
import dev.runestone.spi.AppendRequest;
import dev.runestone.spi.EventKey;
import dev.runestone.spi.EventQuery;
import dev.runestone.spi.LogSlice;
import dev.runestone.spi.NewEvent;
import dev.runestone.spi.StoredEvent;
import dev.runestone.spi.jdbc.DuplicateCheck;
import dev.runestone.spi.jdbc.EventTable;
import dev.runestone.spi.jdbc.OriginColumns;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * The SQL of the events table: the append transaction and the reads SQLite phrases its own way; the reads every
 * database phrases alike are {@link EventTable}'s, given the select list, the row reader and {@code IN} lists.
 *
 * <p>Ids are stored as canonical UUID strings; {@code recorded} as a fixed-width UTC timestamp with nanoseconds,
 * so it reads back equal to the {@link Instant} written and sorts as text. Methods run on the connection they are
 * given and hold no state between calls; the single-event append alone uses the writer's kept statement.
 */
final class EventLog {

    private static final String COLUMNS =
            "position, id, stream, type, data, meta, created, recorded, version, schema_version, "
                    + OriginColumns.NAMES;

    private static final DateTimeFormatter RECORDED =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSSSSS'Z'").withZone(ZoneOffset.UTC);

    private static final Comparator<StoredEvent> CREATED_ORDER =
            Comparator.comparing(StoredEvent::created).thenComparingLong(StoredEvent::position);

    private final SqliteConnections connections;
    private final EventTable table;
    private final String selectById;
    private final String selectByIds;
    private final String selectVersion;
    private final String insert;
    private final String insertOne;
    private final String selectLog;
    private final String positionCheck;
    private final String selectHead;

    EventLog(Tables tables, SqliteConnections connections) {
        this.connections = connections;
        String events = tables.events();
        this.table = new EventTable(events, COLUMNS, EventLog::event, InList.PLACEHOLDERS, SubscriptionTables.TEXT);
        this.selectById = "SELECT " + COLUMNS + " FROM " + events + " WHERE id = ?";
        this.selectByIds = "SELECT " + COLUMNS + " FROM " + events + " WHERE id IN ";
        this.selectVersion = "SELECT COALESCE(MAX(version), 0) FROM " + events + " WHERE stream = ?";
        String insertColumns = " (id, stream, type, data, meta, created, recorded, schema_version, version, "
                + OriginColumns.NAMES + ", stream_hash) ";
        this.insert = "INSERT INTO " + events + insertColumns + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
        this.insertOne = "INSERT INTO " + events + insertColumns
                + "SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, head.version + 1, ?10, ?11, ?12, ?13, ?14 "
                + "FROM (SELECT COALESCE(MAX(version), 0) AS version FROM " + events + " WHERE stream = ?2) AS head "
                + "WHERE ?9 IS NULL OR head.version = ?9 "
                + "ON CONFLICT DO NOTHING "
                + "RETURNING position, version";
        this.positionCheck = "SELECT last_insert_rowid() - ?1, "
                + "(SELECT id FROM " + events + " WHERE position = last_insert_rowid() - ?1)";
        this.selectLog = "SELECT " + COLUMNS + " FROM " + events + " WHERE position > ? ORDER BY position LIMIT ?";
        this.selectHead = "SELECT COALESCE(MAX(position), 0) FROM " + events;
    }

    /**
     * Runs the append contract of {@link dev.runestone.spi.EventStorage#append}; the caller holds the write
     * transaction and rolls it back if this throws.
     *
     * <p>A single event takes one statement ({@link #appendOne}) on the writer, which appends always run on. A batch
     * costs one statement per 900 ids to find the ones already stored, one per stream to read its version, one batch
     * of inserts and one statement to learn the positions: an append of 100 events used to run 100 id lookups and
     * 100 {@code INSERT … RETURNING} statements, which made it 2.5 times slower than plain inserts.
     */
    AppendOutcome append(Connection connection, AppendRequest request) throws SQLException {
        if (request.events().size() == 1) {
            Optional<StoredEvent> stored = appendOne(connection, request);
            if (stored.isPresent()) {
                return new AppendOutcome(List.of(stored.get()), List.of());
            }
        }
        return appendMany(connection, request);
    }

    /**
     * The one event of {@code request} in one statement that reads the stream's version, checks the expectation and
     * inserts, if it could; empty when it stored nothing (a known id, a broken expectation), so that the general
     * path decides and reports why in the same transaction. Appends run on the writer under the write lock, which
     * keeps this statement prepared on it.
     */
    private Optional<StoredEvent> appendOne(Connection connection, AppendRequest request) throws SQLException {
        NewEvent event = request.events().getFirst();
        Instant recorded = request.recorded();
        PreparedStatement insertEvent = connections.writerStatement(connection, insertOne);
        try {
            bindColumns(insertEvent, event, RECORDED.format(recorded));
            if (request.expectations().get(event.stream()) instanceof ExpectedVersion.Exactly exactly) {
                insertEvent.setLong(9, exactly.version());
            } else {
                insertEvent.setNull(9, Types.BIGINT);
            }
            try (ResultSet row = insertEvent.executeQuery()) {
                if (!row.next()) {
                    return Optional.empty();
                }
                return Optional.of(new StoredEvent(event.id(), event.stream(), event.type(), event.data(),
                        event.meta(), event.created(), recorded, row.getLong(2), row.getLong(1),
                        event.schemaVersion(), event.origin()));
            }
        } catch (SQLException | RuntimeException e) {
            connections.discardWriterStatement(insertOne);
            throw e;
        }
    }

    private AppendOutcome appendMany(Connection connection, AppendRequest request) throws SQLException {
        Map<UUID, StoredEvent> known = storedWithIds(connection, request.events());
        DuplicateCheck check = DuplicateCheck.of(request.events(), event -> {
            StoredEvent stored = known.get(event.id());
            return stored == null ? null : stored.sameEventAs(event);
        });
        List<NewEvent> toWrite = check.fresh();
        if (toWrite.isEmpty()) {
            return new AppendOutcome(List.of(), check.duplicates());
        }

        Map<String, Long> versions = new HashMap<>();
        try (PreparedStatement versionOf = connection.prepareStatement(selectVersion)) {
            for (NewEvent event : toWrite) {
                String stream = event.stream();
                if (!versions.containsKey(stream)) {
                    long actual = streamVersion(versionOf, stream);
                    ExpectedVersion expected = request.expectations().get(stream);
                    if (expected != null && !expected.matches(actual)) {
                        throw new ConcurrencyException(stream, expected, actual);
                    }
                    versions.put(stream, actual);
                }
            }
        }

        Instant recorded = request.recorded();
        String recordedText = RECORDED.format(recorded);
        long[] eventVersions = new long[toWrite.size()];
        try (PreparedStatement insertEvent = connection.prepareStatement(insert)) {
            for (int i = 0; i < toWrite.size(); i++) {
                NewEvent event = toWrite.get(i);
                eventVersions[i] = versions.merge(event.stream(), 1L, Long::sum);
                bindColumns(insertEvent, event, recordedText);
                insertEvent.setLong(9, eventVersions[i]);
                insertEvent.addBatch();
            }
            insertEvent.executeBatch();
        }
        long first = firstPosition(connection, toWrite);
        List<StoredEvent> stored = new ArrayList<>(toWrite.size());
        for (int i = 0; i < toWrite.size(); i++) {
            NewEvent event = toWrite.get(i);
            stored.add(new StoredEvent(event.id(), event.stream(), event.type(), event.data(), event.meta(),
                    event.created(), recorded, eventVersions[i], first + i, event.schemaVersion(), event.origin()));
        }
        return new AppendOutcome(stored, check.duplicates());
    }

    /**
     * Binds parameters 1 to 8 and 10 to 14 of both insert statements: the columns every new event brings; 9 is the
     * version, or in the single-event statement the expected version.
     */
    private static void bindColumns(PreparedStatement insert, NewEvent event, String recorded) throws SQLException {
        insert.setString(1, event.id().toString());
        insert.setString(2, event.stream());
        insert.setString(3, event.type());
        insert.setString(4, event.data());
        insert.setString(5, event.meta());
        insert.setString(6, event.created());
        insert.setString(7, recorded);
        insert.setInt(8, event.schemaVersion());
        int next = OriginColumns.bind(insert, 10, event);
        insert.setInt(next, EventTable.streamHash(event.stream()));
    }

    /** The stored events among those with the ids of {@code events}, by id. */
    private Map<UUID, StoredEvent> storedWithIds(Connection connection, List<NewEvent> events) throws SQLException {
        Map<UUID, StoredEvent> stored = new HashMap<>();
        List<String> ids = new ArrayList<>(events.size());
        for (NewEvent event : events) {
            ids.add(event.id().toString());
        }
        for (List<String> chunk : InList.chunks(ids, InList.MAX_PARAMETERS)) {
            try (PreparedStatement select = connection.prepareStatement(
                    selectByIds + InList.placeholders(chunk.size()))) {
                for (int i = 0; i < chunk.size(); i++) {
                    select.setString(i + 1, chunk.get(i));
                }
                for (StoredEvent event : table.rows(select)) {
                    stored.put(event.id(), event);
                }
            }
        }
        return stored;
    }

    /**
     * The position of the first of {@code written}, the rows just inserted in this transaction. {@code AUTOINCREMENT}
     * gives each new row a position above every position the table ever held, and the write transaction keeps other
     * writers out, so the rows got consecutive positions ending at {@code last_insert_rowid()}. The first row's id
     * is checked against that, so a broken assumption fails the append instead of misreporting positions.
     */
    private long firstPosition(Connection connection, List<NewEvent> written) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(positionCheck)) {
            select.setInt(1, written.size() - 1);
            try (ResultSet row = select.executeQuery()) {
                row.next();
                long first = row.getLong(1);
                String id = row.getString(2);
                if (!written.getFirst().id().toString().equals(id)) {
                    throw new SQLException("The first event of this append, " + written.getFirst().id()
                            + ", is not at position " + first + " but " + id + " is; this is a bug in Runestone's "
                            + "SQLite adapter. Nothing was written.");
                }
                return first;
            }
        }
    }

    /**
     * Reads a query's events. A query naming more streams than one statement can bind runs one statement per chunk
     * inside a read transaction, so every chunk sees the same snapshot, and merges their results.
     */
    List<StoredEvent> read(Connection connection, EventQuery query) throws SQLException {
        Set<String> streams = query.streams();
        if (streams != null && streams.isEmpty()) {
            return List.of();
        }
        int streamsPerStatement = Math.max(1, InList.MAX_PARAMETERS - query.types().size() - 2);
        if (streams == null || streams.size() <= streamsPerStatement) {
            return table.select(connection, query, streams);
        }
        return SqliteConnections.inTransaction(connection, "BEGIN", inSnapshot -> {
            List<StoredEvent> merged = new ArrayList<>();
            for (List<String> chunk : InList.chunks(streams, streamsPerStatement)) {
                merged.addAll(table.select(inSnapshot, query, chunk));
            }
            merged.sort(query.direction() == Direction.ASCENDING ? CREATED_ORDER : CREATED_ORDER.reversed());
            return merged.size() > query.limit() ? List.copyOf(merged.subList(0, query.limit())) : merged;
        });
    }

    List<StoredEvent> readLog(Connection connection, long afterPosition, int limit) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(selectLog)) {
            select.setLong(1, afterPosition);
            select.setInt(2, limit);
            return table.rows(select);
        }
    }

    /**
     * One part of the log, read up to the last position committed when the read began: SQLite's one writer commits
     * positions in order, so nothing can appear below it later.
     */
    LogSlice readPart(Connection connection, long afterPosition, int limit, LogPartition partition)
            throws SQLException {
        long head;
        try (PreparedStatement select = connection.prepareStatement(selectHead);
                ResultSet row = select.executeQuery()) {
            row.next();
            head = row.getLong(1);
        }
        return table.readPart(connection, afterPosition, head, limit, partition);
    }

    Optional<StoredEvent> findById(Connection connection, UUID id) throws SQLException {
        try (PreparedStatement byId = connection.prepareStatement(selectById)) {
            return findById(byId, id);
        }
    }

    Set<UUID> outdatedAmong(Connection connection, List<EventKey> keys) throws SQLException {
        return table.outdatedAmong(connection, keys);
    }

    boolean hasNewerEvent(Connection connection, String stream, String type, String created) throws SQLException {
        return table.hasNewerEvent(connection, stream, type, created);
    }

    long streamVersion(Connection connection, String stream) throws SQLException {
        try (PreparedStatement versionOf = connection.prepareStatement(selectVersion)) {
            return streamVersion(versionOf, stream);
        }
    }

    private static Optional<StoredEvent> findById(PreparedStatement byId, UUID id) throws SQLException {
        byId.setString(1, id.toString());
        try (ResultSet row = byId.executeQuery()) {
            return row.next() ? Optional.of(event(row)) : Optional.empty();
        }
    }

    private static long streamVersion(PreparedStatement versionOf, String stream) throws SQLException {
        versionOf.setString(1, stream);
        try (ResultSet row = versionOf.executeQuery()) {
            row.next();
            return row.getLong(1);
        }
    }

    /**
     * Reads a {@code recorded} value written with {@link #RECORDED}, field by field: {@link Instant#parse} took a
     * fifth of the time of a log scan. Anything not in that exact form goes to {@link Instant#parse}.
     */
    static Instant recorded(String text) {
        if (text.length() != 30 || text.charAt(4) != '-' || text.charAt(7) != '-' || text.charAt(10) != 'T'
                || text.charAt(13) != ':' || text.charAt(16) != ':' || text.charAt(19) != '.'
                || text.charAt(29) != 'Z') {
            return Instant.parse(text);
        }
        int year = digits(text, 0, 4);
        int month = digits(text, 5, 2);
        int day = digits(text, 8, 2);
        int hour = digits(text, 11, 2);
        int minute = digits(text, 14, 2);
        int second = digits(text, 17, 2);
        int nanos = digits(text, 20, 9);
        if ((year | month | day | hour | minute | second | nanos) < 0) {
            return Instant.parse(text);
        }
        return LocalDateTime.of(year, month, day, hour, minute, second, nanos).toInstant(ZoneOffset.UTC);
    }

    /** The number in {@code count} digits from {@code from}, or -1 if a character there is not a digit. */
    private static int digits(String text, int from, int count) {
        int value = 0;
        for (int i = from; i < from + count; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    private static StoredEvent event(ResultSet row) throws SQLException {
        UUID id = UUID.fromString(row.getString(2));
        return new StoredEvent(
                id,
                row.getString(3),
                row.getString(4),
                row.getString(5),
                row.getString(6),
                row.getString(7),
                recorded(row.getString(8)),
                row.getLong(9),
                row.getLong(1),
                row.getInt(10),
                OriginColumns.read(row, 11, id));
    }
}
