package dev.runestone;

import java.util.UUID;

/**
 * An append carried an event id that the store already holds for a different event; nothing was written.
 *
 * <p>Appending the very same event again is not an error (it is skipped and reported in
 * {@link AppendResult#duplicates()}); reusing its id for other content is.
 */
public final class DuplicateEventIdException extends RunestoneException {

    private static final long serialVersionUID = 1L;

    private final UUID id;

    public DuplicateEventIdException(UUID id, String stream, String type) {
        super("Event id " + id + " (type '" + type + "', stream '" + stream + "') is already stored for a different "
                + "event; nothing was written. Give each new event a new id (EventStore.event(...) does).");
        this.id = id;
    }

    /** The id that clashed. */
    public UUID id() {
        return id;
    }
}
