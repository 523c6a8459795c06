package dev.runestone.testkit;

import static dev.runestone.testkit.events.TestEvents.givenNameSet;
import static dev.runestone.testkit.events.TestEvents.userCreated;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.runestone.EventRecord;
import dev.runestone.EventStore;
import dev.runestone.PendingEvent;
import dev.runestone.projector.Effects;
import dev.runestone.projector.ProjectionStatus;
import dev.runestone.spi.StorageAdapter;
import dev.runestone.subscription.EventHandler;
import dev.runestone.subscription.ParkedEvent;
import dev.runestone.subscription.PartitionCountMismatchException;
import dev.runestone.subscription.PoisonPolicy;
import dev.runestone.subscription.Projection;
import dev.runestone.subscription.StartFrom;
import dev.runestone.subscription.Subscription;
import dev.runestone.subscription.SubscriptionStoppedException;
import dev.runestone.testkit.events.TestEvent;
import dev.runestone.testkit.events.UserCreated;
import dev.runestone.testkit.events.UserNameGivenSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Durable subscriptions on one store: catching up with the stored events as replays and following new ones in log
 * order, where a new subscription starts and where a restarted one resumes, exactly-once writes through the store's
 * connection, poison events parked or stopping the subscription, the projection's once/on/all rules with its once
 * ledger, partitions, reading a page at a time beside busy writers, and the number of partitions a subscription
 * keeps. {@link SubscriptionInstancesSuite} runs several stores on one database.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
public abstract class SubscriptionSuite extends SuiteBase {

    /** The given name that makes the poison-event tests' handlers fail. */
    static final String POISON = "poison";

    /** One delivery to a plain handler. */
    record Delivery(EventRecord<TestEvent> record, ProjectionStatus status) {
    }

    /** The adapter of the default store, whose connection creates the read-model tables. */
    StorageAdapter adapter;

    private final List<ReadModelTable> readModels = new ArrayList<>();

    @BeforeEach
    @Override
    void openDefaultStore() {
        adapter = fixture().open();
        store = openStore(adapter, this::configure);
    }

    @AfterEach
    void dropReadModels() throws Exception {
        closeSubscriptions();
        for (ReadModelTable table : readModels) {
            table.drop();
        }
    }

    ReadModelTable readModel() throws Exception {
        ReadModelTable table = ReadModelTable.create(adapter);
        readModels.add(table);
        return table;
    }

    /**
     * Appends {@code count} events spread round-robin over {@code streams} streams ({@code user-0}, {@code user-1},
     * …), in batches of up to 50 events of several streams; returns them in log order.
     */
    static List<EventRecord<TestEvent>> appendSpread(EventStore<TestEvent> store, int streams, int count) {
        List<EventRecord<TestEvent>> appended = new ArrayList<>();
        List<PendingEvent<TestEvent>> batch = new ArrayList<>();
        for (int n = 0; n < count; n++) {
            batch.add(store.event("user-" + (n % streams), givenNameSet("name " + n)));
            if (batch.size() == 50 || n == count - 1) {
                appended.addAll(store.append(batch).records());
                batch = new ArrayList<>();
            }
        }
        return appended;
    }

    /**
     * Waits until the log returns every event stored, so that a subscription starting now counts them as stored: on
     * PostgreSQL a transaction in flight anywhere on the server holds the settled end of the log back a moment.
     */
    static void settle(EventStore<TestEvent> store) {
        log(store);
    }

    static List<UUID> ids(Collection<EventRecord<TestEvent>> records) {
        return records.stream().map(EventRecord::id).toList();
    }

    static List<UUID> deliveredIds(List<Delivery> deliveries) {
        return deliveries.stream().map(delivery -> delivery.record().id()).toList();
    }

    @SafeVarargs
    static List<EventRecord<TestEvent>> concat(List<EventRecord<TestEvent>>... parts) {
        return Stream.of(parts).flatMap(List::stream).toList();
    }

    static EventHandler<TestEvent> collectInto(List<Delivery> deliveries) {
        return (record, status) -> deliveries.add(new Delivery(record, status));
    }

    /** Checks that every stream's events were handled once each, in stream order. */
    static void assertEachStreamInOrder(List<EventRecord<TestEvent>> handled) {
        Map<String, List<Long>> versions = new LinkedHashMap<>();
        for (EventRecord<TestEvent> record : handled) {
            versions.computeIfAbsent(record.stream(), stream -> new ArrayList<>()).add(record.version());
        }
        versions.forEach((stream, handledVersions) -> assertThat(handledVersions).as(stream)
                .doesNotHaveDuplicates().isSorted());
    }

    /** Whether {@code record} is the poison event of these tests. */
    static boolean isPoison(EventRecord<TestEvent> record) {
        return record.event() instanceof UserNameGivenSet set && set.data().equals(POISON);
    }

    static Effects<UserCreated, Object> ignoreEffects() {
        return Effects.of((record, result) -> { }, (record, error) -> { });
    }

    @Nested
    class Starting {

        @Test
        void needs_a_printable_name_and_a_handler_and_a_refused_start_leaves_nothing_behind() {
            assertThatThrownBy(() -> store.subscribe(" ")).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> store.subscribe("tab\tname")).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> start(store.subscribe("no-handler"))).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("'no-handler'");

            assertThat(start(store.subscribe("no-handler").partitions(2).handler((record, status) -> { }))
                    .isRunning()).as("no partition count was kept for the refused start").isTrue();
        }
    }

    @Nested
    class Catching_up {

        @Test
        void delivers_the_stored_events_as_replays_then_new_ones_as_live_all_in_log_order() throws Exception {
            List<EventRecord<TestEvent>> stored = appendSpread(store, 7, 600);
            settle(store);
            List<Delivery> delivered = new CopyOnWriteArrayList<>();

            start(store.subscribe("all").pageSize(50).handler(collectInto(delivered)));
            await("the stored events are delivered", () -> delivered.size() >= 600);
            List<EventRecord<TestEvent>> appended = appendSpread(store, 7, 100);
            await("the new events are delivered", () -> delivered.size() >= 700);

            assertThat(deliveredIds(delivered)).containsExactlyElementsOf(ids(concat(stored, appended)));
            // A replayed event is outdated when its stream holds a newer event of its type: here, a later name.
            List<ProjectionStatus> replays = new ArrayList<>();
            for (int i = 0; i < stored.size(); i++) {
                replays.add(i + 7 < stored.size() ? ProjectionStatus.OUTDATED : ProjectionStatus.HYDRATED);
            }
            assertThat(delivered.subList(0, 600)).extracting(Delivery::status).containsExactlyElementsOf(replays);
            assertThat(delivered.subList(600, 700)).extracting(Delivery::status).containsOnly(ProjectionStatus.LIVE);
        }

        @Test
        void from_the_end_a_new_subscription_gets_only_the_events_appended_after_it_started() throws Exception {
            appendSpread(store, 3, 10);
            settle(store);
            List<Delivery> delivered = new CopyOnWriteArrayList<>();

            Subscription<TestEvent> subscription = start(store.subscribe("from-end").from(StartFrom.END)
                    .handler(collectInto(delivered)));
            await("the subscription holds its partition", () -> subscription.heldPartitions().size() == 1);
            List<EventRecord<TestEvent>> appended = appendSpread(store, 3, 5);
            await("the new events are delivered", () -> delivered.size() >= 5);

            // In log order, a stored event would have come first.
            assertThat(deliveredIds(delivered)).containsExactlyElementsOf(ids(appended));
            assertThat(delivered).extracting(Delivery::status).containsOnly(ProjectionStatus.LIVE);
        }

        @Test
        void a_restarted_subscription_resumes_right_after_its_checkpoint_whatever_start_position_it_asks_for()
                throws Exception {
            List<EventRecord<TestEvent>> first = appendSpread(store, 3, 100);
            List<Delivery> firstRun = new CopyOnWriteArrayList<>();
            Subscription<TestEvent> subscription = start(store.subscribe("resume").handler(collectInto(firstRun)));
            await("the first run handles every event", () -> firstRun.size() >= 100);
            subscription.close();
            assertThat(store.subscriptions().checkpoint("resume")).isEqualTo(first.getLast().position());

            List<EventRecord<TestEvent>> meanwhile = appendSpread(store, 3, 50);
            List<Delivery> secondRun = new CopyOnWriteArrayList<>();
            start(store.subscribe("resume").from(StartFrom.END).handler(collectInto(secondRun)));
            await("the second run handles what was appended meanwhile", () -> secondRun.size() >= 50);

            assertThat(deliveredIds(secondRun)).containsExactlyElementsOf(ids(meanwhile));
            assertThat(secondRun).extracting(Delivery::status).as("appended after the subscription first started")
                    .containsOnly(ProjectionStatus.LIVE);
            await("the checkpoint reaches the last event",
                    () -> store.subscriptions().checkpoint("resume") == meanwhile.getLast().position());
        }

        @Test
        void await_position_returns_once_every_partition_has_handled_the_log_up_to_it_and_false_once_stopped()
                throws Exception {
            List<EventRecord<TestEvent>> stored = appendSpread(store, 7, 60);
            List<Delivery> delivered = new CopyOnWriteArrayList<>();
            Subscription<TestEvent> subscription = start(store.subscribe("awaited").partitions(3).pageSize(10)
                    .handler(collectInto(delivered)));

            assertThat(subscription.awaitPosition(stored.getLast().position(), PATIENCE.multipliedBy(3))).isTrue();
            assertThat(delivered).hasSize(60);
            assertThat(store.subscriptions().checkpoint("awaited")).isGreaterThanOrEqualTo(stored.getLast().position());

            List<EventRecord<TestEvent>> appended = appendSpread(store, 7, 20);
            assertThat(subscription.awaitPosition(appended.getLast().position(), PATIENCE.multipliedBy(3))).isTrue();
            assertThat(delivered).hasSize(80);
            long past = appended.getLast().position() + 1;
            assertThat(subscription.awaitPosition(past, Duration.ofMillis(300))).as("no event is there yet").isFalse();

            subscription.close();
            // Returns at once rather than after the day it was given: the generous deadline only stops a hang.
            assertThat(assertTimeoutPreemptively(PATIENCE.multipliedBy(3),
                    () -> subscription.awaitPosition(past, Duration.ofDays(1)))).as("a stopped instance").isFalse();
        }

        @Test
        void a_subscription_that_never_ran_has_checkpoint_zero() {
            appendSpread(store, 1, 3);

            assertThat(store.subscriptions().checkpoint("never-started")).isZero();
            assertThat(store.subscriptions().parked("never-started")).isEmpty();
        }

        @Test
        void behind_counts_the_events_after_the_checkpoint_up_to_the_limit() throws Exception {
            appendSpread(store, 3, 30);
            assertThat(store.subscriptions().behind("lagging", 1_000)).as("never ran: the whole log").isEqualTo(30);
            assertThat(store.subscriptions().behind("lagging", 10)).as("capped").isEqualTo(10);

            List<Delivery> delivered = new CopyOnWriteArrayList<>();
            Subscription<TestEvent> subscription = start(store.subscribe("lagging").handler(collectInto(delivered)));
            await("every event is handled", () -> store.subscriptions().behind("lagging", 1_000) == 0);
            subscription.close();
            appendSpread(store, 2, 7);

            assertThat(store.subscriptions().behind("lagging", 1_000)).isEqualTo(7);
            assertThatThrownBy(() -> store.subscriptions().behind("lagging", 0))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("limit");
        }
    }

    @Nested
    class Transactional_handlers {

        @Test
        void write_each_event_exactly_once_though_failures_after_writing_make_events_retried() throws Exception {
            ReadModelTable table = readModel();
            List<EventRecord<TestEvent>> stored = appendSpread(store, 5, 120);
            Set<UUID> failedOnce = ConcurrentHashMap.newKeySet();

            start(store.subscribe("read-model").retries(3, Duration.ofMillis(1))
                    .transactionalHandler((record, status, connection) -> {
                        table.insert(connection, record);
                        if (record.version() % 4 == 0 && failedOnce.add(record.id())) {
                            throw new IllegalStateException("failed after writing its row");
                        }
                    }));
            await("the checkpoint reaches the last event",
                    () -> store.subscriptions().checkpoint("read-model") == stored.getLast().position());

            assertThat(failedOnce).hasSize(5 * 6);
            assertThat(table.eventIds()).as("one row per event: a failed attempt's row is rolled back")
                    .containsExactlyInAnyOrderElementsOf(ids(stored));
            assertThat(store.subscriptions().parked("read-model")).isEmpty();
        }

        @Test
        void that_fail_with_an_sql_error_of_their_own_are_retried_and_parked_not_taken_for_a_database_failure()
                throws Exception {
            ReadModelTable table = readModel();
            List<EventRecord<TestEvent>> stored = appendSpread(store, 1, 3);
            EventRecord<TestEvent> broken = stored.get(1);
            AtomicInteger attempts = new AtomicInteger();

            Subscription<TestEvent> subscription = start(store.subscribe("sql-error").retries(3, Duration.ofMillis(1))
                    .transactionalHandler((record, status, connection) -> {
                        table.insert(connection, record);
                        if (record.id().equals(broken.id())) {
                            attempts.incrementAndGet();
                            try (Statement statement = connection.createStatement()) {
                                statement.execute("SELECT * FROM no_such_read_model_table");
                            }
                        }
                    }));
            await("the checkpoint reaches the last event",
                    () -> store.subscriptions().checkpoint("sql-error") == stored.getLast().position());

            assertThat(attempts).hasValue(3);
            assertThat(subscription.parked()).singleElement().satisfies(parked -> {
                assertThat(parked.eventId()).isEqualTo(broken.id());
                assertThat(parked.attempts()).isEqualTo(3);
                assertThat(parked.error()).contains("no_such_read_model_table");
            });
            assertThat(table.eventIds()).as("the failed attempts' rows are rolled back")
                    .containsExactlyInAnyOrder(stored.get(0).id(), stored.get(2).id());
        }
    }

    @Nested
    class Poison_events {

        final AtomicBoolean fixed = new AtomicBoolean();
        final AtomicInteger poisonAttempts = new AtomicInteger();
        final Set<UUID> handled = ConcurrentHashMap.newKeySet();
        EventRecord<TestEvent> poison;

        /** Handles every event, except that it fails on the poison event until {@link #fixed}. */
        final EventHandler<TestEvent> handler = (record, status) -> {
            if (isPoison(record) && !fixed.get()) {
                throw new IllegalStateException("cannot handle the poison yet (attempt "
                        + poisonAttempts.incrementAndGet() + ")");
            }
            handled.add(record.id());
        };

        /** The events appended around the poison event, in log order. */
        final List<EventRecord<TestEvent>> others = new ArrayList<>();

        /** Starts "poison" with three attempts per event, appends the poison event among others and waits. */
        Subscription<TestEvent> parkPoison() throws InterruptedException {
            Subscription<TestEvent> subscription = start(store.subscribe("poison").from(StartFrom.END)
                    .retries(3, Duration.ofMillis(1)).onPoison(PoisonPolicy.PARK_AND_CONTINUE).handler(handler));
            await("the subscription holds its partition", () -> subscription.heldPartitions().size() == 1);
            others.addAll(appendSpread(store, 3, 9));
            poison = store.append("user-1", givenNameSet(POISON)).records().getFirst();
            others.addAll(appendSpread(store, 3, 9));
            await("every other event is handled", () -> handled.size() >= 18);
            return subscription;
        }

        @Test
        void are_parked_after_their_last_attempt_while_the_rest_go_on_their_own_stream_included() throws Exception {
            Subscription<TestEvent> subscription = parkPoison();
            List<Delivery> healthy = new CopyOnWriteArrayList<>();
            start(store.subscribe("healthy").handler(collectInto(healthy)));
            await("a subscription without the fault handles every event", () -> healthy.size() >= 19);

            assertThat(handled).containsExactlyInAnyOrderElementsOf(ids(others));
            assertThat(others).filteredOn(record -> record.stream().equals("user-1"))
                    .anySatisfy(record -> assertThat(record.version()).isGreaterThan(poison.version()));
            assertThat(subscription.parked()).singleElement().satisfies(parked -> {
                assertThat(parked.subscription()).isEqualTo("poison");
                assertThat(parked.eventId()).isEqualTo(poison.id());
                assertThat(parked.position()).isEqualTo(poison.position());
                assertThat(parked.error()).contains(IllegalStateException.class.getName())
                        .contains("cannot handle the poison yet (attempt 3)");
                assertThat(parked.attempts()).isEqualTo(3);
            });
            assertThat(store.subscriptions().parked("poison")).isEqualTo(subscription.parked());
            assertThat(store.subscriptions().parked("healthy")).isEmpty();
        }

        @Test
        void retried_before_the_fix_stay_parked_with_the_new_error_and_after_it_are_handled_and_leave_the_list()
                throws Exception {
            Subscription<TestEvent> subscription = parkPoison();

            assertThat(subscription.retryParked(poison.id())).isFalse();
            assertThat(store.subscriptions().parked("poison")).singleElement().satisfies(parked -> {
                assertThat(parked.attempts()).isEqualTo(4);
                assertThat(parked.error()).contains("(attempt 4)");
            });

            fixed.set(true);
            assertThat(subscription.retryAllParked()).isEqualTo(1);

            assertThat(handled).contains(poison.id()).hasSize(19);
            assertThat(store.subscriptions().parked("poison")).isEmpty();
            assertThatThrownBy(() -> subscription.retryParked(poison.id()))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(poison.id().toString());
        }

        @Test
        void discarded_are_forgotten_without_being_handled() throws Exception {
            parkPoison();

            assertThat(store.subscriptions().discardParked("poison", poison.id())).isTrue();

            assertThat(store.subscriptions().parked("poison")).isEmpty();
            assertThat(store.subscriptions().discardParked("poison", poison.id())).isFalse();
            assertThat(handled).doesNotContain(poison.id());
            assertThat(poisonAttempts).hasValue(3);
        }

        @Test
        void under_the_stop_policy_stop_the_subscription_just_before_them_and_a_restart_after_the_fix_begins_there()
                throws Exception {
            List<EventRecord<TestEvent>> before = appendSpread(store, 1, 5);
            poison = store.append("user-0", givenNameSet(POISON)).records().getFirst();
            List<EventRecord<TestEvent>> after = appendSpread(store, 1, 4);
            List<Delivery> beforeFix = new CopyOnWriteArrayList<>();
            Subscription<TestEvent> stopping = start(store.subscribe("stop").retries(2, Duration.ofMillis(1))
                    .onPoison(PoisonPolicy.STOP).handler((record, status) -> {
                        handler.handle(record, status);
                        beforeFix.add(new Delivery(record, status));
                    }));

            assertThat(stopping.awaitTermination(PATIENCE.multipliedBy(3))).isTrue();
            assertThat(stopping.isRunning()).isFalse();
            assertThat(stopping.failure()).get().isInstanceOf(SubscriptionStoppedException.class)
                    .satisfies(failure -> assertThat(failure.getMessage()).contains(poison.id().toString()));
            assertThat(deliveredIds(beforeFix)).containsExactlyElementsOf(ids(before));
            assertThat(store.subscriptions().checkpoint("stop")).isEqualTo(before.getLast().position());
            assertThat(store.subscriptions().parked("stop")).extracting(ParkedEvent::eventId)
                    .containsExactly(poison.id());

            fixed.set(true);
            List<Delivery> afterFix = new CopyOnWriteArrayList<>();
            start(store.subscribe("stop").onPoison(PoisonPolicy.STOP).handler((record, status) -> {
                handler.handle(record, status);
                afterFix.add(new Delivery(record, status));
            }));
            await("the restarted subscription handles the rest", () -> afterFix.size() >= 5);

            assertThat(deliveredIds(afterFix)).containsExactlyElementsOf(ids(concat(List.of(poison), after)));
            await("the event is no longer parked", () -> store.subscriptions().parked("stop").isEmpty());
        }
    }

    @Nested
    class Projections {

        @Test
        void once_handlers_never_run_again_after_a_replay_while_on_and_all_handlers_rebuild_by_the_hydration_rules()
                throws Exception {
            List<UUID> mailed = new CopyOnWriteArrayList<>();
            List<UUID> rowsWritten = new CopyOnWriteArrayList<>();
            List<UUID> on = new CopyOnWriteArrayList<>();
            List<UUID> all = new CopyOnWriteArrayList<>();
            Projection<TestEvent> projection = Projection.<TestEvent>builder()
                    .once("welcome-mail", UserCreated.class, record -> mailed.add(record.id()), ignoreEffects())
                    .once("welcome-row", UserCreated.class, (record, connection) -> rowsWritten.add(record.id()))
                    .on(TestEvent.class, record -> on.add(record.id()))
                    .all(TestEvent.class, record -> all.add(record.id()))
                    .build();
            Subscription<TestEvent> first = start(store.subscribe("users").from(StartFrom.END)
                    .projection(projection));
            await("the subscription holds its partition", () -> first.heldPartitions().size() == 1);
            List<EventRecord<TestEvent>> stored = new ArrayList<>();
            for (int n = 0; n < 10; n++) {
                stored.addAll(store.append("user-" + n, List.of(userCreated("Jane", "Doe", "jane@example.com"),
                        givenNameSet("Jo"), givenNameSet("Janet"))).records());
            }
            long last = stored.getLast().position();
            await("the first run handles every event", () -> store.subscriptions().checkpoint("users") == last);
            first.close();
            List<UUID> created = ids(stored.stream().filter(record -> record.event() instanceof UserCreated)
                    .toList());
            assertThat(mailed).containsExactlyElementsOf(created);
            assertThat(rowsWritten).containsExactlyElementsOf(created);
            assertThat(on).containsExactlyElementsOf(ids(stored));

            store.subscriptions().replay("users");
            assertThat(store.subscriptions().checkpoint("users")).isZero();
            start(store.subscribe("users").projection(projection));
            await("the replay reaches every event", () -> all.size() >= 60
                    && store.subscriptions().checkpoint("users") == last);

            assertThat(mailed).as("once, plain").containsExactlyElementsOf(created);
            assertThat(rowsWritten).as("once, on the store's connection").containsExactlyElementsOf(created);
            // "Jo" is outdated on replay: its stream holds a newer user:name:given-set, "Janet".
            assertThat(on.subList(30, on.size())).as("on: replays that are up to date")
                    .containsExactlyElementsOf(ids(stored.stream().filter(record -> !(record.event()
                            instanceof UserNameGivenSet set && set.data().equals("Jo"))).toList()));
            assertThat(all.subList(30, all.size())).as("all: every replay").containsExactlyElementsOf(ids(stored));
        }

        @Test
        void a_once_handler_that_succeeded_does_not_run_again_when_its_event_is_retried_for_another_handler()
                throws Exception {
            AtomicInteger mails = new AtomicInteger();
            AtomicInteger readModelAttempts = new AtomicInteger();
            Projection<TestEvent> projection = Projection.<TestEvent>builder()
                    .once("mail", UserCreated.class, record -> mails.incrementAndGet(), ignoreEffects())
                    .on(UserCreated.class, record -> {
                        if (readModelAttempts.incrementAndGet() < 3) {
                            throw new IllegalStateException("read model busy");
                        }
                    })
                    .build();
            Subscription<TestEvent> subscription = start(store.subscribe("mails").from(StartFrom.END)
                    .retries(5, Duration.ofMillis(1)).projection(projection));
            await("the subscription holds its partition", () -> subscription.heldPartitions().size() == 1);

            EventRecord<TestEvent> created = store.append("user-1", userCreated("Jane", "Doe", "jane@example.com"))
                    .records().getFirst();
            await("the event is handled",
                    () -> store.subscriptions().checkpoint("mails") == created.position());

            assertThat(readModelAttempts).hasValue(3);
            assertThat(mails).hasValue(1);
            assertThat(store.subscriptions().parked("mails")).isEmpty();
        }
    }

    @Nested
    class Partitions {

        @Test
        void one_instance_holds_them_all_and_handles_each_event_once_each_stream_in_order() throws Exception {
            List<EventRecord<TestEvent>> handled = new CopyOnWriteArrayList<>();
            Subscription<TestEvent> subscription = start(store.subscribe("split").from(StartFrom.END).partitions(4)
                    .handler((record, status) -> handled.add(record)));
            await("the instance holds all four partitions",
                    () -> subscription.heldPartitions().equals(List.of(0, 1, 2, 3)));

            List<EventRecord<TestEvent>> stored = appendSpread(store, 16, 400);
            await("every event is handled", () -> handled.size() >= 400);

            assertThat(ids(handled)).containsExactlyInAnyOrderElementsOf(ids(stored));
            assertEachStreamInOrder(handled);
            await("every partition's checkpoint reaches the last event",
                    () -> store.subscriptions().checkpoint("split") == stored.getLast().position());
        }

        @Test
        void catching_up_in_1_3_or_8_partitions_handles_each_stored_event_once() throws Exception {
            List<EventRecord<TestEvent>> stored = appendSpread(store, 23, 300);

            for (int partitions : new int[] {1, 3, 8}) {
                List<EventRecord<TestEvent>> handled = new CopyOnWriteArrayList<>();
                String name = "catch-up-" + partitions;
                start(store.subscribe(name).partitions(partitions).pageSize(16)
                        .handler((record, status) -> handled.add(record)));
                await(partitions + " partitions reach the last event",
                        () -> store.subscriptions().checkpoint(name) == stored.getLast().position());

                assertThat(ids(handled)).as("%d partitions", partitions)
                        .containsExactlyInAnyOrderElementsOf(ids(stored));
                assertEachStreamInOrder(handled);
            }
        }

        @Test
        void a_start_with_another_number_than_the_stored_one_is_refused_naming_both_numbers() {
            EventHandler<TestEvent> ignore = (record, status) -> { };
            start(store.subscribe("counted").partitions(4).handler(ignore)).close();

            assertThatThrownBy(() -> start(store.subscribe("counted").partitions(2).handler(ignore)))
                    .isInstanceOfSatisfying(PartitionCountMismatchException.class, mismatch -> {
                        assertThat(mismatch.subscription()).isEqualTo("counted");
                        assertThat(mismatch.storedPartitions()).isEqualTo(4);
                        assertThat(mismatch.requestedPartitions()).isEqualTo(2);
                    })
                    .hasMessageContaining("'counted' is stored with 4 partitions")
                    .hasMessageContaining("asked for 2")
                    .hasMessageContaining("partitions(4)");
            assertThatThrownBy(() -> start(store.subscribe("counted").handler(ignore)))
                    .as("the default of one partition").isInstanceOf(PartitionCountMismatchException.class);
            assertThat(start(store.subscribe("counted").partitions(4).handler(ignore)).isRunning()).isTrue();
            assertThat(start(store.subscribe("recounted").partitions(2).handler(ignore)).isRunning()).isTrue();
        }
    }

    @Nested
    class Slow_handlers {

        @Test
        void a_subscription_reads_the_log_a_page_at_a_time_committing_its_checkpoint_after_each_page()
                throws Exception {
            List<EventRecord<TestEvent>> stored = appendSpread(store, 3, 25);
            EventRecord<TestEvent> sixteenth = stored.get(15);
            CountDownLatch reached = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            start(store.subscribe("paged").pageSize(10).handler((record, status) -> {
                if (record.id().equals(sixteenth.id())) {
                    reached.countDown();
                    release.await(1, TimeUnit.MINUTES);
                }
            }));
            long checkpoint;
            try {
                assertThat(reached.await(PATIENCE.toSeconds(), TimeUnit.SECONDS)).isTrue();
                checkpoint = store.subscriptions().checkpoint("paged");
            } finally {
                release.countDown();
            }

            // The page in hand began at most ten events before the 16th, after a checkpoint committed at its start.
            assertThat(checkpoint).isBetween(stored.get(5).position(), stored.get(14).position());
            await("the subscription finishes", () -> store.subscriptions().checkpoint("paged")
                    == stored.getLast().position());
        }

        @Test
        void a_slow_handler_holds_back_neither_writers_nor_other_subscriptions() throws Exception {
            CountDownLatch reached = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            List<Delivery> slow = new CopyOnWriteArrayList<>();
            List<Delivery> fast = new CopyOnWriteArrayList<>();
            Subscription<TestEvent> slowOne = start(store.subscribe("slow").from(StartFrom.END)
                    .handler((record, status) -> {
                        reached.countDown();
                        release.await(1, TimeUnit.MINUTES);
                        slow.add(new Delivery(record, status));
                    }));
            Subscription<TestEvent> fastOne = start(store.subscribe("fast").from(StartFrom.END)
                    .handler(collectInto(fast)));
            await("both subscriptions hold their partition", () -> slowOne.heldPartitions().size() == 1
                    && fastOne.heldPartitions().size() == 1);
            List<EventRecord<TestEvent>> appended;
            try {
                List<EventRecord<TestEvent>> first = appendSpread(store, 1, 1);
                assertThat(reached.await(PATIENCE.toSeconds(), TimeUnit.SECONDS)).isTrue();

                List<EventRecord<TestEvent>> more = CompletableFuture.supplyAsync(() -> appendSpread(store, 5, 100))
                        .get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
                appended = concat(first, more);
                await("the other subscription handles every event", () -> fast.size() >= 101);
                assertThat(slow).isEmpty();
            } finally {
                release.countDown();
            }
            await("the slow subscription catches up", () -> slow.size() >= 101);

            assertThat(deliveredIds(fast)).containsExactlyElementsOf(ids(appended));
            assertThat(deliveredIds(slow)).containsExactlyElementsOf(ids(appended));
        }
    }
}
