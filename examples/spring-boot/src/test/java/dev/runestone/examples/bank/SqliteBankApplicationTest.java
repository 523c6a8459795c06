package dev.runestone.examples.bank;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The bank service as it starts by default: events and read model in one SQLite file, here a fresh one. */
class SqliteBankApplicationTest extends BankApplicationSuite {

    @TempDir
    static Path directory;

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", () -> "jdbc:sqlite:" + directory.resolve("bank.db"));
    }

    @Autowired
    JdbcTemplate jdbc;

    @Test
    void the_events_and_the_read_model_share_the_configured_file() {
        assertThat(jdbc.queryForList("SELECT name FROM sqlite_master WHERE type = 'table'", String.class))
                .contains("accounts", "runestone_events", "runestone_subscriptions");
        String file = jdbc.queryForObject("PRAGMA database_list", (row, index) -> row.getString("file"));
        assertThat(file).isEqualTo(directory.resolve("bank.db").toString());
    }
}
