package dev.runestone.test;

/** The same tests on PostgreSQL, each store in a schema of its own: the fixtures behave and report alike. */
class PostgresTestEventStoreTest extends TestEventStoreSuite {

    @Override
    TestStorage storage() {
        return new PostgresTestStorage();
    }
}
