package dev.runestone.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.runestone.EventRecord;
import dev.runestone.EventStore;
import dev.runestone.subscription.Projection;
import dev.runestone.testkit.events.TestEvent;
import dev.runestone.testkit.events.UserCreated;
import dev.runestone.testkit.events.UserEmailSet;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator.ReplaceUnderscores;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** An application with no storage configured: the store is an embedded SQLite file, and subscriptions run. */
@SpringBootTest(classes = TestApplication.class, properties = {TestApplication.NO_DATA_SOURCE,
        TestApplication.REGISTRY, TestApplication.EXPOSE_ENDPOINT})
@Import(SqliteApplicationTest.Handlers.class)
// Closes the context after the class, before its temporary directory and the store's file in it are deleted.
@DirtiesContext
@DisplayNameGeneration(ReplaceUnderscores.class)
class SqliteApplicationTest {

    @TempDir
    static Path directory;

    @DynamicPropertySource
    static void storeFile(DynamicPropertyRegistry registry) {
        registry.add("runestone.sqlite.path", () -> directory.resolve("events.db").toString());
    }

    /** A projection bean and an annotated handler, as an application declares them. */
    @TestConfiguration
    static class Handlers {

        final List<String> projected = new CopyOnWriteArrayList<>();
        final List<EventRecord<UserEmailSet>> emails = new CopyOnWriteArrayList<>();

        @Bean
        Projection<TestEvent> userNames() {
            return Projection.<TestEvent>builder()
                    .on(UserCreated.class, record -> projected.add(record.event().data().name().given()))
                    .build();
        }

        @Bean
        EmailLog emailLog() {
            return new EmailLog(emails);
        }
    }

    static class EmailLog {

        private final List<EventRecord<UserEmailSet>> emails;

        EmailLog(List<EventRecord<UserEmailSet>> emails) {
            this.emails = emails;
        }

        @RunestoneSubscription("email-log")
        void record(EventRecord<UserEmailSet> record) {
            emails.add(record);
        }
    }

    @Autowired
    EventStore<TestEvent> store;

    @Autowired
    Handlers handlers;

    @Autowired
    RunestoneSubscriptions subscriptions;

    @Autowired
    RunestoneHealthIndicator health;

    @Autowired
    RunestoneEndpoint endpoint;

    @Test
    void the_store_is_an_sqlite_file_in_the_configured_place() {
        store.append("user-eve", Events.created("Eve"));

        assertThat(directory.resolve("events.db")).isNotEmptyFile();
    }

    @Test
    void projection_beans_and_annotated_methods_receive_appended_events() {
        store.append("user-ada", List.of(Events.created("Ada"), Events.emailSet("ada@example.org")));

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(handlers.projected).contains("Ada");
            assertThat(handlers.emails).extracting(record -> record.event().data()).contains("ada@example.org");
        });
        assertThat(subscriptions.all()).extracting(subscription -> subscription.name())
                .containsExactlyInAnyOrder("userNames", "email-log");
    }

    @Test
    void health_is_up_and_the_endpoint_lists_each_subscription() {
        store.append("user-bob", Events.created("Bob"));
        await().atMost(Duration.ofSeconds(30)).until(() -> handlers.projected.contains("Bob"));

        assertThat(health.health(true).getStatus()).isEqualTo(Status.UP);
        @SuppressWarnings("unchecked")
        Map<String, Object> listed = (Map<String, Object>) endpoint.subscriptions().get("subscriptions");
        assertThat(listed).containsOnlyKeys("userNames", "email-log");
        assertThat(endpoint.subscription("userNames")).containsEntry("parkedCount", 0).containsKey("lag");
        assertThat(endpoint.subscription("no-such-subscription")).isNull();
    }
}
