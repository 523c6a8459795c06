package dev.runestone.micrometer;

import static dev.runestone.micrometer.Eventually.eventually;
import static io.micrometer.observation.tck.TestObservationRegistryAssert.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runestone.ConcurrencyException;
import dev.runestone.EventStore;
import dev.runestone.EventValidationException;
import dev.runestone.ExpectedVersion;
import dev.runestone.PendingEvent;
import dev.runestone.Reducer;
import dev.runestone.StorageException;
import dev.runestone.Target;
import dev.runestone.projector.Effects;
import dev.runestone.registry.EventRegistry;
import dev.runestone.sqlite.SqliteStorage;
import dev.runestone.subscription.PoisonPolicy;
import dev.runestone.subscription.Subscription;
import dev.runestone.testkit.TaskEvent;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistry;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator.ReplaceUnderscores;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a store on SQLite reports through the Micrometer instrumentation: every observation with its key values, as
 * {@link TestObservationRegistry} sees it, and the meters a {@link DefaultMeterObservationHandler} and the
 * instrumentation itself register.
 */
@DisplayNameGeneration(ReplaceUnderscores.class)
class SqliteObservationTest {

    /** TaskEvent's registry, refusing a negative number so that an append can be invalid. */
    static final EventRegistry<TaskEvent> REGISTRY = EventRegistry.builder(TaskEvent.class)
            .register("task:opened", TaskEvent.Opened.class)
            .register("task:noted", TaskEvent.Noted.class)
            .validator(TaskEvent.Opened.class, opened -> opened.n() < 0
                    ? List.of(new EventValidationException.Violation("data.n", "minimum", "must not be negative"))
                    : List.of())
            .build();

    static final Reducer<Long, TaskEvent> COUNT = Reducer.of("task-count", Long.class, () -> 0L,
            (count, record) -> count + 1);

    @TempDir
    Path directory;

    TestObservationRegistry observations;
    SimpleMeterRegistry meters;
    EventStore<TaskEvent> store;

    @BeforeEach
    void open() {
        observations = TestObservationRegistry.create();
        meters = new SimpleMeterRegistry();
        observations.observationConfig().observationHandler(new DefaultMeterObservationHandler(meters));
        store = EventStore.builder(REGISTRY, SqliteStorage.file(directory.resolve("events.db")))
                .instrumentation(MicrometerInstrumentation.create(observations, meters))
                .build();
    }

    @AfterEach
    void close() {
        store.close();
    }

    Timer timer(String name, String... tags) {
        return meters.get(name).tags(tags).timer();
    }

    /** {@code threads} threads at once, each appending {@code each} single events to a stream of its own. */
    static void appendConcurrently(EventStore<TaskEvent> store, int threads, int each) throws Exception {
        try (ExecutorService executor = Executors.newFixedThreadPool(threads)) {
            List<Future<?>> appenders = IntStream.range(0, threads)
                    .<Future<?>>mapToObj(thread -> executor.submit(() -> {
                        for (int i = 0; i < each; i++) {
                            store.append("task-" + thread, TaskEvent.opened(i));
                        }
                    }))
                    .toList();
            for (Future<?> appender : appenders) {
                appender.get(30, TimeUnit.SECONDS);
            }
        }
    }

    @Nested
    class Appends {

        @Test
        void coalesced_appends_count_each_group_and_every_append_is_in_exactly_one() throws Exception {
            appendConcurrently(store, 8, 25);

            DistributionSummary groups = meters.get("runestone.append.group").tag("adapter", "sqlite").summary();
            assertThat(groups.totalAmount()).isEqualTo(8 * 25);
            assertThat(groups.count()).isBetween(1L, 8L * 25);
        }

        @Test
        void a_store_that_does_not_coalesce_reports_no_groups() {
            try (EventStore<TaskEvent> uncoalesced = EventStore.builder(REGISTRY, SqliteStorage.builder()
                            .file(directory.resolve("uncoalesced.db")).coalesceAppends(false).build())
                    .instrumentation(MicrometerInstrumentation.create(observations, meters))
                    .build()) {
                uncoalesced.append("task-1", TaskEvent.opened(1));
            }

            assertThat(meters.find("runestone.append.group").summary()).isNull();
            assertThat(meters.get("runestone.append.events").summary().count()).isEqualTo(1);
        }

        @Test
        void are_timed_as_a_producer_observation_tagged_with_adapter_event_type_and_outcome_ok() {
            store.append("task-1", TaskEvent.opened(1));
            store.append("task-1", List.of(TaskEvent.noted(2), TaskEvent.noted(3), TaskEvent.opened(4)));

            assertThat(observations).hasAnObservation(observation -> observation
                    .hasNameEqualTo("runestone.append")
                    .hasContextualNameEqualTo("send task:opened")
                    .hasLowCardinalityKeyValue("adapter", "sqlite")
                    .hasLowCardinalityKeyValue("event.type", "task:opened")
                    .hasLowCardinalityKeyValue("outcome", "ok")
                    .hasLowCardinalityKeyValue("messaging.system", "runestone")
                    .hasLowCardinalityKeyValue("messaging.operation.type", "send")
                    .hasHighCardinalityKeyValue("messaging.destination.name", "task-1")
                    .hasHighCardinalityKeyValueWithKey("messaging.message.id")
                    .doesNotHaveError());
            assertThat(observations).hasAnObservation(observation -> observation
                    .hasNameEqualTo("runestone.append")
                    .hasLowCardinalityKeyValue("event.type", "mixed")
                    .hasHighCardinalityKeyValue("messaging.batch.message_count", "3")
                    .doesNotHaveHighCardinalityKeyValueWithKey("messaging.message.id"));
            assertThat(timer("runestone.append", "adapter", "sqlite", "event.type", "task:opened", "outcome", "ok",
                    "error", "none").count()).isEqualTo(1);
            DistributionSummary events = meters.get("runestone.append.events").tag("adapter", "sqlite").summary();
            assertThat(events.count()).isEqualTo(2);
            assertThat(events.totalAmount()).isEqualTo(4);
            assertThat(events.max()).isEqualTo(3);
        }

        @Test
        void that_conflict_are_tagged_conflict_with_the_exception() {
            store.append("task-1", TaskEvent.opened(1));

            assertThatThrownBy(() -> store.append("task-1", ExpectedVersion.noStream(), TaskEvent.noted(2)))
                    .isInstanceOf(ConcurrencyException.class);

            assertThat(observations).hasAnObservation(observation -> observation
                    .hasNameEqualTo("runestone.append")
                    .hasLowCardinalityKeyValue("outcome", "conflict")
                    .assertThatError().isInstanceOf(ConcurrencyException.class));
            assertThat(timer("runestone.append", "outcome", "conflict", "error", "ConcurrencyException").count())
                    .isEqualTo(1);
        }

        @Test
        void that_break_a_rule_are_tagged_invalid() {
            assertThatThrownBy(() -> store.append("task-1", TaskEvent.opened(-1)))
                    .isInstanceOf(EventValidationException.class);

            assertThat(timer("runestone.append", "outcome", "invalid").count()).isEqualTo(1);
        }

        @Test
        void that_store_nothing_new_are_tagged_duplicate() {
            PendingEvent<TaskEvent> event = store.event("task-1", TaskEvent.opened(1));
            store.append(List.of(event));

            store.append(List.of(event));

            assertThat(timer("runestone.append", "outcome", "ok").count()).isEqualTo(1);
            assertThat(timer("runestone.append", "outcome", "duplicate", "error", "none").count()).isEqualTo(1);
        }

        @Test
        void that_the_database_fails_are_tagged_error() throws Exception {
            store.append("task-1", TaskEvent.opened(1));
            try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + directory.resolve("events.db"));
                    Statement statement = connection.createStatement()) {
                statement.execute("DROP TABLE runestone_events");
            }

            assertThatThrownBy(() -> store.append("task-2", TaskEvent.opened(2)))
                    .isInstanceOf(StorageException.class);

            assertThat(timer("runestone.append", "outcome", "error", "error", "StorageException").count())
                    .isEqualTo(1);
        }
    }

    @Nested
    class Reads_and_reduces {

        @Test
        void reads_are_timed_by_kind() {
            store.append("task-1", TaskEvent.opened(1));

            store.read("task-1");
            store.readLog(0, 10);
            store.readLog(0, 10);

            assertThat(timer("runestone.read", "adapter", "sqlite", "read", "streams").count()).isEqualTo(1);
            assertThat(timer("runestone.read", "adapter", "sqlite", "read", "log").count()).isEqualTo(2);
            assertThat(observations).hasAnObservation(observation -> observation
                    .hasNameEqualTo("runestone.read").hasContextualNameEqualTo("read log"));
        }

        @Test
        void reduces_are_timed_and_tell_a_snapshot_hit_from_a_miss() {
            store.append("task-1", List.of(TaskEvent.opened(1), TaskEvent.noted(2)));
            assertThat(store.reduce(COUNT, "task-1")).contains(2L);
            store.snapshots().create(COUNT, Target.stream("task-1"));
            store.append("task-1", TaskEvent.noted(3));

            assertThat(store.reduce(COUNT, "task-1")).contains(3L);
            assertThat(store.reduce(COUNT, "task-1")).contains(3L);

            assertThat(timer("runestone.reduce", "adapter", "sqlite", "reducer", "task-count", "snapshot", "miss")
                    .count()).isEqualTo(1);
            assertThat(timer("runestone.reduce", "reducer", "task-count", "snapshot", "hit").count()).isEqualTo(2);
            assertThat(observations).hasAnObservation(observation -> observation
                    .hasNameEqualTo("runestone.reduce")
                    .hasContextualNameEqualTo("reduce task-count")
                    .hasHighCardinalityKeyValue("runestone.target", "task-1"));
        }
    }

    @Nested
    class Projector_handlers {

        @Test
        void are_timed_per_handler_as_consumer_observations_and_failures_are_tagged() throws Exception {
            store.projector().on(TaskEvent.Opened.class, record -> { });
            store.projector().once(TaskEvent.Opened.class, record -> {
                throw new IllegalStateException("mail server down");
            }, Effects.of((record, result) -> { }, (record, error) -> { }));

            store.append("task-1", TaskEvent.opened(1));
            assertThat(store.projector().awaitIdle(Duration.ofSeconds(5))).isTrue();

            assertThat(observations).hasAnObservation(observation -> observation
                    .hasNameEqualTo("runestone.projector.handle")
                    .hasContextualNameEqualTo("process task:opened")
                    .hasLowCardinalityKeyValue("handler", "on")
                    .hasLowCardinalityKeyValue("outcome", "ok")
                    .hasLowCardinalityKeyValue("messaging.operation.type", "process")
                    .hasHighCardinalityKeyValue("messaging.destination.name", "task-1")
                    .hasHighCardinalityKeyValue("runestone.status", "live"));
            assertThat(timer("runestone.projector.handle", "handler", "on", "event.type", "task:opened",
                    "outcome", "ok").count()).isEqualTo(1);
            assertThat(timer("runestone.projector.handle", "handler", "once", "outcome", "failed",
                    "error", "IllegalStateException").count()).isEqualTo(1);
        }
    }

    @Nested
    class Durable_subscriptions {

        @Test
        void time_each_attempt_count_retries_and_parked_events_and_the_leases_taken() throws Exception {
            AtomicInteger failuresLeft = new AtomicInteger(2);
            store.append("task-1", TaskEvent.opened(1));
            store.append("task-2", TaskEvent.noted(2));

            try (Subscription<TaskEvent> subscription = store.subscribe("mailer")
                    .retries(3, Duration.ofMillis(1))
                    .onPoison(PoisonPolicy.PARK_AND_CONTINUE)
                    .handler((record, status) -> {
                        if (record.event() instanceof TaskEvent.Noted) {
                            throw new IllegalStateException("never works");
                        }
                        if (failuresLeft.getAndDecrement() > 0) {
                            throw new IllegalStateException("works on the third attempt");
                        }
                    })
                    .start()) {
                eventually(() -> assertThat(subscription.parked()).hasSize(1));
                eventually(() -> assertThat(store.subscriptions().behind("mailer", 10)).isZero());

                String[] tags = {"adapter", "sqlite", "subscription", "mailer"};
                assertThat(timer("runestone.subscription.handle", "subscription", "mailer", "event.type",
                        "task:opened", "outcome", "failed").count()).isEqualTo(2);
                assertThat(timer("runestone.subscription.handle", "event.type", "task:opened", "outcome", "ok")
                        .count()).isEqualTo(1);
                assertThat(timer("runestone.subscription.handle", "event.type", "task:noted", "outcome", "failed")
                        .count()).isEqualTo(3);
                assertThat(meters.get("runestone.subscription.retries").tags(tags).tag("event.type", "task:opened")
                        .counter().count()).isEqualTo(2);
                assertThat(meters.get("runestone.subscription.retries").tag("event.type", "task:noted").counter()
                        .count()).isEqualTo(2);
                assertThat(meters.get("runestone.subscription.parked").tags(tags).tag("event.type", "task:noted")
                        .tag("reason", "failed").counter().count()).isEqualTo(1);
                assertThat(meters.get("runestone.subscription.lease.acquired").tags(tags).counter().count())
                        .isEqualTo(1);
                assertThat(meters.get("runestone.subscription.lease.lost").tags(tags).counter().count()).isZero();
                assertThat(observations).hasAnObservation(observation -> observation
                        .hasNameEqualTo("runestone.subscription.handle")
                        .hasContextualNameEqualTo("process task:opened")
                        .hasHighCardinalityKeyValue("runestone.attempt", "3")
                        .hasHighCardinalityKeyValue("runestone.status", "hydrated"));
            }
        }

        @Test
        void report_their_lag_in_events_and_in_time_while_they_fall_behind_and_none_once_caught_up()
                throws Exception {
            CountDownLatch release = new CountDownLatch(1);
            try (Subscription<TaskEvent> subscription = store.subscribe("slow")
                    .handler((record, status) -> release.await())
                    .start();
                    AutoCloseable released = release::countDown) {
                for (int i = 0; i < 5; i++) {
                    store.append("task-" + i, TaskEvent.opened(i));
                }
                Thread.sleep(300);

                Gauge events = meters.get("runestone.subscription.lag.events")
                        .tags("adapter", "sqlite", "subscription", "slow").gauge();
                TimeGauge time = meters.get("runestone.subscription.lag.time").tag("subscription", "slow")
                        .timeGauge();
                assertThat(events.value()).isEqualTo(5);
                assertThat(time.value(TimeUnit.MILLISECONDS)).isGreaterThanOrEqualTo(300);

                release.countDown();
                eventually(() -> {
                    assertThat(events.value()).isZero();
                    assertThat(time.value(TimeUnit.SECONDS)).isZero();
                });
            }
            assertThat(meters.find("runestone.subscription.lag.events").gauges()).isEmpty();
            assertThat(meters.find("runestone.subscription.lag.time").timeGauges()).isEmpty();
        }

        @Test
        void count_undecodable_rows_they_park() throws Exception {
            store.append("task-1", TaskEvent.opened(1));
            // A registry that knows task:opened under another name: the stored row's type is unknown to it.
            try (EventStore<TaskEvent> other = EventStore.builder(EventRegistry.builder(TaskEvent.class)
                            .register("task:started", TaskEvent.Opened.class)
                            .register("task:noted", TaskEvent.Noted.class).build(),
                    SqliteStorage.file(directory.resolve("events.db")))
                    .instrumentation(MicrometerInstrumentation.create(observations, meters)).build();
                    Subscription<TaskEvent> subscription = other.subscribe("notes").handler((record, status) -> { })
                            .start()) {
                eventually(() -> assertThat(subscription.parked()).hasSize(1));

                assertThat(meters.get("runestone.subscription.parked").tags("subscription", "notes",
                        "event.type", "task:opened", "reason", "undecodable").counter().count()).isEqualTo(1);
            }
        }
    }

    @Test
    void a_registry_without_handlers_observes_nothing_and_the_instrumentation_s_own_meters_still_count() {
        ObservationRegistry quiet = ObservationRegistry.create();
        SimpleMeterRegistry own = new SimpleMeterRegistry();
        try (EventStore<TaskEvent> plain = EventStore.builder(REGISTRY, SqliteStorage.inMemory())
                .instrumentation(MicrometerInstrumentation.create(quiet, own)).build()) {
            plain.append("task-1", TaskEvent.opened(1));
            plain.readLog(0, 10);
            assertThat(plain.reduce(COUNT, "task-1")).contains(1L);
        }

        assertThat(quiet.isNoop()).isTrue();
        assertThat(own.getMeters()).extracting(meter -> meter.getId().getName())
                .containsExactlyInAnyOrder("runestone.append.events", "runestone.append.group");
        assertThat(own.get("runestone.append.events").summary().count()).isEqualTo(1);
        assertThat(own.get("runestone.append.group").summary().totalAmount()).isEqualTo(1);
    }
}
