package dev.runestone.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.runestone.EventRecord;
import dev.runestone.EventStore;
import dev.runestone.instrumentation.Instrumentation;
import dev.runestone.micrometer.MicrometerInstrumentation;
import dev.runestone.testkit.events.TestEvent;
import dev.runestone.testkit.events.UserCreated;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator.ReplaceUnderscores;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * With {@code event-store-micrometer} and actuator on the classpath, the store reports to the application's
 * {@code ObservationRegistry} and {@code MeterRegistry}.
 */
@SpringBootTest(classes = TestApplication.class, properties = {TestApplication.NO_DATA_SOURCE,
        TestApplication.REGISTRY})
@Import(ObservabilityTest.Handlers.class)
// Closes the context after the class, before its temporary directory and the store's file in it are deleted.
@DirtiesContext
@DisplayNameGeneration(ReplaceUnderscores.class)
class ObservabilityTest {

    @TempDir
    static Path directory;

    @DynamicPropertySource
    static void storeFile(DynamicPropertyRegistry registry) {
        registry.add("runestone.sqlite.path", () -> directory.resolve("events.db").toString());
    }

    @TestConfiguration
    static class Handlers {

        final List<EventRecord<UserCreated>> welcomed = new CopyOnWriteArrayList<>();

        @Bean
        Welcomes welcomes() {
            return new Welcomes(welcomed);
        }
    }

    static class Welcomes {

        private final List<EventRecord<UserCreated>> welcomed;

        Welcomes(List<EventRecord<UserCreated>> welcomed) {
            this.welcomed = welcomed;
        }

        @RunestoneSubscription("welcome-emails")
        void welcome(EventRecord<UserCreated> record) {
            welcomed.add(record);
        }
    }

    @Autowired
    EventStore<TestEvent> store;

    @Autowired
    MeterRegistry meters;

    @Autowired
    Instrumentation instrumentation;

    @Autowired
    Handlers handlers;

    @Test
    void the_store_is_instrumented_with_micrometer_and_its_meters_reach_the_application_s_registry() {
        store.append("user-ada", Events.created("Ada"));
        await().atMost(Duration.ofSeconds(30)).until(() -> handlers.welcomed.size() == 1);

        assertThat(instrumentation).isInstanceOf(MicrometerInstrumentation.class);
        assertThat(meters.get("runestone.append").tags("adapter", "sqlite", "event.type", "user:created",
                "outcome", "ok").timer().count()).isEqualTo(1);
        assertThat(meters.get("runestone.append.events").summary().totalAmount()).isEqualTo(1);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
                meters.get("runestone.subscription.handle").tags("subscription", "welcome-emails",
                        "outcome", "ok").timer().count()).isEqualTo(1));
        assertThat(meters.get("runestone.subscription.lag.events").tag("subscription", "welcome-emails")
                .gauge()).isNotNull();
    }
}
