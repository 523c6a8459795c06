package dev.runestone.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runestone.EventStore;
import dev.runestone.registry.EventRegistry;
import dev.runestone.sqlite.SqliteStorage;
import dev.runestone.testkit.events.TestEvent;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator.ReplaceUnderscores;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

/**
 * An application that opens its own store: the starter opens nothing and needs no registry property (without one,
 * its own registry bean would fail the start).
 */
@SpringBootTest(classes = TestApplication.class, properties = TestApplication.NO_DATA_SOURCE)
@Import(BackingOffTest.OwnStore.class)
@DisplayNameGeneration(ReplaceUnderscores.class)
class BackingOffTest {

    @TestConfiguration
    static class OwnStore {

        @Bean
        EventStore<TestEvent> ownEventStore() {
            return EventStore.builder(TestEvent.registry(), SqliteStorage.inMemory()).build();
        }
    }

    @Autowired
    ApplicationContext context;

    @Test
    void the_applications_event_store_is_the_only_one_and_nothing_else_is_opened() {
        assertThat(context.getBeansOfType(EventStore.class)).containsOnlyKeys("ownEventStore");
        assertThat(context.getBeansOfType(EventRegistry.class)).isEmpty();
        assertThat(context.getBeansOfType(StoreDatabase.class)).isEmpty();
        assertThat(context.getBean(RunestoneSubscriptions.class).all()).isEmpty();
    }
}
