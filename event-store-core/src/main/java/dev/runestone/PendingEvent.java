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
 * @param origin  its correlation, causation and trace context as far as known when it was made; the append fills in
 *                what is still open
 * @param <E>     the event type
 */
public record PendingEvent<E>(UUID id, String stream, String type, E event, HlcTimestamp created,
        EventOrigin origin) {

    public PendingEvent {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(stream, "stream");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(event, "event");
        Objects.requireNonNull(created, "created");
        Objects.requireNonNull(origin, "origin");
    }

    /** An event with no origin yet: the append gives it the origin in effect then. */
    public PendingEvent(UUID id, String stream, String type, E event, HlcTimestamp created) {
        this(id, stream, type, event, created, EventOrigin.NONE);
    }
}
