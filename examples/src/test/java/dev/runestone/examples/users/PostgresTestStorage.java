package dev.runestone.examples.users;

import dev.runestone.postgres.PostgresStorage;
import dev.runestone.spi.StorageAdapter;
import dev.runestone.test.TestStorage;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/**
 * Runs the fixture tests on the PostgreSQL server {@code RUNESTONE_POSTGRES_URL} names, each store in a schema of its
 * own, dropped when the store closes:
 * {@code ./mvnw -pl examples -am test -Drunestone.test.storage=dev.runestone.examples.users.PostgresTestStorage}.
 */
public final class PostgresTestStorage implements TestStorage {

    @Override
    public StorageAdapter open() {
        String schema = "examples_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        String url = url();
        // The connections' current schema too, so that tables the handlers make land in the schema.
        return PostgresStorage.builder().jdbcUrl(url + (url.contains("?") ? "&" : "?") + "currentSchema=" + schema)
                .schema(schema).build();
    }

    @Override
    public void discard(StorageAdapter closed) {
        String schema = ((PostgresStorage) closed).schema();
        try (Connection connection = DriverManager.getConnection(url());
                Statement statement = connection.createStatement()) {
            statement.execute("DROP SCHEMA " + schema + " CASCADE");
        } catch (SQLException e) {
            throw new IllegalStateException("Could not drop the test schema " + schema, e);
        }
    }

    private static String url() {
        String url = System.getenv("RUNESTONE_POSTGRES_URL");
        if (url == null || url.isBlank()) {
            throw new IllegalStateException("Set RUNESTONE_POSTGRES_URL to the JDBC URL of a PostgreSQL server, e.g. "
                    + "jdbc:postgresql://127.0.0.1:5432/test?user=postgres");
        }
        return url.strip();
    }
}
