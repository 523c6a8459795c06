package dev.runestone.micrometer;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The PostgreSQL server of the tests: {@code RUNESTONE_POSTGRES_URL} if set (CI sets it), else an embedded server
 * started once per JVM, as in the PostgreSQL adapter's tests.
 */
final class TestDatabase {

    private static String url;

    private TestDatabase() {
    }

    static synchronized String url() {
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
                            + "RUNESTONE_POSTGRES_URL", e);
                }
            }
        }
        return url;
    }

    /** A schema name no other test uses. */
    static String newSchema() {
        byte[] random = new byte[6];
        ThreadLocalRandom.current().nextBytes(random);
        return "rs_metrics_" + HexFormat.of().formatHex(random);
    }

    static void dropSchema(String schema) throws SQLException {
        try (Connection connection = DriverManager.getConnection(url());
                Statement statement = connection.createStatement()) {
            statement.execute("DROP SCHEMA IF EXISTS \"" + schema + "\" CASCADE");
        }
    }
}
