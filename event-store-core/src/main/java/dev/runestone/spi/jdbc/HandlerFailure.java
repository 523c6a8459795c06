package dev.runestone.spi.jdbc;

import dev.runestone.spi.TransactionWork;

/**
 * A subscription handler's own failure, kept apart from the database's while it crosses an adapter's mapping of
 * {@link java.sql.SQLException}s: a handler that fails with an SQL error of its own (a constraint of its read model,
 * a mistake in its SQL) must reach the subscription as the handler's failure, to be retried and then parked, and
 * not be taken for the database failing, which a subscription retries without end.
 *
 * <pre>{@code
 * try {
 *     return inTransaction(connection -> commitWith(connection, HandlerFailure.marking(work)));
 * } catch (HandlerFailure failure) {
 *     throw failure.handlerError();
 * }
 * }</pre>
 */
public final class HandlerFailure extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private HandlerFailure(Exception handlerError) {
        super(null, handlerError, false, false);
    }

    /** {@code work}, with whatever it throws wrapped as a {@code HandlerFailure}. */
    public static TransactionWork marking(TransactionWork work) {
        return connection -> {
            try {
                return work.run(connection);
            } catch (Exception e) {
                throw new HandlerFailure(e);
            }
        };
    }

    /** What the handler threw. */
    public Exception handlerError() {
        return (Exception) getCause();
    }
}
