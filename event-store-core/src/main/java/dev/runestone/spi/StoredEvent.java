package dev.runestone.spi;

import dev.runestone.EventOrigin;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * An event row as stored.
 *
 * @param id       the event id
 * @param stream   the stream the event belongs to
 * @param type     the event type string
 * @param data     the data as JSON text, or {@code null}
 * @param meta     the meta as JSON text, or {@code null}
 * @param created  the hybrid logical clock timestamp in its sortable string form
 * @param recorded when this store wrote the event
 * @param version  the event's version within its stream, from 1
 * @param position      the event's place in this store's global commit order, from 1
 * @param schemaVersion the version of the event's type that {@code data} and {@code meta} follow, from 1
 * @param origin        its correlation, causation and trace context; a row without a correlation id is its own
 *                      correlation
 */
public record StoredEvent(UUID id, String stream, String type, @Nullable String data, @Nullable String meta,
        String created, Instant recorded, long version, long position, int schemaVersion, EventOrigin origin) {

    public StoredEvent {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(stream, "stream");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(created, "created");
        Objects.requireNonNull(recorded, "recorded");
        if (origin.correlationId() == null) {
            origin = new EventOrigin(id.toString(), origin.causationId(), origin.traceParent(), origin.traceState());
        }
    }

    /** A row of an event that started a conversation of its own. */
    public StoredEvent(UUID id, String stream, String type, @Nullable String data, @Nullable String meta,
            String created, Instant recorded, long version, long position, int schemaVersion) {
        this(id, stream, type, data, meta, created, recorded, version, position, schemaVersion, EventOrigin.NONE);
    }

    /** A row at version 1 of its type. */
    public StoredEvent(UUID id, String stream, String type, @Nullable String data, @Nullable String meta,
            String created, Instant recorded, long version, long position) {
        this(id, stream, type, data, meta, created, recorded, version, position, 1);
    }

    /**
     * Tells whether this row holds the same event as {@code event}: the same stream, type, data, meta, created and
     * version of the type. The origin does not count: an event appended again from another conversation, or
     * imported with another trace, is still the same event, and the first origin stored stays.
     */
    public boolean sameEventAs(NewEvent event) {
        return id.equals(event.id())
                && stream.equals(event.stream())
                && type.equals(event.type())
                && Objects.equals(data, event.data())
                && Objects.equals(meta, event.meta())
                && created.equals(event.created())
                && schemaVersion == event.schemaVersion();
    }
}
