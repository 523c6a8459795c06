package dev.runestone.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.runestone.EventRecord;
import dev.runestone.EventValidationException.Violation;
import dev.runestone.UndecodableEvent;
import dev.runestone.spi.AppendRequest;
import dev.runestone.spi.NewEvent;
import dev.runestone.spi.StorageAdapter;
import dev.runestone.subscription.ParkedEvent;
import dev.runestone.subscription.Subscription;
import dev.runestone.testkit.events.TestEvent;
import dev.runestone.testkit.events.TestEvents;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/**
 * A row whose data is not JSON at all, as a database that stores JSON as text lets other software write it: readers
 * get past it like any other undecodable row. Only adapters whose database can hold such a row run this suite;
 * PostgreSQL's {@code jsonb} refuses broken JSON itself, so it has none to read.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
public abstract class BrokenJsonSuite extends SuiteBase {

    @Test
    void is_parked_by_a_subscription_that_goes_on_to_the_end() throws Exception {
        StorageAdapter adapter = fixture().open();
        store = openStore(adapter, builder -> builder);
        UUID broken = UUID.randomUUID();
        adapter.append(new AppendRequest(List.of(new NewEvent(broken, "user-1", "user:email-set", "{\"broken",
                "{\"auditor\":\"a\"}", store.clock().now().toString())), Map.of(),
                Instant.now().truncatedTo(ChronoUnit.MICROS)));
        EventRecord<TestEvent> valid = store.append("user-2", TestEvents.activated()).records().getFirst();
        List<EventRecord<TestEvent>> delivered = new CopyOnWriteArrayList<>();

        assertThat(store.readLog(0, 10).undecodable()).singleElement().satisfies((UndecodableEvent row) -> {
            assertThat(row.id()).isEqualTo(broken);
            assertThat(row.data()).isEqualTo("{\"broken");
            assertThat(row.error().violations()).extracting(Violation::path, Violation::rule)
                    .containsExactly(tuple("data", "json"));
        });
        Subscription<TestEvent> subscription = start(store.subscribe("reader")
                .handler((record, status) -> delivered.add(record)));
        await("the checkpoint reaches the end", () -> store.subscriptions().checkpoint("reader") >= valid.position());

        assertThat(delivered).containsExactly(valid);
        assertThat(subscription.parked()).extracting(ParkedEvent::eventId).containsExactly(broken);
        assertThat(subscription.parked().getFirst().error()).contains("not well-formed JSON");
    }
}
