package dev.runestone.postgres;

import dev.runestone.ConcurrencyException;
import dev.runestone.DuplicateEventIdException;
import dev.runestone.ExpectedVersion;
import dev.runestone.LogPartition;
import dev.runestone.spi.AppendOutcome;
import dev.runestone.spi.AppendRequest;
import dev.runestone.spi.EventKey;
import dev.runestone.spi.EventQuery;
import dev.runestone.spi.GroupCommit;
import dev.runestone.spi.LogSlice;
import dev.runestone.spi.NewEvent;
import dev.runestone.spi.SnapshotAndEvents;
import dev.runestone.spi.SnapshotRow;
import dev.runestone.spi.StoredEvent;
import dev.runestone.spi.jdbc.DuplicateCheck;
import dev.runestone.spi.jdbc.EventTable;
import dev.runestone.spi.jdbc.OriginColumns;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * The SQL of the events table: the append statement and the reads PostgreSQL phrases its own way; the reads every
 * database phrases alike are {@link EventTable}'s, given the select list, the row reader and text arrays.
 *
 * <p><b>Positions.</b> An event's position is {@code (txid + offset) << 20 | index}: the high bits are the writing
 * transaction's id ({@code pg_current_xact_id()}) plus the store's position offset, the low 20 bits its index within
 * the append. A transaction that is still in flight has a txid at least the {@code xmin} of any snapshot taken
 * meanwhile, and so does every transaction that starts later; {@link #readLog} therefore returns only positions
 * below {@code (xmin + offset) << 20}, which belong to transactions that are over for good. A reader never moves past
 * an event that commits later, and a rolled-back append leaves only an unused number behind. The gate compares
 * positions, not the {@code transaction_id} column: rows restored from a dump keep the transaction ids of the
 * cluster they came from, which may lie far above this cluster's counter (see {@link Migrations}).
 *
 * <p><b>Appends</b> are one statement (see {@link #append}), which PostgreSQL runs as one transaction: one round trip
 * for one event or for many. Telling listeners is the caller's business ({@link AppendNotifier}). Methods run on the
 * connection they are given and hold no state between calls.
 */
final class EventLog {

    /** The most events one append may hold: the index within an append has 20 bits. */
    static final int MAX_EVENTS_PER_APPEND = 1 << 20;

    private static final String COLUMNS =
            "position, id, stream, type, data::text, meta::text, created, recorded, version, schema_version, "
                    + OriginColumns.NAMES;

    /**
     * {@code recorded} travels as microseconds since the epoch (exact: a double holds every such integer up to
     * 2^53): binding an {@code OffsetDateTime} made the driver format it, a tenth of a single append's client time.
     */
    private static final String RECORDED = "(TIMESTAMPTZ 'epoch' + ?::bigint * INTERVAL '1 microsecond')";

    /**
     * Streams, types and once-handler keys, whatever their number, bound as one text array each: for the reads and
     * the ledger lookups that {@code spi.jdbc} shares with SQLite.
     */
    static final EventTable.ListMatch ANY_OF_ARRAY = new EventTable.ListMatch() {

        @Override
        public String condition(String column, int size) {
            return column + " = ANY (?)";
        }

        @Override
        public int bind(PreparedStatement statement, int index, Collection<String> values) throws SQLException {
            statement.setArray(index, statement.getConnection().createArrayOf("text", values.toArray(String[]::new)));
            return index + 1;
        }
    };

    private static final int KNOWN = 1;
    private static final int CONFLICT = 2;
    private static final int STORED = 3;

    private final EventTable table;
    private final String selectById;
    private final String selectVersion;
    private final String selectLog;
    private final String selectHead;
    private final String probeLog;
    private final String append;
    private final String appendOne;
    private final String fromSnapshot;

    EventLog(Tables tables) {
        String events = tables.events();
        this.table = new EventTable(events, COLUMNS, EventLog::event, ANY_OF_ARRAY, SubscriptionTables.NATIVE);
        this.selectById = "SELECT " + COLUMNS + " FROM " + events + " WHERE id = ?";
        this.selectVersion = "SELECT COALESCE(max(version), 0) FROM " + events + " WHERE stream = ?";
        String settledBelow = "(SELECT (pg_snapshot_xmin(pg_current_snapshot())::text::bigint + position_offset) << 20 "
                + "FROM " + tables.logState() + ")";
        this.selectLog = "SELECT " + COLUMNS + " FROM " + events
                + " WHERE position > ? AND position < " + settledBelow + " ORDER BY position LIMIT ?";
        this.selectHead = "SELECT COALESCE(max(position), 0) FROM " + events + " WHERE position < " + settledBelow;
        // The first position after the reader's, found by the min() index look-up whatever the statistics say (an
        // EXISTS over a range let the planner pick a scan of the whole table when its statistics were stale).
        this.probeLog = "SELECT (SELECT min(position) FROM " + events + " WHERE position > ?), " + settledBelow;
        this.append = appendStatement(tables);
        this.appendOne = appendOneStatement(tables);
        // Kind 0 is the snapshot row (cursor in created, state in data), kind 1 the events after its cursor.
        this.fromSnapshot = "WITH snapshot AS (SELECT cursor, version, state FROM " + tables.snapshots()
                + " WHERE reducer = ? AND key = ?) "
                + "SELECT 0 AS kind, NULL::bigint AS position, NULL::uuid AS id, NULL::text AS stream, "
                + "NULL::text AS type, s.state AS data, NULL::text AS meta, s.cursor AS created, "
                + "NULL::timestamptz AS recorded, s.version, NULL::integer AS schema_version, "
                + "NULL::text AS correlation_id, NULL::text AS causation_id, NULL::text AS traceparent, "
                + "NULL::text AS tracestate FROM snapshot s "
                + "UNION ALL SELECT 1, " + COLUMNS + " FROM " + events
                + " WHERE stream = ? AND (cardinality(?::text[]) = 0 OR type = ANY (?)) "
                + "AND created > COALESCE((SELECT cursor FROM snapshot), '') "
                + "ORDER BY kind, created, position";
    }

    /**
     * The common case, one event, in a statement lean enough to plan once: scalar parameters give PostgreSQL a
     * generic plan it keeps reusing (the array statement is planned again on every call, which costs more than
     * running it), and the offset comes from a scalar subquery so that the plan's cost does not hang on the
     * statistics of {@code log_state}. {@code ON CONFLICT DO NOTHING} turns every unusual case (a known id, a
     * racing writer taking the version) into "no row stored" without an error, which leaves the transaction usable
     * for {@link #append} to diagnose with the full statement.
     */
    private static String appendOneStatement(Tables tables) {
        String events = tables.events();
        return "WITH head AS (SELECT COALESCE(max(version), 0) AS version FROM " + events + " WHERE stream = ?) "
                + "INSERT INTO " + events
                + " (position, id, stream, type, data, meta, created, recorded, schema_version, version, "
                + OriginColumns.NAMES + ", stream_hash) "
                + "SELECT (pg_current_xact_id()::text::bigint + (SELECT position_offset FROM " + tables.logState()
                + ")) << 20, ?, ?, ?, ?::jsonb, ?::jsonb, ?, " + RECORDED + ", ?, head.version + 1, ?, ?, ?, ?, ? "
                + "FROM head "
                + "WHERE ?::bigint IS NULL OR head.version = ? "
                + "ON CONFLICT DO NOTHING "
                + "RETURNING data::text, meta::text, version, position";
    }

    /**
     * The whole append contract of {@link dev.runestone.spi.EventStorage#append} in one statement, for one append
     * or for a group of independent ones ({@link #appendGroup}), each of which succeeds or fails alone.
     *
     * <p>The input arrives as arrays, one per column, unnested {@code WITH ORDINALITY}; {@code member} numbers the
     * append an event belongs to, and the appends of one statement share no stream and no id. In one snapshot the
     * statement finds the ids already stored ({@code known}, compared by value: {@code jsonb} ignores key order and
     * spacing; each id looked up through the unique index by a lateral subquery that {@code OFFSET 0} keeps the
     * planner from turning into a join, which on a table without statistics it had made a scan of the whole table), the current version of each stream that gets new events ({@code heads}) and the expectations those
     * versions break ({@code conflicts}); it inserts the new events of every append that has no known id holding
     * other content and no broken expectation ({@code failed} lists the others), and reports all of it as rows. A
     * writer that races this one into the same stream version or event id makes the insert fail on a unique
     * constraint ({@code 23505}), which the caller answers by running the statement again: the next snapshot sees
     * the winner's rows and reports a duplicate or a conflict, or, under {@code any}, appends after them. Rows are
     * inserted in (stream, version) order, so that two appends to the same streams wait for each other in one order
     * rather than deadlock.
     */
    private static String appendStatement(Tables tables) {
        String events = tables.events();
        return "WITH input AS ("
                + "SELECT i.id, i.stream, i.type, i.data::jsonb AS data, i.meta::jsonb AS meta, i.created, "
                + "i.schema_version, i.correlation_id, i.causation_id, i.traceparent, i.tracestate, i.stream_hash, "
                + "i.member, i.recorded, i.ord "
                + "FROM unnest(?::uuid[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::integer[], "
                + "?::text[], ?::text[], ?::text[], ?::text[], ?::integer[], ?::integer[], ?::bigint[]) "
                + "WITH ORDINALITY AS i(id, stream, type, data, meta, created, schema_version, "
                + OriginColumns.NAMES + ", stream_hash, member, recorded, ord)), "
                + "known AS ("
                + "SELECT i.ord, i.member, (e.stream = i.stream AND e.type = i.type AND e.created = i.created "
                + "AND e.data IS NOT DISTINCT FROM i.data AND e.meta IS NOT DISTINCT FROM i.meta "
                + "AND e.schema_version = i.schema_version) AS same "
                + "FROM input i CROSS JOIN LATERAL (SELECT stream, type, created, data, meta, schema_version FROM "
                + events + " WHERE id = i.id OFFSET 0) e), "
                + "fresh AS ("
                + "SELECT i.*, row_number() OVER (PARTITION BY i.stream ORDER BY i.ord) AS n "
                + "FROM input i WHERE NOT EXISTS (SELECT 1 FROM known k WHERE k.ord = i.ord)), "
                + "heads AS ("
                + "SELECT s.stream, COALESCE((SELECT max(e.version) FROM " + events + " e "
                + "WHERE e.stream = s.stream), 0) AS head "
                + "FROM (SELECT DISTINCT stream FROM fresh) s), "
                + "conflicts AS ("
                + "SELECT h.stream, h.head FROM heads h "
                + "JOIN unnest(?::text[], ?::bigint[]) AS x(stream, version) ON x.stream = h.stream "
                + "WHERE h.head <> x.version), "
                + "failed AS ("
                + "SELECT k.member FROM known k WHERE NOT k.same "
                + "UNION SELECT f.member FROM fresh f JOIN conflicts c ON c.stream = f.stream), "
                + "written AS ("
                + "SELECT f.*, row_number() OVER (ORDER BY f.ord) - 1 AS idx FROM fresh f "
                + "WHERE f.member NOT IN (SELECT member FROM failed)), "
                + "inserted AS ("
                + "INSERT INTO " + events
                + " (position, id, stream, type, data, meta, created, recorded, schema_version, version, "
                + OriginColumns.NAMES + ", stream_hash) "
                + "SELECT ((pg_current_xact_id()::text::bigint + l.position_offset) << 20) | w.idx, "
                + "w.id, w.stream, w.type, w.data, w.meta, w.created, "
                + "TIMESTAMPTZ 'epoch' + w.recorded * INTERVAL '1 microsecond', w.schema_version, "
                + "h.head + w.n, w.correlation_id, w.causation_id, w.traceparent, w.tracestate, w.stream_hash "
                + "FROM written w JOIN heads h ON h.stream = w.stream CROSS JOIN " + tables.logState() + " l "
                + "ORDER BY w.stream, w.n "
                + "RETURNING id, data::text AS data, meta::text AS meta, version, position) "
                + "SELECT " + KNOWN + " AS kind, k.ord, k.same, NULL::text AS stream, NULL::bigint AS number, "
                + "NULL::bigint AS position, NULL::uuid AS id, NULL::text AS data, NULL::text AS meta FROM known k "
                + "UNION ALL SELECT " + CONFLICT + ", NULL, NULL, c.stream, c.head, NULL, NULL, NULL, NULL "
                + "FROM conflicts c "
                + "UNION ALL SELECT " + STORED + ", NULL, NULL, NULL, s.version, s.position, s.id, s.data, s.meta "
                + "FROM inserted s";
    }

    /**
     * Runs the append on {@code connection}: a single event through the lean statement, falling back to the full
     * statement when that stores nothing (a known id, a broken expectation, a lost race), which then reports why;
     * anything else, and everything inside a caller's transaction, through the full statement. In autocommit mode
     * each statement is its own transaction; a caller that opened one commits or rolls back itself (tests use that to
     * hold an append in flight), and the append must be its transaction's first write: a transaction that already
     * holds an id could give a stream's next version a lower position than a version a younger transaction committed
     * meanwhile. A unique violation ({@code 23505}) means a racing writer won; the caller runs the append again.
     */
    AppendOutcome append(Connection connection, AppendRequest request) throws SQLException {
        // Only in autocommit: in a caller's transaction a lean attempt that stores nothing still takes a transaction
        // id, and the full statement after it could then give a stream's next version a lower position than the
        // version before it, committed meanwhile by a younger transaction.
        if (request.events().size() == 1 && connection.getAutoCommit()) {
            Optional<StoredEvent> stored = appendOne(connection, request);
            if (stored.isPresent()) {
                return new AppendOutcome(List.of(stored.get()), List.of());
            }
        }
        return appendMany(connection, request);
    }

    /**
     * What the append stores, and returns, as its events' {@code recorded}: timestamptz keeps microseconds. Core hands
     * whole microseconds already ({@link AppendRequest#recorded()}); a finer instant comes only from other callers
     * of the SPI, such as this adapter's tests.
     */
    private static Instant recorded(AppendRequest request) {
        return request.recorded().truncatedTo(ChronoUnit.MICROS);
    }

    /** The one event of {@code request}, if the lean statement stored it; empty means the full statement decides. */
    private Optional<StoredEvent> appendOne(Connection connection, AppendRequest request) throws SQLException {
        NewEvent event = request.events().getFirst();
        Long expected = request.expectations().get(event.stream()) instanceof ExpectedVersion.Exactly exactly
                ? exactly.version() : null;
        Instant recorded = recorded(request);
        try (PreparedStatement statement = connection.prepareStatement(appendOne)) {
            statement.setString(1, event.stream());
            statement.setObject(2, event.id());
            statement.setString(3, event.stream());
            statement.setString(4, event.type());
            statement.setString(5, event.data());
            statement.setString(6, event.meta());
            statement.setString(7, event.created());
            statement.setLong(8, micros(recorded));
            statement.setInt(9, event.schemaVersion());
            statement.setInt(OriginColumns.bind(statement, 10, event), EventTable.streamHash(event.stream()));
            statement.setObject(15, expected, Types.BIGINT);
            statement.setObject(16, expected, Types.BIGINT);
            try (ResultSet row = statement.executeQuery()) {
                if (!row.next()) {
                    return Optional.empty();
                }
                return Optional.of(new StoredEvent(event.id(), event.stream(), event.type(), row.getString(1),
                        row.getString(2), event.created(), recorded, row.getLong(3), row.getLong(4),
                        event.schemaVersion(), event.origin()));
            }
        }
    }

    private AppendOutcome appendMany(Connection connection, AppendRequest request) throws SQLException {
        GroupCommit.Result result = appendGroup(connection, List.of(request)).getFirst();
        RuntimeException failure = result.failure();
        if (failure != null) {
            throw failure;
        }
        return Objects.requireNonNull(result.outcome());
    }

    /**
     * Writes independent appends that share no stream and no event id in one statement (one transaction in
     * autocommit), each with its own outcome: a conflict or an id holding another event fails that append alone.
     * Together they hold at most {@link #MAX_EVENTS_PER_APPEND} events. A unique violation ({@code 23505}) means a
     * racing writer won; the caller runs the statement again.
     */
    List<GroupCommit.Result> appendGroup(Connection connection, List<AppendRequest> group) throws SQLException {
        int size = 0;
        for (AppendRequest request : group) {
            size += request.events().size();
        }
        UUID[] ids = new UUID[size];
        String[] streams = new String[size];
        String[] types = new String[size];
        String[] data = new String[size];
        String[] meta = new String[size];
        String[] created = new String[size];
        Integer[] schemaVersions = new Integer[size];
        String[] correlations = new String[size];
        String[] causations = new String[size];
        String[] traceParents = new String[size];
        String[] traceStates = new String[size];
        Integer[] streamHashes = new Integer[size];
        Integer[] members = new Integer[size];
        Long[] recordedMicros = new Long[size];
        List<String> expectedStreams = new ArrayList<>();
        List<Long> expectedVersions = new ArrayList<>();
        Map<String, Integer> memberOfStream = new HashMap<>();
        int i = 0;
        for (int member = 0; member < group.size(); member++) {
            AppendRequest request = group.get(member);
            Integer groupIndex = member;
            long recorded = micros(recorded(request));
            for (NewEvent event : request.events()) {
                ids[i] = event.id();
                streams[i] = event.stream();
                types[i] = event.type();
                data[i] = event.data();
                meta[i] = event.meta();
                created[i] = event.created();
                schemaVersions[i] = event.schemaVersion();
                correlations[i] = OriginColumns.storedCorrelation(event);
                causations[i] = event.origin().causationId();
                traceParents[i] = event.origin().traceParent();
                traceStates[i] = event.origin().traceState();
                streamHashes[i] = EventTable.streamHash(event.stream());
                members[i] = member;
                recordedMicros[i] = recorded;
                memberOfStream.put(event.stream(), member);
                i++;
            }
            // An expectation on a stream the append writes nothing to is no expectation (the SPI says so), and
            // here it would be checked against another append's events on that stream.
            request.expectations().forEach((stream, expected) -> {
                if (expected instanceof ExpectedVersion.Exactly exactly
                        && Objects.equals(memberOfStream.get(stream), groupIndex)) {
                    expectedStreams.add(stream);
                    expectedVersions.add(exactly.version());
                }
            });
        }

        List<Map<UUID, Boolean>> known = new ArrayList<>();
        List<Map<String, Long>> conflicts = new ArrayList<>();
        List<List<StoredRow>> stored = new ArrayList<>();
        for (int member = 0; member < group.size(); member++) {
            known.add(new HashMap<>());
            conflicts.add(new HashMap<>());
            stored.add(new ArrayList<>());
        }
        Map<UUID, Integer> memberOfId = new HashMap<>();
        for (int e = 0; e < size; e++) {
            memberOfId.put(ids[e], members[e]);
        }
        try (PreparedStatement statement = connection.prepareStatement(append)) {
            List<Array> arrays = List.of(
                    connection.createArrayOf("uuid", ids),
                    connection.createArrayOf("text", streams),
                    connection.createArrayOf("text", types),
                    connection.createArrayOf("text", data),
                    connection.createArrayOf("text", meta),
                    connection.createArrayOf("text", created),
                    connection.createArrayOf("int4", schemaVersions),
                    connection.createArrayOf("text", correlations),
                    connection.createArrayOf("text", causations),
                    connection.createArrayOf("text", traceParents),
                    connection.createArrayOf("text", traceStates),
                    connection.createArrayOf("int4", streamHashes),
                    connection.createArrayOf("int4", members),
                    connection.createArrayOf("int8", recordedMicros),
                    connection.createArrayOf("text", expectedStreams.toArray(String[]::new)),
                    connection.createArrayOf("int8", expectedVersions.toArray(Long[]::new)));
            for (int a = 0; a < arrays.size(); a++) {
                statement.setArray(a + 1, arrays.get(a));
            }
            try (ResultSet row = statement.executeQuery()) {
                while (row.next()) {
                    switch (row.getInt(1)) {
                        case KNOWN -> {
                            int ord = Math.toIntExact(row.getLong(2) - 1);
                            known.get(members[ord]).put(ids[ord], row.getBoolean(3));
                        }
                        case CONFLICT -> {
                            String stream = row.getString(4);
                            conflicts.get(memberOfStream.get(stream)).put(stream, row.getLong(5));
                        }
                        default -> {
                            UUID id = row.getObject(7, UUID.class);
                            stored.get(memberOfId.get(id)).add(new StoredRow(id, row.getString(8),
                                    row.getString(9), row.getLong(5), row.getLong(6)));
                        }
                    }
                }
            }
        }
        List<GroupCommit.Result> results = new ArrayList<>(group.size());
        for (int member = 0; member < group.size(); member++) {
            try {
                results.add(GroupCommit.Result.appended(outcome(group.get(member), known.get(member),
                        conflicts.get(member), stored.get(member))));
            } catch (ConcurrencyException | DuplicateEventIdException e) {
                results.add(GroupCommit.Result.failed(e));
            }
        }
        return results;
    }

    /** One append's outcome from what the statement reported for it; throws what the append fails with. */
    private static AppendOutcome outcome(AppendRequest request, Map<UUID, Boolean> known, Map<String, Long> conflicts,
            List<StoredRow> stored) {
        DuplicateCheck check = DuplicateCheck.of(request.events(), event -> known.get(event.id()));
        List<NewEvent> fresh = check.fresh();
        if (!conflicts.isEmpty()) {
            for (NewEvent event : fresh) {
                Long actual = conflicts.get(event.stream());
                if (actual != null) {
                    throw new ConcurrencyException(event.stream(), request.expectations().get(event.stream()), actual);
                }
            }
        }
        if (stored.size() != fresh.size()) {
            throw new IllegalStateException("The append statement stored " + stored.size() + " of " + fresh.size()
                    + " new events; this is a bug in Runestone's PostgreSQL adapter.");
        }
        stored.sort((a, b) -> Long.compare(a.position(), b.position()));
        Instant recorded = recorded(request);
        List<StoredEvent> result = new ArrayList<>(stored.size());
        for (int i = 0; i < stored.size(); i++) {
            NewEvent event = fresh.get(i);
            StoredRow row = stored.get(i);
            if (!row.id().equals(event.id())) {
                throw new IllegalStateException("The append statement stored event " + row.id() + " where "
                        + event.id() + " was due; this is a bug in Runestone's PostgreSQL adapter.");
            }
            result.add(new StoredEvent(event.id(), event.stream(), event.type(), row.data(), row.meta(),
                    event.created(), recorded, row.version(), row.position(), event.schemaVersion(), event.origin()));
        }
        return new AppendOutcome(result, check.duplicates());
    }

    private static long micros(Instant instant) {
        return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000L), instant.getNano() / 1_000);
    }

    private record StoredRow(UUID id, String data, String meta, long version, long position) {
    }

    /** Reads a query's events in one statement, streams and types bound as arrays. */
    List<StoredEvent> read(Connection connection, EventQuery query) throws SQLException {
        return table.select(connection, query, query.streams());
    }

    /** {@link dev.runestone.spi.StorageAdapter#readFromSnapshot} in one statement, one round trip. */
    SnapshotAndEvents readFromSnapshot(Connection connection, String reducer, String stream, EventQuery query)
            throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(fromSnapshot)) {
            Array types = connection.createArrayOf("text", query.types().toArray(String[]::new));
            select.setString(1, reducer);
            select.setString(2, stream);
            select.setString(3, stream);
            select.setArray(4, types);
            select.setArray(5, types);
            SnapshotRow snapshot = null;
            List<StoredEvent> events = new ArrayList<>();
            try (ResultSet row = select.executeQuery()) {
                while (row.next()) {
                    if (row.getInt(1) == 0) {
                        snapshot = new SnapshotRow(reducer, stream, row.getString(8), row.getLong(10),
                                row.getString(6));
                    } else {
                        UUID id = row.getObject(3, UUID.class);
                        events.add(new StoredEvent(id, row.getString(4), row.getString(5),
                                row.getString(6), row.getString(7), row.getString(8),
                                row.getObject(9, OffsetDateTime.class).toInstant(), row.getLong(10),
                                row.getLong(2), row.getInt(11), OriginColumns.read(row, 12, id)));
                    }
                }
            }
            return new SnapshotAndEvents(snapshot, events);
        }
    }

    /** Up to {@code limit} settled events after {@code afterPosition}; see the class comment. */
    List<StoredEvent> readLog(Connection connection, long afterPosition, int limit) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(selectLog)) {
            select.setLong(1, afterPosition);
            select.setInt(2, limit);
            return table.rows(select);
        }
    }

    /**
     * One part of the log, read up to the last settled position: no transaction that could still write below it is
     * in flight, so nothing can appear there later (see the class comment).
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

    /** What {@link #readLog} would find after {@code afterPosition} now. */
    enum Probe {
        /** At least one event is there to read. */
        READABLE,
        /** Nothing to read yet, but events are committed beyond a transaction still in flight. */
        HELD_BACK,
        /** Nothing after the position. */
        NOTHING
    }

    Probe probe(Connection connection, long afterPosition) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(probeLog)) {
            select.setLong(1, afterPosition);
            try (ResultSet row = select.executeQuery()) {
                row.next();
                long next = row.getLong(1);
                if (row.wasNull()) {
                    return Probe.NOTHING;
                }
                return next < row.getLong(2) ? Probe.READABLE : Probe.HELD_BACK;
            }
        }
    }

    Optional<StoredEvent> findById(Connection connection, UUID id) throws SQLException {
        try (PreparedStatement byId = connection.prepareStatement(selectById)) {
            byId.setObject(1, id);
            List<StoredEvent> found = table.rows(byId);
            return found.isEmpty() ? Optional.empty() : Optional.of(found.getFirst());
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
            versionOf.setString(1, stream);
            try (ResultSet row = versionOf.executeQuery()) {
                row.next();
                return row.getLong(1);
            }
        }
    }

    private static StoredEvent event(ResultSet row) throws SQLException {
        UUID id = row.getObject(2, UUID.class);
        return new StoredEvent(
                id,
                row.getString(3),
                row.getString(4),
                row.getString(5),
                row.getString(6),
                row.getString(7),
                row.getObject(8, OffsetDateTime.class).toInstant(),
                row.getLong(9),
                row.getLong(1),
                row.getInt(10),
                OriginColumns.read(row, 11, id));
    }
}
