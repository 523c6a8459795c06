package dev.runestone.projector;

import dev.runestone.EventRecord;

/**
 * Handles a new event once, for {@link Projector#once}: typically a side effect such as sending an email.
 *
 * @param <T> the event class handled
 * @param <R> what the handler returns on success, handed to {@link Effects#onSuccess}
 */
@FunctionalInterface
public interface OnceHandler<T, R> {

    /** Runs the side effect; what it throws goes to {@link Effects#onError}. */
    R handle(EventRecord<T> record) throws Exception;
}
