package dev.runestone.postgres;

import dev.runestone.spi.StoredEvent;
import java.sql.Array;
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
 * The SQL of imports: {@code imported_events} remembers which events came from another store, and whether they were
 * outdated on arrival; importing also drops the snapshots those events make stale.
 */
final class ImportTable {

    private final String imported;
    private final String snapshots;
    private final String relations;

    ImportTable(Tables tables) {
        this.imported = tables.quotedSchema() + ".imported_events";
        this.snapshots = tables.snapshots();
        this.relations = tables.relations();
    }

    /** Part of migration step 2. */
    static List<String> layout(Tables tables) {
        return List.of("CREATE TABLE " + tables.quotedSchema() + ".imported_events ("
                + "event_id uuid NOT NULL, "
                + "outdated boolean NOT NULL, "
                + "CONSTRAINT imported_events_key PRIMARY KEY (event_id))");
    }

    /** Runs in the import's transaction, after the append. */
    void record(Connection connection, List<StoredEvent> stored, Set<UUID> outdated) throws SQLException {
        if (stored.isEmpty()) {
            return;
        }
        UUID[] ids = new UUID[stored.size()];
        Boolean[] flags = new Boolean[stored.size()];
        String[] streams = new String[stored.size()];
        String[] created = new String[stored.size()];
        for (int i = 0; i < ids.length; i++) {
            StoredEvent event = stored.get(i);
            ids[i] = event.id();
            flags[i] = outdated.contains(event.id());
            streams[i] = event.stream();
            created[i] = event.created();
        }
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO " + imported
                + " (event_id, outdated) SELECT * FROM unnest(?::uuid[], ?::boolean[]) ON CONFLICT DO NOTHING")) {
            insert.setArray(1, connection.createArrayOf("uuid", ids));
            insert.setArray(2, connection.createArrayOf("boolean", flags));
            insert.executeUpdate();
        }
        try (PreparedStatement stale = connection.prepareStatement("DELETE FROM " + snapshots + " s USING "
                + "unnest(?::text[], ?::text[]) AS i(stream, created) "
                + "WHERE s.cursor > i.created COLLATE \"C\" AND (s.key = i.stream OR s.key IN "
                + "(SELECT r.key FROM " + relations + " r WHERE r.stream = i.stream))")) {
            stale.setArray(1, connection.createArrayOf("text", streams));
            stale.setArray(2, connection.createArrayOf("text", created));
            stale.executeUpdate();
        }
    }

    Map<UUID, Boolean> importedAmong(Connection connection, Collection<UUID> ids) throws SQLException {
        Map<UUID, Boolean> found = new HashMap<>();
        try (PreparedStatement select = connection.prepareStatement("SELECT event_id, outdated FROM " + imported
                + " WHERE event_id = ANY (?)")) {
            Array array = connection.createArrayOf("uuid", ids.toArray());
            select.setArray(1, array);
            try (ResultSet row = select.executeQuery()) {
                while (row.next()) {
                    found.put(row.getObject(1, UUID.class), row.getBoolean(2));
                }
            }
        }
        return found;
    }
}
