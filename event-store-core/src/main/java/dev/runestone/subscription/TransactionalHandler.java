package dev.runestone.subscription;

import dev.runestone.EventRecord;
import dev.runestone.projector.ProjectionStatus;
import java.sql.Connection;

/**
 * Handles an event on the store's own database connection, inside the transaction that also moves the checkpoint
 * past it: what it writes there and the checkpoint commit together or not at all, so each event takes effect
 * exactly once.
 *
 * @param <E> the event type
 */
@FunctionalInterface
public interface TransactionalHandler<E> {

    /**
     * Handles one event on {@code connection}; must neither commit, roll back nor close it. Throwing rolls the
     * transaction back; the subscription retries the event, then parks it. Keep it short: on SQLite the
     * transaction holds the database's write lock.
     */
    void handle(EventRecord<E> record, ProjectionStatus status, Connection connection) throws Exception;
}
