package dev.runestone.projector;

import dev.runestone.EventRecord;
import java.util.List;

/**
 * Handles all events of one append at once, for {@link Projector#batch}: the append named the batch key.
 *
 * @param <E> the event type
 */
@FunctionalInterface
public interface BatchHandler<E> {

    /** Projects the events, in append order; what it throws goes to the store's error hook. */
    void handle(List<EventRecord<E>> records) throws Exception;
}
