package dev.runestone.spring.detected;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runestone.EventStore;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator.ReplaceUnderscores;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** An application with no Runestone property at all: the store reads the one event interface in its packages. */
@SpringBootTest(classes = DetectedRegistryTest.Application.class, properties =
        "spring.autoconfigure.exclude=org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration")
// Closes the context after the class, before its temporary directory and the store's file in it are deleted.
@DirtiesContext
@DisplayNameGeneration(ReplaceUnderscores.class)
class DetectedRegistryTest {

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class Application {
    }

    @TempDir
    static Path directory;

    @DynamicPropertySource
    static void storeFile(DynamicPropertyRegistry registry) {
        // Only so that the test leaves no runestone.db in the working directory.
        registry.add("runestone.sqlite.path", () -> directory.resolve("events.db").toString());
    }

    @Autowired
    EventStore<Greeting> store;

    @Test
    void the_generated_interface_of_the_applications_packages_is_the_registry() {
        store.append("greeting-1", new Greeting.Said("hello"));

        assertThat(store.registry().eventType()).isEqualTo(Greeting.class);
        assertThat(store.read("greeting-1")).extracting(record -> record.event())
                .containsExactly(new Greeting.Said("hello"));
    }
}
