package dev.runestone.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator.ReplaceUnderscores;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/** A wrong property stops the start with Spring Boot's failure report naming the property and the fix. */
@ExtendWith(OutputCaptureExtension.class)
@DisplayNameGeneration(ReplaceUnderscores.class)
class StartupFailureTest {

    @TempDir
    Path directory;

    @Test
    void an_unknown_registry_class(CapturedOutput output) {
        assertStartFails(output, "runestone.registry",
                "no class of that name is on the classpath", "runestone.registry=com.acme.NoSuchEvent");
    }

    @Test
    void no_registry_at_all(CapturedOutput output) {
        assertStartFails(output, "runestone.registry", "hold no generated event interface");
    }

    @Test
    void a_class_that_is_not_a_generated_event_interface(CapturedOutput output) {
        assertStartFails(output, "runestone.registry", "has no static registry() method",
                "runestone.registry=java.lang.String");
    }

    @Test
    void a_bad_schema_name(CapturedOutput output) {
        assertStartFails(output, "runestone.postgres.schema", "plain name", TestApplication.REGISTRY,
                "spring.autoconfigure.exclude=", "spring.datasource.url=" + TestDatabase.url(),
                "runestone.postgres.schema=pg_catalog");
    }

    @Test
    void settings_for_a_subscription_nothing_declares(CapturedOutput output) {
        assertStartFails(output, "runestone.subscriptions.welcom", "configures a subscription no bean declares",
                TestApplication.REGISTRY, "runestone.subscriptions.welcom.partitions=4");
    }

    @Test
    void a_subscription_setting_the_store_refuses(CapturedOutput output) {
        assertStartFails(output, "runestone.subscriptions.greeter", "partitions must be between 1 and 1024",
                TestApplication.REGISTRY, "runestone.subscriptions.greeter.partitions=0");
    }

    @Test
    void a_partition_count_other_than_the_one_the_store_keeps(CapturedOutput output) {
        application(TestApplication.REGISTRY, "runestone.subscriptions.greeter.partitions=2").run().close();

        assertStartFails(output, "runestone.subscriptions.greeter.partitions", "is stored with 2 partitions",
                TestApplication.REGISTRY, "runestone.subscriptions.greeter.partitions=3");
    }

    private SpringApplicationBuilder application(String... properties) {
        return new SpringApplicationBuilder(TestApplication.class, ContextLifecycleTest.Handlers.class)
                .properties(TestApplication.NO_DATA_SOURCE, "runestone.sqlite.path=" + directory.resolve("e.db"))
                .properties(properties);
    }

    private void assertStartFails(CapturedOutput output, String property, String problem, String... properties) {
        SpringApplicationBuilder application = application(properties);

        assertThatThrownBy(application::run).hasStackTraceContaining(RunestoneConfigurationException.class.getName());
        assertThat(output).contains("APPLICATION FAILED TO START").contains("Property: " + property)
                .contains(problem).contains("Action:");
    }
}
