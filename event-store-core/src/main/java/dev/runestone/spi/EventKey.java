package dev.runestone.spi;

import java.util.Objects;
import java.util.UUID;

/**
 * What decides whether a stored event is outdated: its stream, type and {@code created}; see
 * {@link EventStorage#outdatedAmong}.
 *
 * @param id      the event's id, by which the answer names it
 * @param stream  its stream
 * @param type    its type string
 * @param created its {@code created} in sortable string form
 */
public record EventKey(UUID id, String stream, String type, String created) {

    public EventKey {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(stream, "stream");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(created, "created");
    }
}
