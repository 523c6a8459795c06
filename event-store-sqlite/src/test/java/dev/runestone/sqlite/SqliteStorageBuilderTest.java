package dev.runestone.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class SqliteStorageBuilderTest {

    @TempDir
    Path directory;

    @Test
    void asks_where_the_store_lives_before_building() {
        assertThatThrownBy(() -> SqliteStorage.builder().build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("file(path) or inMemory()");
    }

    @Test
    void refuses_a_negative_busy_timeout() {
        assertThatThrownBy(() -> SqliteStorage.builder().busyTimeout(Duration.ofMillis(-1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("busyTimeout");
    }

    @Test
    void the_last_choice_of_location_wins() {
        Path file = directory.resolve("events.db");

        try (SqliteStorage storage = SqliteStorage.builder().file(file).inMemory().build()) {
            assertThat(storage.toString()).contains(":memory:");
        }
        try (SqliteStorage storage = SqliteStorage.builder().inMemory().file(file).tablePrefix("app_").build()) {
            assertThat(storage.toString()).contains(file.toString()).contains("'app_'");
        }
    }

    @Test
    void each_in_memory_store_is_a_separate_database() {
        try (SqliteStorage first = SqliteStorage.inMemory(); SqliteStorage second = SqliteStorage.inMemory()) {
            first.append(TestEvents.request(TestEvents.event("s", "t", TestEvents.created(1))));

            assertThat(second.streamVersion("s")).isZero();
        }
    }
}
