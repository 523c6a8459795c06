package dev.runestone.test;

/** The fixtures on their default storage: an in-memory SQLite database per test. */
class SqliteTestEventStoreTest extends TestEventStoreSuite {

    @Override
    TestStorage storage() {
        return TestStorage.sqliteInMemory();
    }
}
