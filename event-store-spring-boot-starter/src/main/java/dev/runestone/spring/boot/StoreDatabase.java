package dev.runestone.spring.boot;

import dev.runestone.spi.StorageAdapter;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * The storage the starter opened, and the application's DataSource when the storage uses it: subscriptions bind
 * their transaction's connection to that DataSource so that Spring's JDBC code joins it.
 */
record StoreDatabase(StorageAdapter adapter, @Nullable DataSource dataSource) {
}
