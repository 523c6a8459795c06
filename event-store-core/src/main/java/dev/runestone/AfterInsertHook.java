package dev.runestone;

import java.util.List;

/**
 * Runs after every append commits, on the appending thread, with the events written. What it throws goes to the
 * {@link ErrorHook}; the append has committed regardless.
 *
 * @param <E> the event type
 */
@FunctionalInterface
public interface AfterInsertHook<E> {

    /** Handles the events one append wrote, in order. */
    void afterInsert(List<EventRecord<E>> records) throws Exception;
}
