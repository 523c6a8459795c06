package dev.runestone.subscription;

import dev.runestone.EventRecord;
import java.sql.Connection;

/**
 * A {@link Projection} handler that writes through the store's own connection, in the transaction that also moves
 * the subscription's checkpoint (and, for {@code once}, records it in the ledger).
 *
 * @param <T> the event class handled
 */
@FunctionalInterface
public interface ConnectionHandler<T> {

    /** Handles one event on {@code connection}; must neither commit, roll back nor close it. */
    void handle(EventRecord<T> record, Connection connection) throws Exception;
}
