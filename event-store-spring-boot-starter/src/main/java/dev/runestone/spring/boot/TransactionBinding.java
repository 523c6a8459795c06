package dev.runestone.spring.boot;

import java.sql.Connection;
import java.util.List;
import javax.sql.DataSource;
import org.springframework.jdbc.datasource.ConnectionHolder;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionSynchronizationUtils;

/**
 * Makes the connection of a subscription's checkpoint transaction Spring's current transaction on the DataSource
 * the store uses, while a transactional handler runs: {@code JdbcTemplate} uses it and {@code @Transactional}
 * methods (propagation {@code REQUIRED}, under a DataSource or JDBC transaction manager) join it. Synchronizations
 * they register get {@code beforeCommit} and {@code beforeCompletion} when the handler succeeds, and
 * {@code afterCompletion} with an unknown status: the store commits after the handler returns, where Spring cannot
 * see it, so nothing hears of a commit that might still fail. Loaded only when spring-jdbc is on the classpath.
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
        holder.setSynchronizedWithTransaction(true);
        TransactionSynchronizationManager.bindResource(dataSource, holder);
        TransactionSynchronizationManager.initSynchronization();
        TransactionSynchronizationManager.setActualTransactionActive(true);
        boolean succeeded = false;
        try {
            work.run();
            if (holder.isRollbackOnly()) {
                throw new IllegalStateException("A @Transactional method called by the handler rolled back its "
                        + "part; the whole transaction, checkpoint included, rolls back and the event is retried.");
            }
            TransactionSynchronizationUtils.triggerBeforeCommit(false);
            succeeded = true;
        } finally {
            try {
                if (succeeded) {
                    TransactionSynchronizationUtils.triggerBeforeCompletion();
                }
                // The store commits after the handler returns, out of Spring's sight: what was registered hears
                // that the outcome is unknown, never a commit that may yet fail.
                List<TransactionSynchronization> registered = TransactionSynchronizationManager.getSynchronizations();
                TransactionSynchronizationManager.clearSynchronization();
                TransactionSynchronizationUtils.invokeAfterCompletion(registered,
                        TransactionSynchronization.STATUS_UNKNOWN);
            } finally {
                TransactionSynchronizationManager.setActualTransactionActive(false);
                TransactionSynchronizationManager.unbindResource(dataSource);
            }
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
