package dev.runestone.sqlite;

/** The adapter contract on an in-memory store: one connection serves every call. */
class InMemorySqliteStorageTest extends SqliteAdapterContract {

    @Override
    SqliteStorage open() {
        return SqliteStorage.inMemory();
    }
}
