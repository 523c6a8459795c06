package dev.runestone.spi.jdbc;

import dev.runestone.EventOrigin;
import dev.runestone.spi.NewEvent;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * The four columns of the events table that keep an event's {@link EventOrigin}, alike on every database: their
 * layout, how an append binds them and how a read gives them back.
 *
 * <p>An event that is its own correlation (the first event of an append outside any conversation, and every event
 * stored before the columns existed) keeps {@code NULL} in {@code correlation_id}: the correlation index is partial
 * and skips those rows, so an append of events that start conversations pays nothing for it, and a lookup matches
 * them by their id.
 */
public final class OriginColumns {

    /** The columns in the order {@link #bind} binds them and {@link #read} reads them. */
    public static final String NAMES = "correlation_id, causation_id, traceparent, tracestate";

    private OriginColumns() {
    }

    /**
     * The schema change that adds the columns and the correlation index to an existing events table; every
     * supported database adds nullable columns without touching the rows.
     *
     * @param table     the events table, qualified and quoted as the adapter needs
     * @param indexName the name of the correlation index, as the adapter's other index names go
     * @param textType  the column type of text, as the adapter's other text columns have it (PostgreSQL's with the
     *                  byte-order collation, so that no index depends on the operating system's collation rules)
     */
    public static List<String> layout(String table, String indexName, String textType) {
        return List.of(
                "ALTER TABLE " + table + " ADD COLUMN correlation_id " + textType,
                "ALTER TABLE " + table + " ADD COLUMN causation_id " + textType,
                "ALTER TABLE " + table + " ADD COLUMN traceparent " + textType,
                "ALTER TABLE " + table + " ADD COLUMN tracestate " + textType,
                "CREATE INDEX " + indexName + " ON " + table + " (correlation_id) WHERE correlation_id IS NOT NULL");
    }

    /** What {@code correlation_id} holds for {@code event}: {@code null} when the event is its own correlation. */
    public static @Nullable String storedCorrelation(NewEvent event) {
        String correlation = event.origin().correlationId();
        return event.id().toString().equals(correlation) ? null : correlation;
    }

    /** Binds the columns from parameter {@code index} on, in {@link #NAMES} order; returns the next index. */
    public static int bind(PreparedStatement statement, int index, NewEvent event) throws SQLException {
        EventOrigin origin = event.origin();
        statement.setString(index, storedCorrelation(event));
        statement.setString(index + 1, origin.causationId());
        statement.setString(index + 2, origin.traceParent());
        statement.setString(index + 3, origin.traceState());
        return index + 4;
    }

    /** Reads the columns from {@code column} on, in {@link #NAMES} order, of the event with {@code id}. */
    public static EventOrigin read(ResultSet row, int column, UUID id) throws SQLException {
        String correlation = row.getString(column);
        return new EventOrigin(correlation != null ? correlation : id.toString(), row.getString(column + 1),
                row.getString(column + 2), row.getString(column + 3));
    }

    /**
     * The condition that an event belongs to a conversation: its correlation id, or, for the event that started
     * it (stored without one), its id. Binds as {@link #bindCorrelation} does.
     */
    static String correlationCondition(String correlationId) {
        return eventId(correlationId) != null ? "(correlation_id = ? OR (id = ? AND correlation_id IS NULL))"
                : "correlation_id = ?";
    }

    /** Binds {@link #correlationCondition} at {@code index}; returns the next index. */
    static int bindCorrelation(PreparedStatement statement, int index, String correlationId, ColumnTypes types)
            throws SQLException {
        statement.setString(index, correlationId);
        UUID id = eventId(correlationId);
        if (id == null) {
            return index + 1;
        }
        types.setId(statement, index + 1, id);
        return index + 2;
    }

    /** The event id a correlation id names, if it is one in canonical form. */
    private static @Nullable UUID eventId(String correlationId) {
        if (correlationId.length() != 36) {
            return null;
        }
        try {
            UUID id = UUID.fromString(correlationId);
            return id.toString().equals(correlationId) ? id : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
