package dev.runestone.micrometer;

import static dev.runestone.micrometer.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import dev.runestone.EventRecord;
import dev.runestone.EventStore;
import dev.runestone.postgres.PostgresStorage;
import dev.runestone.subscription.Subscription;
import dev.runestone.testkit.TaskEvent;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.tck.TestObservationRegistry;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator.ReplaceUnderscores;
import org.junit.jupiter.api.Test;

/**
 * What a store on PostgreSQL reports besides what every store does: how long readers wait for a late commit, and,
 * through HikariCP's own Micrometer support, how long calls wait for a pooled connection.
 */
@DisplayNameGeneration(ReplaceUnderscores.class)
class PostgresObservationTest {

    String schema;
    TestObservationRegistry observations;
    SimpleMeterRegistry meters;
    EventStore<TaskEvent> store;

    @BeforeEach
    void open() {
        schema = TestDatabase.newSchema();
        observations = TestObservationRegistry.create();
        meters = new SimpleMeterRegistry();
        observations.observationConfig().observationHandler(new DefaultMeterObservationHandler(meters));
        store = EventStore.builder(SqliteObservationTest.REGISTRY, PostgresStorage.builder()
                        .jdbcUrl(TestDatabase.url()).schema(schema).poolSize(4).poolMetrics(meters).build())
                .instrumentation(MicrometerInstrumentation.create(observations, meters))
                .build();
    }

    @AfterEach
    void close() throws Exception {
        store.close();
        TestDatabase.dropSchema(schema);
    }

    @Test
    void coalesced_appends_count_each_group_and_every_append_is_in_exactly_one() throws Exception {
        SqliteObservationTest.appendConcurrently(store, 8, 25);

        DistributionSummary groups = meters.get("runestone.append.group").tag("adapter", "postgres").summary();
        assertThat(groups.totalAmount()).isEqualTo(8 * 25);
        assertThat(groups.count()).isBetween(1L, 8L * 25);
    }

    @Test
    void appends_and_reads_are_tagged_with_the_postgres_adapter() {
        store.append("task-1", TaskEvent.opened(1));
        store.readLog(0, 10);

        assertThat(meters.get("runestone.append").tags("adapter", "postgres", "outcome", "ok").timer().count())
                .isEqualTo(1);
        assertThat(meters.get("runestone.read").tags("adapter", "postgres", "read", "log").timer().count())
                .isEqualTo(1);
    }

    @Test
    void a_reader_held_back_by_a_transaction_in_flight_reports_how_long_it_waited() throws Exception {
        List<EventRecord<TaskEvent>> handled = new CopyOnWriteArrayList<>();
        try (Subscription<TaskEvent> subscription = store.subscribe("follower")
                .handler((record, status) -> handled.add(record)).start()) {
            eventually(() -> assertThat(subscription.heldPartitions()).containsExactly(0));
            try (Connection late = DriverManager.getConnection(TestDatabase.url())) {
                late.setAutoCommit(false);
                try (Statement statement = late.createStatement()) {
                    // Takes a transaction id: every position written from now on lies above what it could still
                    // write, so readers hold back until it ends.
                    statement.execute("SELECT pg_current_xact_id()");
                }
                store.append("task-1", TaskEvent.opened(1));
                Thread.sleep(400);
                assertThat(handled).isEmpty();
                late.commit();
            }
            eventually(() -> assertThat(handled).hasSize(1));
        }

        Timer gapWait = meters.get("runestone.log.gap.wait").tag("adapter", "postgres").timer();
        assertThat(gapWait.count()).isPositive();
        assertThat(gapWait.totalTime(TimeUnit.MILLISECONDS)).isGreaterThanOrEqualTo(350);
    }

    @Test
    void the_store_s_own_pool_reports_connection_waits_through_hikari() {
        store.append("task-1", TaskEvent.opened(1));

        Timer acquire = meters.get("hikaricp.connections.acquire").tag("pool", "runestone-" + schema).timer();
        assertThat(acquire.count()).isPositive();
        assertThat(meters.get("hikaricp.connections.pending").tag("pool", "runestone-" + schema).gauge().value())
                .isZero();
    }
}
