package dev.runestone;

import dev.runestone.clock.HlcTimestamp;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * A stored event: the event record itself plus where and when it was stored.
 *
 * @param id       unique in the store; the same id is never stored twice
 * @param stream   the entity the event belongs to
 * @param type     the type string, e.g. {@code user:created}
 * @param event    the event record, carrying {@code data} and {@code meta}
 * @param created  when the event was made, by a hybrid logical clock; travels with the event to other stores
 * @param recorded when this store wrote the event
 * @param version  the event's place in its stream: 1, 2, 3 …
 * @param position      the event's place in this store's global commit order
 * @param schemaVersion the version of its type the event was stored at; {@code event} is today's record whatever
 *                      it was, brought up to date by the registry's upcasters
 * @param origin        its correlation, causation and trace context; the correlation id is always set (an event
 *                      stored without one is its own correlation)
 * @param <E>           the event type
 */
public record EventRecord<E>(UUID id, String stream, String type, E event, HlcTimestamp created, Instant recorded,
        long version, long position, int schemaVersion, EventOrigin origin) {

    public EventRecord {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(stream, "stream");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(event, "event");
        Objects.requireNonNull(created, "created");
        Objects.requireNonNull(recorded, "recorded");
        origin = Objects.requireNonNull(origin, "origin").withCorrelationIfAbsent(id.toString());
    }

    /** An event that starts a conversation of its own: its id is its correlation id, nothing caused it. */
    public EventRecord(UUID id, String stream, String type, E event, HlcTimestamp created, Instant recorded,
            long version, long position, int schemaVersion) {
        this(id, stream, type, event, created, recorded, version, position, schemaVersion, EventOrigin.NONE);
    }

    /** An event stored at version 1 of its type. */
    public EventRecord(UUID id, String stream, String type, E event, HlcTimestamp created, Instant recorded,
            long version, long position) {
        this(id, stream, type, event, created, recorded, version, position, 1);
    }

    /** The conversation the event belongs to: what {@link EventStore#readCorrelation} finds it by. */
    public String correlationId() {
        return Objects.requireNonNull(origin.correlationId());
    }

    /** What caused the event, usually the id of the event being handled when it was appended, or {@code null}. */
    public @Nullable String causationId() {
        return origin.causationId();
    }

    /** This event as made, before any store wrote it: what another store imports. */
    public PendingEvent<E> toPending() {
        return new PendingEvent<>(id, stream, type, event, created, origin);
    }
}
