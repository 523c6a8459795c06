package dev.runestone;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * A stored row this store could not turn into an event, as it is stored, with the reason. Met while following the
 * log ({@link LogPage#undecodable()}); durable subscriptions park it under their poison policy.
 *
 * @param id       the event id
 * @param stream   the stream it belongs to
 * @param type     its type string, perhaps one the registry does not know
 * @param version  its version within its stream
 * @param position its place in the log
 * @param created  its {@code created} timestamp as stored
 * @param recorded when this store wrote it
 * @param data     its data as stored JSON, or {@code null}
 * @param meta     its meta as stored JSON, or {@code null}
 * @param error    why it could not be decoded; {@link EventDecodingException#violations()} says where
 */
public record UndecodableEvent(UUID id, String stream, String type, long version, long position, String created,
        Instant recorded, @Nullable String data, @Nullable String meta, EventDecodingException error) {

    public UndecodableEvent {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(stream, "stream");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(created, "created");
        Objects.requireNonNull(recorded, "recorded");
        Objects.requireNonNull(error, "error");
    }
}
