package dev.runestone.projector;

import dev.runestone.EventRecord;

/**
 * Handles one event of one type, for {@link Projector#on} and {@link Projector#all}.
 *
 * @param <T> the event class handled
 */
@FunctionalInterface
public interface ProjectionHandler<T> {

    /** Projects the event; what it throws goes to the store's error hook. */
    void handle(EventRecord<T> record) throws Exception;
}
