package dev.runestone.spi.jdbc;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.UUID;

/**
 * How a database keeps the two values whose column types differ between adapters: an event id ({@code TEXT} in
 * SQLite, {@code uuid} in PostgreSQL) and a moment ({@code TEXT} in ISO-8601, or {@code timestamptz}). The SQL that
 * stores them is then the same on both.
 */
public interface ColumnTypes {

    /** Binds an event id at {@code index}. */
    void setId(PreparedStatement statement, int index, UUID id) throws SQLException;

    /** Reads an event id from {@code column}. */
    UUID getId(ResultSet row, int column) throws SQLException;

    /** Binds a moment at {@code index}. */
    void setInstant(PreparedStatement statement, int index, Instant instant) throws SQLException;

    /** Reads a moment from {@code column}. */
    Instant getInstant(ResultSet row, int column) throws SQLException;
}
