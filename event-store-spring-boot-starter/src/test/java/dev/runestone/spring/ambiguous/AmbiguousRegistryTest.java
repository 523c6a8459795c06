package dev.runestone.spring.ambiguous;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator.ReplaceUnderscores;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/** Two event interfaces and no property: the start fails naming both and the property that picks one. */
@ExtendWith(OutputCaptureExtension.class)
@DisplayNameGeneration(ReplaceUnderscores.class)
class AmbiguousRegistryTest {

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class Application {
    }

    @TempDir
    Path directory;

    @Test
    void two_event_interfaces_and_no_property(CapturedOutput output) {
        SpringApplicationBuilder application = new SpringApplicationBuilder(Application.class).properties(
                "spring.autoconfigure.exclude=org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
                "runestone.sqlite.path=" + directory.resolve("events.db"));

        assertThatThrownBy(application::run).hasStackTraceContaining("RunestoneConfigurationException");
        assertThat(output).contains("APPLICATION FAILED TO START").contains("Property: runestone.registry")
                .contains(First.class.getName()).contains(Second.class.getName());
    }
}
