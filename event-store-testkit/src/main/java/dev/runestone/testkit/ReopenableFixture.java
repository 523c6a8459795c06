package dev.runestone.testkit;

import dev.runestone.spi.StorageAdapter;

/**
 * A fixture whose storage outlives the adapter: it can be closed and opened again with everything still there, and
 * opened by several adapters at once, as by several processes. What {@link DurabilitySuite} and
 * {@link SubscriptionInstancesSuite} need; an in-memory store cannot provide it and so does not run those suites.
 *
 * <pre>{@code
 * @TempDir Path dir;
 *
 * @Override
 * protected ReopenableFixture fixture() {
 *     return () -> {
 *         Path file = dir.resolve(UUID.randomUUID() + ".db");
 *         return () -> SqliteStorage.file(file);
 *     };
 * }
 * }</pre>
 */
@FunctionalInterface
public interface ReopenableFixture extends EventStoreFixture {

    /** Creates new, empty storage that adapters can be opened on, one after another. */
    Database createDatabase();

    /** Opens an adapter on a new database. */
    @Override
    default StorageAdapter open() {
        return createDatabase().open();
    }

    /** Storage that keeps its content between adapters, such as a file or a database schema. */
    @FunctionalInterface
    interface Database {

        /**
         * Opens an adapter on this storage, with everything earlier adapters wrote. {@link DurabilitySuite} closes
         * each adapter before it opens the next; {@link SubscriptionInstancesSuite} keeps several open at once.
         */
        StorageAdapter open();
    }
}
