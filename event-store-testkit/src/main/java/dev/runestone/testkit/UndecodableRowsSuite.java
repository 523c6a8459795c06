package dev.runestone.testkit;

import static dev.runestone.testkit.events.TestEvents.userCreated;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.runestone.EventRecord;
import dev.runestone.EventStore;
import dev.runestone.EventValidationException.Violation;
import dev.runestone.LogPage;
import dev.runestone.UndecodableEvent;
import dev.runestone.registry.EventLimits;
import dev.runestone.spi.AppendRequest;
import dev.runestone.spi.NewEvent;
import dev.runestone.spi.StorageAdapter;
import dev.runestone.subscription.ParkedEvent;
import dev.runestone.subscription.PoisonPolicy;
import dev.runestone.subscription.Subscription;
import dev.runestone.subscription.SubscriptionStoppedException;
import dev.runestone.testkit.BoundaryEvent.Text;
import dev.runestone.testkit.events.TestEvent;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * No stored row can stop a reader of the log. The log holds, in this order, an event of a type this store's
 * registry does not know (as a newer version of the service, or another service sharing the database, would write
 * it), an event whose JSON does not fit its record, and a valid event: {@code readLog} hands the first two over as
 * undecodable beside the third, a durable subscription delivers the valid one, parks the others with their reasons
 * and reaches the end of the log, and under {@link PoisonPolicy#STOP} it stops visibly at the first.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
public abstract class UndecodableRowsSuite extends SuiteBase {

    /** The adapter of the default store, written to directly as other software would. */
    StorageAdapter adapter;

    UUID unknownType;
    UUID misfit;
    EventRecord<TestEvent> valid;

    @BeforeEach
    @Override
    void openDefaultStore() {
        adapter = fixture().open();
        store = openStore(adapter, this::configure);
        // "text" is a type of BoundaryEvent, which TestEvent's registry does not know.
        unknownType = writeRow("note-1", "text", "\"written by a newer service\"", null);
        misfit = writeRow("user-2", "user:created", "{\"name\":42,\"email\":\"j@example.com\"}",
                "{\"auditor\":\"a\"}");
        valid = store.append("user-3", userCreated("Jane", "Doe", "jane@example.com")).records().getFirst();
        awaitTheLog();
    }

    UUID writeRow(String stream, String type, String data, String meta) {
        UUID id = UUID.randomUUID();
        adapter.append(new AppendRequest(List.of(new NewEvent(id, stream, type, data, meta,
                store.clock().now().toString())), Map.of(), Instant.now().truncatedTo(ChronoUnit.MICROS)));
        return id;
    }

    /**
     * Waits until {@code readLog} returns all three rows: on PostgreSQL the log holds rows back while an older
     * transaction anywhere on the server is still in flight.
     */
    void awaitTheLog() {
        try {
            await("the log holds all three rows", () -> {
                LogPage<TestEvent> page = store.readLog(0, 10);
                return page.events().size() + page.undecodable().size() == 3;
            });
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Nested
    class Reading_the_log {

        @Test
        void hands_undecodable_rows_over_beside_the_events_with_their_reasons() {
            LogPage<TestEvent> page = store.readLog(0, 10);

            assertThat(page.events()).containsExactly(valid);
            assertThat(page.undecodable()).extracting(UndecodableEvent::id).containsExactly(unknownType, misfit);
            assertThat(page.undecodable().getFirst()).satisfies(row -> {
                assertThat(row.type()).isEqualTo("text");
                assertThat(row.data()).isEqualTo("\"written by a newer service\"");
                assertThat(row.error().violations()).extracting(Violation::path, Violation::rule)
                        .containsExactly(tuple("type", "registered"));
                assertThat(row.error()).hasMessageContaining("'text'").hasMessageContaining(unknownType.toString());
            });
            assertThat(page.undecodable().getLast().error().violations()).extracting(Violation::path)
                    .containsExactly("data.name");
            assertThat(page.lastPosition()).isEqualTo(valid.position());
            assertThat(store.readLog(page.lastPosition(), 10).isEmpty()).isTrue();
        }

        @Test
        void page_by_page_gets_past_every_row() {
            long position = 0;
            int rows = 0;
            LogPage<TestEvent> page;
            while (!(page = store.readLog(position, 1)).isEmpty()) {
                rows += page.events().size() + page.undecodable().size();
                position = page.lastPosition();
            }

            assertThat(rows).isEqualTo(3);
            assertThat(position).isEqualTo(valid.position());
        }
    }

    @Nested
    class A_durable_subscription {

        final List<EventRecord<TestEvent>> delivered = new CopyOnWriteArrayList<>();

        @Test
        void delivers_the_valid_event_parks_the_others_with_their_reasons_and_reaches_the_end() throws Exception {
            long end = valid.position();
            Subscription<TestEvent> subscription = start(store.subscribe("reader").partitions(2)
                    .handler((record, status) -> delivered.add(record)));

            await("the checkpoint reaches the end of the log",
                    () -> store.subscriptions().checkpoint("reader") >= end);

            assertThat(delivered).containsExactly(valid);
            assertThat(subscription.isRunning()).isTrue();
            assertThat(subscription.parked()).extracting(ParkedEvent::eventId)
                    .containsExactlyInAnyOrder(unknownType, misfit);
            assertThat(subscription.parked()).allSatisfy(parked -> assertThat(parked.attempts()).isZero());
            assertThat(parked(subscription, unknownType).error()).contains("'text'").contains("not registered");
            assertThat(parked(subscription, misfit).error()).contains("data.name").contains("must be an object");
        }

        @Test
        void under_the_stop_policy_stops_at_the_first_and_says_why() throws Exception {
            Subscription<TestEvent> subscription = start(store.subscribe("strict").partitions(1)
                    .onPoison(PoisonPolicy.STOP).handler((record, status) -> delivered.add(record)));

            assertThat(subscription.awaitTermination(PATIENCE.multipliedBy(3))).isTrue();

            assertThat(subscription.isRunning()).isFalse();
            assertThat(subscription.failure()).get().isInstanceOfSatisfying(SubscriptionStoppedException.class,
                    stopped -> assertThat(stopped).hasMessageContaining(unknownType.toString())
                            .hasMessageContaining("could not be decoded")
                            .hasMessageContaining("register its type"));
            assertThat(delivered).isEmpty();
            assertThat(subscription.parked()).extracting(ParkedEvent::eventId).containsExactly(unknownType);
            assertThat(store.subscriptions().checkpoint("strict")).isLessThan(valid.position());
        }

        @Test
        void retries_a_parked_row_once_a_newer_registry_can_decode_it() throws Exception {
            long end = valid.position();
            start(store.subscribe("upgraded").handler((record, status) -> delivered.add(record)));
            await("the checkpoint reaches the end of the log",
                    () -> store.subscriptions().checkpoint("upgraded") >= end);
            closeSubscriptions();
            List<EventRecord<BoundaryEvent>> notes = new CopyOnWriteArrayList<>();
            EventStore<BoundaryEvent> newer = openStore(BoundaryEvent.registry(EventLimits.defaults()), adapter,
                    builder -> builder);
            Subscription<BoundaryEvent> upgraded = newer.subscribe("upgraded")
                    .handler((record, status) -> notes.add(record)).start();
            try {
                assertThat(upgraded.retryParked(misfit)).isFalse();
                assertThat(upgraded.retryParked(unknownType)).isTrue();
            } finally {
                upgraded.close();
            }

            assertThat(notes).extracting(EventRecord::event).containsExactly(new Text("written by a newer service"));
            assertThat(store.subscriptions().parked("upgraded")).extracting(ParkedEvent::eventId)
                    .containsExactly(misfit);
        }

        private ParkedEvent parked(Subscription<TestEvent> subscription, UUID id) {
            return subscription.parked().stream().filter(parked -> parked.eventId().equals(id)).findFirst()
                    .orElseThrow();
        }
    }
}
