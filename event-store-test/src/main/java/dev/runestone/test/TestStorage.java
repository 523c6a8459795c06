package dev.runestone.test;

import dev.runestone.spi.StorageAdapter;
import dev.runestone.sqlite.SqliteStorage;

/**
 * Where a {@link TestEventStore} keeps its events: fresh, empty storage for every test. The default is an in-memory
 * SQLite store, which needs nothing installed and is gone when the test ends.
 *
 * <p>To run the same tests on another database, write a {@code TestStorage} with a public constructor without
 * parameters and name it in the system property {@value #PROPERTY}; no test changes. For PostgreSQL, a schema of its
 * own per test:
 *
 * <pre>{@code
 * public final class PostgresTestStorage implements TestStorage {
 *     private static final String URL = System.getenv("TEST_POSTGRES_URL");
 *
 *     public StorageAdapter open() {
 *         String schema = "test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 20);
 *         // currentSchema: tables that handlers create on the store's connection land in the schema too.
 *         return PostgresStorage.builder().jdbcUrl(URL + "&currentSchema=" + schema).schema(schema).build();
 *     }
 *
 *     public void discard(StorageAdapter closed) {
 *         try (Connection connection = DriverManager.getConnection(URL);
 *                 Statement statement = connection.createStatement()) {
 *             statement.execute("DROP SCHEMA " + ((PostgresStorage) closed).schema() + " CASCADE");
 *         } catch (SQLException e) {
 *             throw new IllegalStateException(e);
 *         }
 *     }
 * }
 * }</pre>
 *
 * <pre>{@code ./mvnw test -Drunestone.test.storage=com.example.PostgresTestStorage}</pre>
 *
 * <p>Or pass one to {@link TestEventStore#of(dev.runestone.registry.EventRegistry, TestStorage)}. Implementations are
 * called from the test's thread only.
 */
@FunctionalInterface
public interface TestStorage {

    /** The system property that names the class of the {@code TestStorage} {@link #configured()} makes. */
    String PROPERTY = "runestone.test.storage";

    /**
     * Opens new, empty storage that shares nothing with storage opened before: tests must not see each other's
     * events. The {@link TestEventStore} closes it after the test.
     */
    StorageAdapter open();

    /**
     * Removes what {@link #open()} made for {@code closed} (a schema, a file), after the store on it closed. Does
     * nothing by default: an in-memory store is gone once closed.
     */
    default void discard(StorageAdapter closed) {
    }

    /** A private in-memory SQLite database per store: the default. */
    static TestStorage sqliteInMemory() {
        return SqliteStorage::inMemory;
    }

    /**
     * The storage the system property {@value #PROPERTY} names by class, made with its public constructor without
     * parameters; {@link #sqliteInMemory()} when the property is not set.
     *
     * @throws IllegalStateException if the named class cannot be found, does not implement {@code TestStorage}, or
     *                               cannot be made
     */
    static TestStorage configured() {
        String name = System.getProperty(PROPERTY, "").strip();
        if (name.isEmpty()) {
            return sqliteInMemory();
        }
        String fix = "; name a class on the test class path that implements " + TestStorage.class.getName()
                + " and has a public constructor without parameters, or leave the property unset for an in-memory "
                + "SQLite store";
        Class<?> type;
        try {
            ClassLoader loader = Thread.currentThread().getContextClassLoader();
            type = Class.forName(name, true, loader != null ? loader : TestStorage.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("The system property " + PROPERTY + " names the class " + name
                    + ", which was not found" + fix, e);
        }
        if (!TestStorage.class.isAssignableFrom(type)) {
            throw new IllegalStateException("The system property " + PROPERTY + " names the class " + name
                    + ", which does not implement TestStorage" + fix);
        }
        try {
            return (TestStorage) type.getConstructor().newInstance();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("The system property " + PROPERTY + " names the class " + name
                    + ", which could not be made with a public constructor without parameters" + fix, e);
        }
    }
}
