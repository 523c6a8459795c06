package dev.runestone.testkit;

import dev.runestone.spi.StorageAdapter;

/**
 * What an adapter's conformance tests supply to the suites: fresh, empty storage for every test.
 *
 * <pre>{@code
 * class SqliteAppendTest extends AppendSuite {
 *     @Override
 *     protected EventStoreFixture fixture() {
 *         return SqliteStorage::inMemory;
 *     }
 * }
 * }</pre>
 *
 * <p>Must be safe to call from the test thread only; the adapters it opens must be thread-safe as usual.
 */
@FunctionalInterface
public interface EventStoreFixture {

    /**
     * Opens a new adapter on empty storage, tables created, sharing nothing with adapters opened before: tests must
     * not see each other's events. A suite may open several in one test and closes every one it opens.
     */
    StorageAdapter open();
}
