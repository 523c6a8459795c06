package dev.runestone.spi;

import dev.runestone.EventOrigin;
import java.util.Objects;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * An encoded event on its way into storage.
 *
 * @param id      the event id, unique in the store
 * @param stream  the stream the event belongs to
 * @param type    the event type string, e.g. {@code user:created}
 * @param data    the data as JSON text, or {@code null} for an event without data
 * @param meta    the meta as JSON text, or {@code null} for an event without meta
 * @param created       the hybrid logical clock timestamp in its sortable string form
 * @param schemaVersion the version of the event's type that {@code data} and {@code meta} follow, from 1
 * @param origin        its correlation, causation and trace context; without a correlation id the event is its own
 *                      correlation
 */
public record NewEvent(UUID id, String stream, String type, @Nullable String data, @Nullable String meta,
        String created, int schemaVersion, EventOrigin origin) {

    public NewEvent {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(stream, "stream");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(created, "created");
        if (schemaVersion < 1) {
            throw new IllegalArgumentException("An event type's version starts at 1, was " + schemaVersion);
        }
        if (origin.correlationId() == null) {
            origin = new EventOrigin(id.toString(), origin.causationId(), origin.traceParent(), origin.traceState());
        }
    }

    /**
     * Whether {@code other} is the same event: the same id, stream, type, data, meta, created and version of the type.
     * The origin does not count, as in {@link StoredEvent#sameEventAs}.
     */
    public boolean sameEventAs(NewEvent other) {
        return id.equals(other.id) && stream.equals(other.stream) && type.equals(other.type)
                && Objects.equals(data, other.data) && Objects.equals(meta, other.meta)
                && created.equals(other.created) && schemaVersion == other.schemaVersion;
    }

    /** An event that starts a conversation of its own. */
    public NewEvent(UUID id, String stream, String type, @Nullable String data, @Nullable String meta,
            String created, int schemaVersion) {
        this(id, stream, type, data, meta, created, schemaVersion, EventOrigin.NONE);
    }

    /** An event at version 1 of its type. */
    public NewEvent(UUID id, String stream, String type, @Nullable String data, @Nullable String meta,
            String created) {
        this(id, stream, type, data, meta, created, 1);
    }
}
