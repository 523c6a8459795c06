package dev.runestone.subscription;

import dev.runestone.EventRecord;
import dev.runestone.projector.ProjectionStatus;
import dev.runestone.spi.SubscriptionStorage;
import dev.runestone.spi.TransactionWork;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** Where a subscription delivers events: work outside a transaction, then work inside the checkpoint's one. */
interface Sink<E> {

    /** Runs the handlers that work outside any transaction. */
    void deliver(EventRecord<E> record, ProjectionStatus status, SubscriptionStorage storage) throws Exception;

    /**
     * The work to run on the store's connection for this event, in the transaction that moves the checkpoint, or
     * {@code null} if there is none. Everything it needs from the store is read before, so the transaction holds
     * one connection only.
     */
    @Nullable TransactionWork transactionalWork(EventRecord<E> record, ProjectionStatus status,
            SubscriptionStorage storage);

    static <E> Sink<E> of(EventHandler<E> handler) {
        return new Sink<>() {
            @Override
            public void deliver(EventRecord<E> record, ProjectionStatus status, SubscriptionStorage storage)
                    throws Exception {
                handler.handle(record, status);
            }

            @Override
            public @Nullable TransactionWork transactionalWork(EventRecord<E> record, ProjectionStatus status,
                    SubscriptionStorage storage) {
                return null;
            }
        };
    }

    static <E> Sink<E> of(TransactionalHandler<E> handler) {
        return new Sink<>() {
            @Override
            public void deliver(EventRecord<E> record, ProjectionStatus status, SubscriptionStorage storage) {
            }

            @Override
            public TransactionWork transactionalWork(EventRecord<E> record, ProjectionStatus status,
                    SubscriptionStorage storage) {
                return connection -> {
                    handler.handle(record, status, connection);
                    return List.of();
                };
            }
        };
    }
}
