package dev.runestone.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.runestone.EventRecord;
import dev.runestone.EventStore;
import dev.runestone.sqlite.SqliteStorage;
import dev.runestone.testkit.events.TestEvent;
import dev.runestone.testkit.events.UserCreated;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator.ReplaceUnderscores;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.health.contributor.Status;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Subscriptions start with the context, stop with it, and say in health when one is stopped by a poison event. */
@DisplayNameGeneration(ReplaceUnderscores.class)
class ContextLifecycleTest {

    @TempDir
    Path directory;

    /** Handles user:created; a user named "Poison" fails every time. */
    @Configuration(proxyBeanMethods = false)
    static class Handlers {

        static final List<String> HANDLED = new CopyOnWriteArrayList<>();

        @Bean
        Greeter greeter() {
            return new Greeter();
        }
    }

    static class Greeter {

        @RunestoneSubscription("greeter")
        void greet(UserCreated created) {
            String name = created.data().name().given();
            if (name.equals("Poison")) {
                throw new IllegalStateException("cannot greet " + name);
            }
            Handlers.HANDLED.add(name);
        }
    }

    @Test
    void closing_the_context_stops_every_subscription_thread_after_committing_its_checkpoint() throws Exception {
        ConfigurableApplicationContext context = start();
        @SuppressWarnings("unchecked")
        EventStore<TestEvent> store = context.getBean(EventStore.class);
        EventRecord<TestEvent> last = store.append("user-cy", Events.created("Cy")).records().getFirst();
        await().atMost(Duration.ofSeconds(30)).until(() -> Handlers.HANDLED.contains("Cy"));
        assertThat(subscriptionThreads()).isNotEmpty();
        RunestoneSubscriptions subscriptions = context.getBean(RunestoneSubscriptions.class);

        context.close();

        assertThat(subscriptionThreads()).as("threads left behind by the closed context").isEmpty();
        assertThat(subscriptions.all()).isEmpty();
        try (EventStore<TestEvent> reopened = EventStore.builder(TestEvent.registry(),
                SqliteStorage.file(directory.resolve("events.db"))).build()) {
            assertThat(reopened.subscriptions().checkpoint("greeter")).isEqualTo(last.position());
        }
    }

    @Test
    void health_turns_down_when_a_poison_event_stops_a_subscription() {
        try (ConfigurableApplicationContext context = start("runestone.subscriptions.greeter.on-poison=stop",
                "runestone.subscriptions.greeter.attempts=2", "runestone.subscriptions.greeter.backoff=10ms")) {
            RunestoneHealthIndicator health = context.getBean(RunestoneHealthIndicator.class);
            @SuppressWarnings("unchecked")
            EventStore<TestEvent> store = context.getBean(EventStore.class);
            assertThat(health.health(true).getStatus()).isEqualTo(Status.UP);

            store.append("user-poison", Events.created("Poison"));

            await().atMost(Duration.ofSeconds(30))
                    .until(() -> health.health(true).getStatus().equals(Status.DOWN));
            @SuppressWarnings("unchecked")
            Map<String, Object> greeter = (Map<String, Object>) health.health(true).getDetails().get("greeter");
            assertThat(greeter.get("status").toString()).startsWith("stopped").contains("user-poison")
                    .contains("failed 2 times");
            assertThat(greeter).containsEntry("parkedCount", 1);
        }
    }

    private ConfigurableApplicationContext start(String... properties) {
        return new SpringApplicationBuilder(TestApplication.class, Handlers.class)
                .properties(TestApplication.NO_DATA_SOURCE, TestApplication.REGISTRY, TestApplication.EXPOSE_ENDPOINT,
                        "runestone.sqlite.path=" + directory.resolve("events.db"))
                .properties(properties)
                .run();
    }

    /** The threads of this test's subscription; other test classes' contexts may still run theirs. */
    private static List<String> subscriptionThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                .filter(name -> name.startsWith("runestone-subscription-greeter")).toList();
    }
}
