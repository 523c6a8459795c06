package dev.runestone.postgres;

import static dev.runestone.postgres.TestEvents.event;
import static dev.runestone.postgres.TestEvents.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.runestone.StorageException;
import dev.runestone.spi.StoredEvent;
import java.net.ServerSocket;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Configuring a store: where it connects, which schema it uses, and what it refuses. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class PostgresStorageBuilderTest {

    private static final TestServer SERVER = TestServer.get();

    @Nested
    class Schema_names {

        @ParameterizedTest
        @ValueSource(strings = {"Runestone", "public; DROP SCHEMA public CASCADE", "x\"; --", "a-b", "1abc", "",
                " runestone", "runestone ", "schéma", "a.b", "runestone_events_with_a_name_longer_than_forty",
                "pg_catalog", "pg_anything"})
        void refuses_a_hostile_or_unusable_name_before_connecting(String schema) {
            assertThatThrownBy(() -> PostgresStorage.builder().schema(schema))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("Invalid schema '" + schema + "'");
        }

        @ParameterizedTest
        @ValueSource(strings = {"select", "user", "order", "table", "_"})
        void accepts_a_name_that_is_an_sql_keyword_because_it_quotes_it(String schema) throws Exception {
            assertThat(SERVER.queryLong("SELECT count(*) FROM pg_namespace WHERE nspname = ?", schema))
                    .as("the test server has no schema '%s' of its own, which this test would drop", schema).isZero();
            try (PostgresStorage storage = SERVER.open(schema)) {
                storage.append(request(event("s", 1)));
                assertThat(storage.readLog(0, 10)).hasSize(1);
                assertThat(storage.schema()).isEqualTo(schema);
            } finally {
                SERVER.dropSchema(schema);
            }
        }
    }

    @Nested
    class Connecting {

        @Test
        void refuses_a_url_of_another_database() {
            assertThatThrownBy(() -> PostgresStorage.builder().jdbcUrl("jdbc:sqlite:events.db"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("jdbc:postgresql:");
        }

        @Test
        void needs_to_be_told_where_the_database_is() {
            assertThatThrownBy(() -> PostgresStorage.builder().build())
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("jdbcUrl");
        }

        @Test
        void reports_an_unreachable_server_without_revealing_the_password() throws Exception {
            int port;
            try (ServerSocket socket = new ServerSocket(0)) {
                port = socket.getLocalPort();
            }
            String url = "jdbc:postgresql://127.0.0.1:" + port + "/nowhere?user=someone&password=s3cret";

            assertThatThrownBy(() -> PostgresStorage.builder().jdbcUrl(url).schema("unreachable")
                    .connectionTimeout(Duration.ofSeconds(1)).build())
                    .isInstanceOf(StorageException.class)
                    .hasMessageContaining("jdbc:postgresql://127.0.0.1:" + port + "/nowhere")
                    .hasMessageContaining("Check that the server is running")
                    .message().doesNotContain("s3cret");
        }

        @Test
        void names_database_and_schema_but_no_credentials_in_to_string() {
            String schema = SERVER.newSchema();
            try (PostgresStorage storage = SERVER.open(schema)) {
                assertThat(storage.toString()).contains(schema).contains("jdbc:postgresql:").doesNotContain("?");
            } finally {
                SERVER.dropSchema(schema);
            }
        }

        @Test
        void leaves_pool_options_to_a_data_source_of_yours() {
            HikariDataSource dataSource = new HikariDataSource();
            try (dataSource) {
                assertThatThrownBy(() -> PostgresStorage.builder().dataSource(dataSource).poolSize(3).build())
                        .isInstanceOf(IllegalStateException.class)
                        .hasMessageContaining("configure them there");
            }
        }
    }

    @Nested
    class On_a_data_source_of_yours {

        @Test
        void appends_and_reads_through_it_commits_even_when_its_connections_do_not_and_leaves_it_open()
                throws Exception {
            String schema = SERVER.newSchema();
            HikariConfig config = new HikariConfig();
            config.setJdbcUrl(SERVER.jdbcUrl());
            config.setAutoCommit(false);
            config.setMaximumPoolSize(3);
            try (HikariDataSource dataSource = new HikariDataSource(config)) {
                StoredEvent stored;
                try (PostgresStorage storage = PostgresStorage.builder().dataSource(dataSource).schema(schema)
                        .build()) {
                    stored = storage.append(request(event("s", 1))).stored().getFirst();
                    assertThat(storage.awaitEvents(0, Duration.ofSeconds(30))).isTrue();
                }

                try (Connection connection = dataSource.getConnection(); Statement statement =
                        connection.createStatement(); ResultSet row = statement.executeQuery(
                                "SELECT count(*) FROM \"" + schema + "\".events")) {
                    row.next();
                    assertThat(row.getLong(1)).as("visible to others: committed").isEqualTo(1);
                    connection.rollback();
                }
                assertThat(dataSource.isClosed()).isFalse();
                assertThat(dataSource.getHikariPoolMXBean().getActiveConnections())
                        .as("every connection went back, the listening one too").isZero();
                try (PostgresStorage again = PostgresStorage.builder().dataSource(dataSource).schema(schema)
                        .build()) {
                    assertThat(again.readLog(0, 10)).containsExactly(stored);
                }
            } finally {
                SERVER.dropSchema(schema);
            }
        }
    }
}
