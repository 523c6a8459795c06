package dev.runestone;

import dev.runestone.clock.HlcTimestamp;
import java.util.Objects;
import java.util.UUID;

/**
 * An event that has been made but not yet stored: {@link EventStore#event(String, Object)} makes one, an append
 * stores it.
 *
 * @param id      the event's id, kept when it is stored
 * @param stream  the stream it is for
 * @param type    its type string
 * @param event   the event record
 * @param created when it was made
 * @param <E>     the event type
 */
public record PendingEvent<E>(UUID id, String stream, String type, E event, HlcTimestamp created) {

    public PendingEvent {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(stream, "stream");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(event, "event");
        Objects.requireNonNull(created, "created");
    }
}
