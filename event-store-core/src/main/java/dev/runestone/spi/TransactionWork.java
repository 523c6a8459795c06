package dev.runestone.spi;

import java.sql.Connection;
import java.util.List;

/** Work that runs inside the transaction that also commits a subscription's checkpoint. */
@FunctionalInterface
public interface TransactionWork {

    /**
     * Runs on the transaction's connection; must neither commit nor roll back.
     *
     * @return the once-ledger keys to record for the event in the same transaction; empty for none
     */
    List<String> run(Connection connection) throws Exception;
}
