package dev.runestone.spring.boot;

import java.sql.Connection;
import javax.sql.DataSource;
import org.springframework.jdbc.datasource.ConnectionHolder;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Makes the connection of a subscription's checkpoint transaction Spring's current transaction on the DataSource
 * the store uses, while a transactional handler runs: {@code JdbcTemplate} uses it and {@code @Transactional}
 * methods (propagation {@code REQUIRED}) join it. Loaded only when spring-jdbc is on the classpath.
 */
final class TransactionBinding {

    /** What runs while the connection is bound. */
    @FunctionalInterface
    interface Work {
        void run() throws Exception;
    }

    private TransactionBinding() {
    }

    static void run(DataSource dataSource, Connection connection, Work work) throws Exception {
        if (TransactionSynchronizationManager.hasResource(dataSource)) {
            throw new IllegalStateException("A Spring transaction is already bound to the store's DataSource on "
                    + "this thread; a subscription's handler runs in the subscription's own transaction.");
        }
        ActiveConnection holder = new ActiveConnection(connection);
        TransactionSynchronizationManager.bindResource(dataSource, holder);
        try {
            work.run();
            if (holder.isRollbackOnly()) {
                throw new IllegalStateException("A @Transactional method called by the handler rolled back its "
                        + "part; the whole transaction, checkpoint included, rolls back and the event is retried.");
            }
        } finally {
            TransactionSynchronizationManager.unbindResource(dataSource);
        }
    }

    /** A holder that tells Spring a transaction is in progress on its connection, so that callers join it. */
    private static final class ActiveConnection extends ConnectionHolder {

        ActiveConnection(Connection connection) {
            super(connection);
            setTransactionActive(true);
        }
    }
}
