package dev.runestone.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.runestone.EventStore;
import dev.runestone.testkit.events.TestEvent;
import dev.runestone.testkit.events.UserCreated;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator.ReplaceUnderscores;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * An application whose DataSource is an SQLite file: the store keeps its tables in that file, and a transactional
 * subscription's JdbcTemplate writes go through the store's own connection, in the checkpoint's transaction (SQLite
 * lets one connection write at a time: a second connection would wait for the very transaction it runs in).
 */
@SpringBootTest(classes = TestApplication.class, properties = {TestApplication.REGISTRY,
        "runestone.subscriptions.greeted.attempts=1", "runestone.subscriptions.greeted.backoff=10ms"})
@Import(SqliteDataSourceTest.Handlers.class)
// Closes the context after the class, before its temporary directory and the store's file in it are deleted.
@DirtiesContext
@DisplayNameGeneration(ReplaceUnderscores.class)
class SqliteDataSourceTest {

    @TempDir
    static Path directory;

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) throws SQLException {
        String url = "jdbc:sqlite:" + directory.resolve("app.db");
        try (Connection connection = DriverManager.getConnection(url);
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE greeted (name TEXT PRIMARY KEY)");
        }
        registry.add("spring.datasource.url", () -> url);
    }

    /** Greets each new user with a row, through JdbcTemplate; refuses names starting with "Refused". */
    @TestConfiguration
    static class Handlers {

        @Bean
        Greeter greeter(JdbcTemplate jdbc) {
            return new Greeter(jdbc);
        }
    }

    static class Greeter {

        private final JdbcTemplate jdbc;

        Greeter(JdbcTemplate jdbc) {
            this.jdbc = jdbc;
        }

        @RunestoneSubscription(value = "greeted", transactional = true)
        void greet(UserCreated created) {
            String name = created.data().name().given();
            jdbc.update("INSERT INTO greeted (name) VALUES (?)", name);
            if (name.startsWith("Refused")) {
                throw new IllegalStateException("refusing " + name + " after writing its row");
            }
        }
    }

    @Autowired
    EventStore<TestEvent> store;

    @Autowired
    JdbcTemplate jdbc;

    @Test
    void the_store_keeps_its_events_in_the_datasources_file_and_handlers_write_in_the_checkpoint_transaction() {
        store.append("user-refused", Events.created("Refused"));
        store.append("user-ada", Events.created("Ada"));

        await().atMost(Duration.ofSeconds(30)).until(() -> greeted().contains("Ada"));
        assertThat(greeted()).as("the row written before the handler failed rolled back with it")
                .doesNotContain("Refused");
        assertThat(store.subscriptions().parked("greeted")).hasSize(1);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM runestone_events", Long.class)).isEqualTo(2);
    }

    private List<String> greeted() {
        return jdbc.queryForList("SELECT name FROM greeted", String.class);
    }
}
