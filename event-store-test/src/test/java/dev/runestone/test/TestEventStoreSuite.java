package dev.runestone.test;

import static dev.runestone.test.CartEvent.added;
import static dev.runestone.test.CartEvent.opened;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runestone.ConcurrencyException;
import dev.runestone.EventRecord;
import dev.runestone.projector.Effects;
import dev.runestone.spi.StorageAdapter;
import dev.runestone.subscription.PoisonPolicy;
import dev.runestone.subscription.Projection;
import dev.runestone.test.CartEvent.CheckedOut;
import dev.runestone.test.CartEvent.ItemAdded;
import dev.runestone.test.CartEvent.Opened;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator.ReplaceUnderscores;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.opentest4j.AssertionFailedError;

/**
 * The fixtures on one kind of storage: scenarios that pass, and scenarios that fail with the message a user reads.
 * Each storage runs it with a subclass; the messages are the same on all of them.
 */
@DisplayNameGeneration(ReplaceUnderscores.class)
abstract class TestEventStoreSuite {

    @RegisterExtension
    final TestEventStore<CartEvent> runestone = TestEventStore.of(CartEvent.registry(), storage());

    /** The storage the fixtures run on. */
    abstract TestStorage storage();

    @Nested
    class Aggregates {

        @Test
        void pass_when_the_aggregate_records_the_expected_events() {
            runestone.aggregate(Cart.REDUCER, "cart-1")
                    .given(opened("Ada"), added("apple", 2))
                    .when(cart -> cart.add("pear", 1))
                    .then(added("pear", 1))
                    .thenState(cart -> assertThat(cart.items()).isEqualTo(3));
        }

        @Test
        void start_from_a_new_aggregate_when_nothing_is_given() {
            runestone.aggregate(Cart.REDUCER, "cart-1")
                    .when(cart -> cart.open("Ada"))
                    .then(opened("Ada"));
        }

        @Test
        void fail_naming_the_event_and_the_field_that_differ_expected_against_recorded() {
            AggregateOutcome<Cart, CartEvent> outcome = runestone.aggregate(Cart.REDUCER, "cart-1")
                    .given(opened("Ada"))
                    .when(cart -> {
                        cart.add("apple", 2);
                        cart.add("pear", 1);
                    });

            assertThatThrownBy(() -> outcome.then(added("apple", 2), added("pear", 3)))
                    .isInstanceOf(AssertionFailedError.class)
                    .hasMessage("""
                            Cart on stream 'cart-1' recorded other events than expected:
                            event 2 differs:
                              data.quantity: expected 3 but was 1
                            expected:
                              1. ItemAdded[data=Item[sku=apple, quantity=2]]
                              2. ItemAdded[data=Item[sku=pear, quantity=3]]
                            recorded:
                              1. ItemAdded[data=Item[sku=apple, quantity=2]]
                              2. ItemAdded[data=Item[sku=pear, quantity=1]]""");
        }

        @Test
        void fail_naming_the_type_recorded_where_another_was_expected() {
            AggregateOutcome<Cart, CartEvent> outcome = runestone.aggregate(Cart.REDUCER, "cart-1")
                    .given(opened("Ada"), added("apple", 2))
                    .when(Cart::checkOut);

            assertThatThrownBy(() -> outcome.then(added("apple", 1)))
                    .hasMessageStartingWith("""
                            Cart on stream 'cart-1' recorded other events than expected:
                            event 1 is a CheckedOut where an ItemAdded was expected
                            expected:
                              1. ItemAdded[data=Item[sku=apple, quantity=1]]
                            recorded:
                              1. CheckedOut[]""");
        }

        @Test
        void fail_listing_both_sides_when_the_aggregate_records_more_or_fewer_events() {
            AggregateOutcome<Cart, CartEvent> outcome = runestone.aggregate(Cart.REDUCER, "cart-1")
                    .given(opened("Ada"))
                    .when(cart -> {
                        cart.add("apple", 2);
                        cart.checkOut();
                    });

            assertThatThrownBy(() -> outcome.then(added("apple", 2)))
                    .hasMessage("""
                            Cart on stream 'cart-1' recorded 2 events where 1 was expected:
                            event 2 was not expected: CheckedOut[]
                            expected:
                              1. ItemAdded[data=Item[sku=apple, quantity=2]]
                            recorded:
                              1. ItemAdded[data=Item[sku=apple, quantity=2]]
                              2. CheckedOut[]""");
            assertThatThrownBy(() -> outcome.then(added("apple", 2), new CheckedOut(), added("pear", 1)))
                    .hasMessageStartingWith("""
                            Cart on stream 'cart-1' recorded 2 events where 3 were expected:
                            event 3 is missing: ItemAdded[data=Item[sku=pear, quantity=1]]""");
        }

        @Test
        void then_no_events_passes_for_an_action_that_changes_nothing_and_lists_what_was_recorded_otherwise() {
            runestone.aggregate(Cart.REDUCER, "cart-1")
                    .given(opened("Ada"), new CheckedOut())
                    .when(Cart::checkOut)
                    .thenNoEvents();

            AggregateOutcome<Cart, CartEvent> outcome = runestone.aggregate(Cart.REDUCER, "cart-2")
                    .given(opened("Bea"))
                    .when(Cart::checkOut);

            assertThatThrownBy(outcome::thenNoEvents).hasMessage("""
                    Cart on stream 'cart-2' recorded 1 event where none were expected:
                    event 1 was not expected: CheckedOut[]
                    expected:
                      (none)
                    recorded:
                      1. CheckedOut[]""");
        }

        @Test
        void then_throws_passes_on_the_expected_exception_and_hands_it_to_assertj() {
            runestone.aggregate(Cart.REDUCER, "cart-1")
                    .given(opened("Ada"), new CheckedOut())
                    .when(cart -> cart.add("apple", 1))
                    .thenThrows(IllegalStateException.class)
                    .hasMessage("Cart cart-1 is checked out");

            assertThat(runestone.store().version("cart-1")).as("nothing was saved").isEqualTo(2);
        }

        @Test
        void then_throws_fails_when_nothing_was_thrown_naming_what_was_recorded() {
            AggregateOutcome<Cart, CartEvent> outcome = runestone.aggregate(Cart.REDUCER, "cart-1")
                    .given(opened("Ada"))
                    .when(cart -> cart.add("apple", 1));

            assertThatThrownBy(() -> outcome.thenThrows(IllegalStateException.class)).hasMessage("""
                    Expected when(...) to throw IllegalStateException, but it threw nothing and Cart on stream \
                    'cart-1' recorded 1 event:
                      1. ItemAdded[data=Item[sku=apple, quantity=1]]""");
        }

        @Test
        void then_throws_fails_on_another_exception_keeping_it_as_the_cause() {
            AggregateOutcome<Cart, CartEvent> outcome = runestone.aggregate(Cart.REDUCER, "cart-1")
                    .given(opened("Ada"))
                    .when(cart -> cart.add("apple", 0));

            assertThatThrownBy(() -> outcome.thenThrows(IllegalStateException.class))
                    .hasMessage("Expected when(...) to throw IllegalStateException, but when(...) threw "
                            + "java.lang.IllegalArgumentException: A quantity is at least 1, was 0")
                    .cause().isInstanceOf(IllegalArgumentException.class);
        }

        @Test
        void then_fails_when_the_action_threw_keeping_the_exception_as_the_cause() {
            AggregateOutcome<Cart, CartEvent> outcome = runestone.aggregate(Cart.REDUCER, "cart-1")
                    .given(opened("Ada"), new CheckedOut())
                    .when(cart -> cart.add("apple", 1));

            assertThatThrownBy(() -> outcome.then(added("apple", 1)))
                    .hasMessage("Expected Cart on stream 'cart-1' to record 1 event, but when(...) threw "
                            + "java.lang.IllegalStateException: Cart cart-1 is checked out")
                    .cause().isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(() -> outcome.thenState(cart -> { }))
                    .hasMessageStartingWith("Expected Cart on stream 'cart-1' to succeed, but when(...) threw");
        }

        @Test
        void a_save_the_store_refuses_counts_as_thrown_and_stores_nothing() {
            runestone.aggregate(Cart.REDUCER, "cart-1")
                    .given(opened("Ada"))
                    .when(cart -> {
                        // Another writer gets in between the read and the save.
                        runestone.given("cart-1", added("pear", 1));
                        cart.add("apple", 1);
                    })
                    .thenThrows(ConcurrencyException.class)
                    .hasMessageContaining("expected at version 1 but is at 2");

            assertThat(runestone.store().read("cart-1")).extracting(EventRecord::event)
                    .containsExactly(opened("Ada"), added("pear", 1));
        }
    }

    @Nested
    class Reducers {

        @Test
        void pass_when_the_folded_state_is_the_expected_one() {
            runestone.reducer(CartSummary.REDUCER, "cart-1")
                    .given(opened("Ada"), added("apple", 2), added("pear", 1))
                    .then(new CartSummary("Ada", List.of("apple", "pear"), false))
                    .given(new CheckedOut())
                    .then(new CartSummary("Ada", List.of("apple", "pear"), true));
        }

        @Test
        void fail_naming_the_field_that_differs_expected_against_folded() {
            ReducerScenario<CartSummary, CartEvent> scenario = runestone.reducer(CartSummary.REDUCER, "cart-1")
                    .given(opened("Ada"), added("apple", 2), added("pear", 1));

            assertThatThrownBy(() -> scenario.then(new CartSummary("Ada", List.of("apple", "plum"), false)))
                    .isInstanceOf(AssertionFailedError.class)
                    .hasMessage("""
                            Reducer 'cart-summary' folded stream 'cart-1' into another state than expected:
                              skus[1]: expected "plum" but was "pear"
                            expected: CartSummary[owner=Ada, skus=[apple, plum], checkedOut=false]
                            folded:   CartSummary[owner=Ada, skus=[apple, pear], checkedOut=false]""");
        }

        @Test
        void fail_when_the_stream_has_no_events() {
            assertThatThrownBy(() -> runestone.reducer(CartSummary.REDUCER, "cart-1")
                    .then(new CartSummary("Ada", List.of(), false)))
                    .hasMessage("Reducer 'cart-summary' found no events in stream 'cart-1' to fold into "
                            + "CartSummary[owner=Ada, skus=[], checkedOut=false]; append some with given(...)");
        }
    }

    @Nested
    class The_clock {

        @Test
        void stamps_created_and_recorded_from_where_the_test_sets_it() {
            runestone.given("cart-1", opened("Ada"), added("apple", 1));
            runestone.clock().advance(Duration.ofMinutes(90));
            runestone.given("cart-1", new CheckedOut());

            assertThat(runestone.store().read("cart-1")).extracting(record -> record.created().toString())
                    .containsExactly("2026-01-01T00:00:00.000Z-000001", "2026-01-01T00:00:00.000Z-000002",
                            "2026-01-01T01:30:00.000Z-000000");
            assertThat(runestone.store().read("cart-1")).extracting(EventRecord::recorded).containsExactly(
                    TestClock.DEFAULT_START, TestClock.DEFAULT_START, Instant.parse("2026-01-01T01:30:00Z"));
        }

        @Test
        void set_back_leaves_created_counting_on_while_recorded_follows() {
            runestone.clock().set(Instant.parse("2026-03-01T12:00:00Z"));
            runestone.given("cart-1", opened("Ada"));
            runestone.clock().set(Instant.parse("2026-02-01T12:00:00Z"));
            runestone.given("cart-1", added("apple", 1));

            assertThat(runestone.store().read("cart-1")).extracting(record -> record.created().toString())
                    .containsExactly("2026-03-01T12:00:00.000Z-000001", "2026-03-01T12:00:00.000Z-000002");
            assertThat(runestone.store().read("cart-1").getLast().recorded())
                    .isEqualTo(Instant.parse("2026-02-01T12:00:00Z"));
        }
    }

    @Nested
    class Projector_handlers {

        @Test
        void then_sees_what_the_handlers_did_with_every_event_given() {
            Map<String, Integer> items = new ConcurrentHashMap<>();

            runestone.projector(projector -> projector.on(ItemAdded.class, record -> items.merge(record.stream(),
                            record.event().data().quantity(), Integer::sum)))
                    .given("cart-1", opened("Ada"), added("apple", 2))
                    .given("cart-2", opened("Bea"), added("pear", 1), added("pear", 4))
                    .then(() -> assertThat(items).containsOnly(Map.entry("cart-1", 2), Map.entry("cart-2", 5)))
                    .given("cart-1", added("plum", 1))
                    .then(() -> assertThat(items).containsEntry("cart-1", 3));
        }

        @Test
        void then_fails_naming_the_event_a_handler_threw_on() {
            ProjectorScenario<CartEvent> scenario = runestone.projector(projector -> projector.on(Opened.class,
                    record -> {
                        throw new IllegalStateException("no owner called " + record.event().data().name());
                    }))
                    .given("cart-1", opened("Ada"));

            assertThatThrownBy(() -> scenario.then(() -> { }))
                    .hasMessage("A projector handler failed, first on event cart:opened at version 1 of stream "
                            + "'cart-1': java.lang.IllegalStateException: no owner called Ada")
                    .cause().hasMessage("no owner called Ada");
        }
    }

    @Nested
    class Subscriptions {

        final Map<String, String> owners = new ConcurrentHashMap<>();
        final List<String> welcomed = new CopyOnWriteArrayList<>();

        Projection<CartEvent> owners() {
            return Projection.<CartEvent>builder()
                    .on(Opened.class, record -> owners.put(record.stream(), record.event().data().name()))
                    .once("welcome", Opened.class, record -> welcomed.add(record.event().data().name()),
                            Effects.of((record, added) -> { }, (record, error) -> { }))
                    .build();
        }

        @Test
        void then_waits_until_the_subscription_has_handled_every_event_given() {
            runestone.subscription(store -> store.subscribe("owners").partitions(3).projection(owners()))
                    .given("cart-1", opened("Ada"))
                    .given("cart-2", opened("Bea"))
                    .given("cart-3", opened("Cy"), added("apple", 1))
                    .then(() -> {
                        assertThat(owners).containsOnly(Map.entry("cart-1", "Ada"), Map.entry("cart-2", "Bea"),
                                Map.entry("cart-3", "Cy"));
                        assertThat(welcomed).containsExactlyInAnyOrder("Ada", "Bea", "Cy");
                    });
        }

        @Test
        void events_given_before_it_started_reach_it_as_replays_which_once_handlers_skip() {
            runestone.given("cart-1", opened("Ada"));

            runestone.subscription(store -> store.subscribe("owners").projection(owners()))
                    .given("cart-2", opened("Bea"))
                    .then(() -> {
                        assertThat(owners).containsOnlyKeys("cart-1", "cart-2");
                        assertThat(welcomed).containsExactly("Bea");
                    });
        }

        @Test
        void handlers_writing_on_the_stores_connection_are_read_back_in_a_transaction_of_the_test()
                throws SQLException {
            runestone.inTransaction(connection -> connection.createStatement()
                    .execute("CREATE TABLE cart_items (cart VARCHAR(50) PRIMARY KEY, quantity BIGINT NOT NULL)"));
            Projection<CartEvent> items = Projection.<CartEvent>builder()
                    .on(ItemAdded.class, (record, connection) -> {
                        try (PreparedStatement upsert = connection.prepareStatement("INSERT INTO cart_items "
                                + "VALUES (?, ?) ON CONFLICT (cart) DO UPDATE SET quantity = "
                                + "cart_items.quantity + excluded.quantity")) {
                            upsert.setString(1, record.stream());
                            upsert.setLong(2, record.event().data().quantity());
                            upsert.executeUpdate();
                        }
                    })
                    .build();

            runestone.subscription(store -> store.subscribe("items").projection(items))
                    .given("cart-1", opened("Ada"), added("apple", 2), added("pear", 3))
                    .then(() -> {
                        long quantity = runestone.inTransaction(connection -> {
                            try (ResultSet row = connection.createStatement()
                                    .executeQuery("SELECT quantity FROM cart_items WHERE cart = 'cart-1'")) {
                                return row.next() ? row.getLong(1) : -1;
                            }
                        });
                        assertThat(quantity).isEqualTo(5);
                    });
        }

        @Test
        void then_fails_naming_an_event_the_subscription_parked() {
            SubscriptionScenario<CartEvent> scenario = runestone.subscription(store -> store.subscribe("failing")
                            .retries(2, Duration.ofMillis(1))
                            .handler((record, status) -> {
                                throw new IllegalStateException("cannot handle " + record.type());
                            }))
                    .given("cart-1", opened("Ada"));
            EventRecord<CartEvent> event = runestone.store().read("cart-1").getFirst();

            assertThatThrownBy(() -> scenario.then(() -> { })).hasMessage("Subscription 'failing' parked 1 event, "
                    + "its handler having failed on each every attempt:\n  event " + event.id() + " at position "
                    + event.position() + " after 2 attempts: java.lang.IllegalStateException: cannot handle "
                    + "cart:opened");
        }

        @Test
        void then_fails_when_the_subscription_stopped_on_a_poison_event() {
            SubscriptionScenario<CartEvent> scenario = runestone.subscription(store -> store.subscribe("stopping")
                            .retries(1, Duration.ofMillis(1))
                            .onPoison(PoisonPolicy.STOP)
                            .handler((record, status) -> {
                                throw new IllegalStateException("cannot handle " + record.type());
                            }))
                    .given("cart-1", opened("Ada"));

            assertThatThrownBy(() -> scenario.then(() -> { }))
                    .hasMessageStartingWith("Subscription 'stopping' stopped: ")
                    .hasMessageContaining("which failed 1 times");
        }
    }

    @Test
    void close_stops_the_subscriptions_closes_the_store_discards_its_storage_and_sets_the_clock_back() {
        AtomicInteger discarded = new AtomicInteger();
        TestStorage storage = storage();
        TestStorage counting = new TestStorage() {
            @Override
            public StorageAdapter open() {
                return storage.open();
            }

            @Override
            public void discard(StorageAdapter closed) {
                storage.discard(closed);
                discarded.incrementAndGet();
            }
        };
        TestEventStore<CartEvent> own = TestEventStore.of(CartEvent.registry(), counting);
        own.clock().advance(Duration.ofDays(1));
        own.given("cart-1", opened("Ada"));
        var subscription = own.subscription(store -> store.subscribe("owners").handler((record, status) -> { }))
                .subscription();

        own.close();
        own.close();

        assertThat(subscription.isRunning()).isFalse();
        assertThat(discarded).hasValue(1);
        assertThat(own.clock().instant()).isEqualTo(TestClock.DEFAULT_START);
        assertThat(own.store().read("cart-1")).as("a new store, on new storage").isEmpty();
        own.close();
        assertThat(discarded).hasValue(2);
    }
}
