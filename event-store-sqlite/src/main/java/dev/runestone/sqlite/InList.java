package dev.runestone.sqlite;

import dev.runestone.spi.jdbc.EventTable;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * {@code IN (?, ?, …)} lists of bound parameters, split into chunks that stay well under the host parameter limit
 * of any SQLite build (999 before 3.32).
 */
final class InList {

    /** The most parameters one statement binds. */
    static final int MAX_PARAMETERS = 900;

    /** A column matched against one placeholder per value, for the reads that {@link EventTable} shares. */
    static final EventTable.ListMatch PLACEHOLDERS = new EventTable.ListMatch() {

        @Override
        public String condition(String column, int size) {
            return column + " IN " + placeholders(size);
        }

        @Override
        public int bind(PreparedStatement statement, int index, Collection<String> values) throws SQLException {
            int next = index;
            for (String value : values) {
                statement.setString(next++, value);
            }
            return next;
        }
    };

    private InList() {
    }

    /** {@code (?, ?, ?)} with {@code size} placeholders, at least one. */
    static String placeholders(int size) {
        if (size < 1) {
            throw new IllegalArgumentException("An IN list needs at least one value, was " + size);
        }
        return "(" + "?, ".repeat(size - 1) + "?)";
    }

    /** {@code values} in order, cut into lists of at most {@code size}. */
    static <T> List<List<T>> chunks(Collection<T> values, int size) {
        List<T> all = List.copyOf(values);
        List<List<T>> chunks = new ArrayList<>((all.size() + size - 1) / size);
        for (int from = 0; from < all.size(); from += size) {
            chunks.add(all.subList(from, Math.min(all.size(), from + size)));
        }
        return chunks;
    }
}
