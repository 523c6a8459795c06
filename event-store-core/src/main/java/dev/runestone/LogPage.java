package dev.runestone;

import java.util.List;

/**
 * A page of the log in commit order, as {@link EventStore#readLog(long, int)} reads it: the events it decoded, the
 * rows it could not, and where the next page starts.
 *
 * <p>A row this store cannot decode (a type its registry does not know, written by a newer version of the service
 * or by another service sharing the database; or JSON that does not fit its record) is handed over as an
 * {@link UndecodableEvent} beside the events rather than failing the read, so a reader of the log always gets past
 * it and decides what to do: log it, park it, or stop.
 *
 * @param events       the decoded events, in position order
 * @param undecodable  the rows that could not be decoded, in position order, each with the reason
 * @param lastPosition the position of the last row on the page, decoded or not, or the position the page was read
 *                     after if it holds none: pass it to the next {@code readLog}
 * @param <E>          the event type
 */
public record LogPage<E>(List<EventRecord<E>> events, List<UndecodableEvent> undecodable, long lastPosition) {

    public LogPage {
        events = List.copyOf(events);
        undecodable = List.copyOf(undecodable);
    }

    /** Whether the page holds no row at all: the reader has caught up with the log. */
    public boolean isEmpty() {
        return events.isEmpty() && undecodable.isEmpty();
    }
}
