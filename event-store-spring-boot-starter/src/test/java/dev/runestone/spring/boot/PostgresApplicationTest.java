package dev.runestone.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.runestone.EventRecord;
import dev.runestone.EventStore;
import dev.runestone.testkit.events.TestEvent;
import dev.runestone.testkit.events.UserCreated;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator.ReplaceUnderscores;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * An application with a PostgreSQL DataSource: the store keeps its tables in the configured schema there, and a
 * transactional subscription's JDBC writes commit or roll back with its checkpoint.
 */
@SpringBootTest(classes = TestApplication.class, properties = {TestApplication.REGISTRY, TestApplication.EXPOSE_ENDPOINT,
        "runestone.subscriptions.welcome.attempts=1", "runestone.subscriptions.welcome.backoff=10ms"})
@Import(PostgresApplicationTest.Handlers.class)
@DirtiesContext
@DisplayNameGeneration(ReplaceUnderscores.class)
class PostgresApplicationTest {

    private static final String SCHEMA = TestDatabase.newSchema();

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) throws SQLException {
        try (Connection connection = DriverManager.getConnection(TestDatabase.url());
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE SCHEMA " + SCHEMA);
            statement.execute("CREATE TABLE " + SCHEMA + ".welcomed (name text PRIMARY KEY)");
        }
        registry.add("spring.datasource.url", TestDatabase::url);
        registry.add("runestone.postgres.schema", () -> SCHEMA);
    }

    /** Stopped before the schema is dropped, so that no subscription reads a schema that is gone. */
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

    /** Welcomes each new user with a row, through JdbcTemplate; refuses names starting with "Refused" while told. */
    @TestConfiguration
    static class Handlers {

        volatile boolean refusing = true;

        @Bean
        Welcome welcome(JdbcTemplate jdbc) {
            return new Welcome(jdbc, this);
        }
    }

    static class Welcome {

        /** What Spring told the synchronizations the handler registered. */
        static final List<Integer> COMPLETIONS = new CopyOnWriteArrayList<>();

        private final JdbcTemplate jdbc;
        private final Handlers handlers;

        Welcome(JdbcTemplate jdbc, Handlers handlers) {
            this.jdbc = jdbc;
            this.handlers = handlers;
        }

        @RunestoneSubscription(value = "welcome", transactional = true)
        void welcome(UserCreated created) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCompletion(int status) {
                    COMPLETIONS.add(status);
                }
            });
            String name = created.data().name().given();
            jdbc.update("INSERT INTO " + SCHEMA + ".welcomed (name) VALUES (?)", name);
            if (handlers.refusing && name.startsWith("Refused")) {
                throw new IllegalStateException("refusing " + name + " after writing its row");
            }
        }
    }

    @Autowired
    EventStore<TestEvent> store;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    Handlers handlers;

    @Autowired
    RunestoneEndpoint endpoint;

    @Test
    void the_store_keeps_its_tables_in_the_configured_schema_of_the_application_database() {
        store.append("user-pg", Events.created("Pat"));

        assertThat(jdbc.queryForObject("SELECT count(*) FROM " + SCHEMA + ".events", Long.class)).isPositive();
    }

    @Test
    void a_transactional_handler_writes_in_the_checkpoint_transaction_and_the_endpoint_retries_what_it_parked() {
        EventRecord<TestEvent> refused = store.append("user-refused", Events.created("Refused")).records().getFirst();
        store.append("user-ada", Events.created("Ada"));

        await().atMost(Duration.ofSeconds(30)).until(() -> welcomed().contains("Ada"));
        assertThat(welcomed()).as("the row written before the handler failed rolled back with it")
                .doesNotContain("Refused");
        Map<String, Object> welcome = endpoint.subscription("welcome");
        assertThat(welcome).containsEntry("parkedCount", 1);
        assertThat(parkedIds(welcome)).containsExactly(refused.id().toString());

        handlers.refusing = false;
        assertThat(endpoint.retry("welcome", refused.id())).containsEntry("retried", true);

        assertThat(welcomed()).contains("Refused");
        assertThat(Welcome.COMPLETIONS).as("never told of a commit the store had not made yet").isNotEmpty()
                .containsOnly(TransactionSynchronization.STATUS_UNKNOWN);
        assertThat(endpoint.subscription("welcome")).containsEntry("parkedCount", 0);
        assertThat(endpoint.retry("no-such-subscription", UUID.randomUUID())).containsEntry("retried", false)
                .containsKey("reason");
        assertThat(endpoint.retry("welcome", UUID.randomUUID())).as("an event it has not parked")
                .containsEntry("retried", false).containsKey("reason");
        assertThat(endpoint.discard("welcome", refused.id())).as("no longer parked").containsEntry("discarded", false);
    }

    private List<String> welcomed() {
        return jdbc.queryForList("SELECT name FROM " + SCHEMA + ".welcomed", String.class);
    }

    @SuppressWarnings("unchecked")
    private static List<Object> parkedIds(Map<String, Object> subscription) {
        return ((List<Map<String, Object>>) subscription.get("parked")).stream()
                .map(row -> row.get("eventId")).toList();
    }
}
