package dev.runestone.spi.jdbc;

import dev.runestone.spi.NewEvent;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Which events of an import arrive outdated, as {@link dev.runestone.spi.ImportStorage#importEvents} decides it:
 * an event is outdated when its stream already holds a newer event of its type (by {@code created}), in the database
 * or earlier in the same import. The adapter answers for the database, inside the import's transaction. Holds no
 * state; thread-safe.
 */
public final class OutdatedCheck {

    /** Whether the database holds, in {@code stream}, an event of {@code type} created after {@code created}. */
    @FunctionalInterface
    public interface NewerStored {
        boolean exists(String stream, String type, String created) throws SQLException;
    }

    private OutdatedCheck() {
    }

    /** The ids of the outdated events among {@code events}, given in the import's order. */
    public static Set<UUID> outdated(List<NewEvent> events, NewerStored newerStored) throws SQLException {
        Map<String, String> newestEarlier = new HashMap<>();
        Set<UUID> outdated = new LinkedHashSet<>();
        for (NewEvent event : events) {
            // created is the timestamp's sortable text form: comparing the text compares the times.
            String streamType = event.stream() + "\u0000" + event.type();
            String newest = newestEarlier.get(streamType);
            if ((newest != null && newest.compareTo(event.created()) > 0)
                    || newerStored.exists(event.stream(), event.type(), event.created())) {
                outdated.add(event.id());
            }
            if (newest == null || event.created().compareTo(newest) > 0) {
                newestEarlier.put(streamType, event.created());
            }
        }
        return outdated;
    }
}
