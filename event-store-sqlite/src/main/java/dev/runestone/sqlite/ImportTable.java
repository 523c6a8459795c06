package dev.runestone.sqlite;

import dev.runestone.spi.StoredEvent;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The SQL of imports: {@code <prefix>imported_events} remembers which events came from another store, and whether
 * they were outdated on arrival; importing also drops the snapshots those events make stale.
 */
final class ImportTable {

    private final String imported;
    private final String snapshots;
    private final String relations;

    ImportTable(Tables tables) {
        this.imported = tables.prefix() + "imported_events";
        this.snapshots = tables.snapshots();
        this.relations = tables.relations();
    }

    /** Part of migration step 2. */
    static List<String> layout(Tables tables) {
        return List.of("CREATE TABLE " + tables.prefix() + "imported_events ("
                + "event_id TEXT NOT NULL PRIMARY KEY, "
                + "outdated INTEGER NOT NULL) WITHOUT ROWID");
    }

    /** Runs in the import's write transaction, after the append. */
    void record(Connection connection, List<StoredEvent> stored, Set<UUID> outdated) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO " + imported
                + " (event_id, outdated) VALUES (?, ?) ON CONFLICT DO NOTHING");
                PreparedStatement stale = connection.prepareStatement("DELETE FROM " + snapshots
                        + " WHERE cursor > ? AND (key = ? OR key IN (SELECT key FROM " + relations
                        + " WHERE stream = ?))")) {
            for (StoredEvent event : stored) {
                insert.setString(1, event.id().toString());
                insert.setInt(2, outdated.contains(event.id()) ? 1 : 0);
                insert.executeUpdate();
                stale.setString(1, event.created());
                stale.setString(2, event.stream());
                stale.setString(3, event.stream());
                stale.executeUpdate();
            }
        }
    }

    Map<UUID, Boolean> importedAmong(Connection connection, Collection<UUID> ids) throws SQLException {
        Map<UUID, Boolean> found = new HashMap<>();
        try (PreparedStatement select = connection.prepareStatement("SELECT outdated FROM " + imported
                + " WHERE event_id = ?")) {
            for (UUID id : ids) {
                select.setString(1, id.toString());
                try (ResultSet row = select.executeQuery()) {
                    if (row.next()) {
                        found.put(id, row.getInt(1) != 0);
                    }
                }
            }
        }
        return found;
    }
}
