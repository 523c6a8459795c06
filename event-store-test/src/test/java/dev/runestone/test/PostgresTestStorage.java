package dev.runestone.test;

import dev.runestone.postgres.PostgresStorage;
import dev.runestone.spi.StorageAdapter;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import org.jspecify.annotations.Nullable;

/**
 * PostgreSQL for the fixtures' tests: the server {@code RUNESTONE_POSTGRES_URL} names (CI sets it), else an embedded
 * one started once per JVM, as in the other modules' tests. Each store gets a schema of its own, which is also the
 * connections' current schema, so the tables its handlers create land there too; the schema is dropped when the
 * store closes.
 */
final class PostgresTestStorage implements TestStorage {

    private static @Nullable String url;

    @Override
    public StorageAdapter open() {
        byte[] random = new byte[6];
        ThreadLocalRandom.current().nextBytes(random);
        String schema = "rs_fixture_" + HexFormat.of().formatHex(random);
        String server = url();
        return PostgresStorage.builder().jdbcUrl(server + (server.contains("?") ? "&" : "?") + "currentSchema="
                + schema).schema(schema).poolSize(4).build();
    }

    @Override
    public void discard(StorageAdapter closed) {
        try (Connection connection = DriverManager.getConnection(url());
                Statement statement = connection.createStatement()) {
            statement.execute("DROP SCHEMA IF EXISTS " + ((PostgresStorage) closed).schema() + " CASCADE");
        } catch (SQLException e) {
            throw new IllegalStateException("Could not drop the test schema " + ((PostgresStorage) closed).schema(),
                    e);
        }
    }

    private static synchronized String url() {
        if (url == null) {
            String given = System.getenv("RUNESTONE_POSTGRES_URL");
            if (given != null && !given.isBlank()) {
                url = given.strip();
            } else {
                try {
                    EmbeddedPostgres server = EmbeddedPostgres.start();
                    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                        try {
                            server.close();
                        } catch (IOException ignored) {
                            // The JVM is exiting.
                        }
                    }));
                    url = server.getJdbcUrl("postgres", "postgres");
                } catch (IOException e) {
                    throw new UncheckedIOException("Could not start an embedded PostgreSQL; set "
                            + "RUNESTONE_POSTGRES_URL to a server's JDBC URL", e);
                }
            }
        }
        return url;
    }
}
