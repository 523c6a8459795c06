package dev.runestone.examples.bank;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import dev.runestone.spring.boot.RunestoneSubscriptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The bank service with the {@code postgres} profile, on the test server: events and read model in a schema of this
 * test's own, dropped afterwards.
 */
@ActiveProfiles("postgres")
class PostgresBankApplicationTest extends BankApplicationSuite {

    private static final String SCHEMA = TestDatabase.newSchema();

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) throws SQLException {
        try (Connection connection = DriverManager.getConnection(TestDatabase.url());
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE SCHEMA " + SCHEMA);
        }
        registry.add("spring.datasource.url", TestDatabase::url);
        // The read model's table goes to the connections' current schema, the events to the store's.
        registry.add("spring.datasource.hikari.schema", () -> SCHEMA);
        registry.add("runestone.postgres.schema", () -> SCHEMA);
    }

    /**
     * Stopped before the schema is dropped, so that no subscription reads a schema that is gone; the application
     * closes after this class, as {@code @DirtiesContext} says.
     */
    private static RunestoneSubscriptions running;

    @Autowired
    void keep(RunestoneSubscriptions subscriptions) {
        running = subscriptions;
    }

    @AfterAll
    static void stopTheSubscriptionsThenDropTheSchema() throws SQLException {
        if (running != null) {
            running.stop();
        }
        try (Connection connection = DriverManager.getConnection(TestDatabase.url());
                Statement statement = connection.createStatement()) {
            statement.execute("DROP SCHEMA " + SCHEMA + " CASCADE");
        }
    }

    @Autowired
    JdbcTemplate jdbc;

    @Test
    void the_events_and_the_read_model_are_in_the_configured_schema() {
        assertThat(jdbc.queryForList("SELECT table_name FROM information_schema.tables WHERE table_schema = ?",
                String.class, SCHEMA)).contains("accounts", "events", "subscriptions");
    }
}
