package dev.runestone.sqlite;

/** What only SQLite does, on an in-memory store: one connection serves every call. */
class InMemorySqliteStorageTest extends SqliteStorageTest {

    @Override
    SqliteStorage open() {
        return SqliteStorage.inMemory();
    }
}
