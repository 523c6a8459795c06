package dev.runestone.testkit;

import static dev.runestone.testkit.SubscriptionSuite.appendSpread;
import static dev.runestone.testkit.SubscriptionSuite.assertEachStreamInOrder;
import static dev.runestone.testkit.SubscriptionSuite.ids;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runestone.EventRecord;
import dev.runestone.EventStore;
import dev.runestone.spi.Lease;
import dev.runestone.spi.StorageAdapter;
import dev.runestone.spi.SubscriptionStorage;
import dev.runestone.subscription.EventHandler;
import dev.runestone.subscription.PartitionCountMismatchException;
import dev.runestone.subscription.StartFrom;
import dev.runestone.subscription.Subscription;
import dev.runestone.testkit.events.TestEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/**
 * A durable subscription run by several stores on one database, as several processes would run it: splitting the
 * partitions, handing them over when an instance leaves, joins or dies, fencing off an instance that lost its lease,
 * exactly-once writes across a crash, and one number of partitions for every instance. Needs a
 * {@link ReopenableFixture}.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
public abstract class SubscriptionInstancesSuite extends SuiteBase {

    /** How long an instance's lease lasts: long enough for a busy machine, short enough to wait for its expiry. */
    static final Duration LEASE = Duration.ofSeconds(2);

    /** The database of the current test, which every store of the test opens. */
    ReopenableFixture.Database database;

    /** The adapter of the default store. */
    StorageAdapter adapter;

    private final List<ReadModelTable> readModels = new ArrayList<>();

    /** Storage that several adapters can open at once. */
    @Override
    protected abstract ReopenableFixture fixture();

    @BeforeEach
    @Override
    void openDefaultStore() {
        database = fixture().createDatabase();
        adapter = database.open();
        store = openStore(adapter, this::configure);
    }

    @AfterEach
    void dropReadModels() throws Exception {
        closeSubscriptions();
        for (ReadModelTable table : readModels) {
            table.drop();
        }
    }

    /** Another store on the test's database, as another process would open it. */
    EventStore<TestEvent> openInstance() {
        return openStore(database.open(), this::configure);
    }

    /** What the instances did, checked for overlap and order as they go. */
    static final class Observed {

        final Map<UUID, Integer> deliveries = new ConcurrentHashMap<>();
        final List<EventRecord<TestEvent>> firstDeliveries = new CopyOnWriteArrayList<>();
        final Map<String, Set<String>> instancesPerStream = new ConcurrentHashMap<>();
        final List<String> overlaps = new CopyOnWriteArrayList<>();
        private final Map<String, String> inFlight = new ConcurrentHashMap<>();

        /** A handler for {@code instance} that records each delivery and whether another was busy with its stream. */
        EventHandler<TestEvent> handlerFor(String instance) {
            return (record, status) -> {
                String holder = inFlight.putIfAbsent(record.stream(), instance);
                if (holder != null) {
                    overlaps.add(record.stream() + " handled by " + holder + " and " + instance + " at once");
                }
                try {
                    if (deliveries.merge(record.id(), 1, Integer::sum) == 1) {
                        firstDeliveries.add(record);
                    }
                    instancesPerStream.computeIfAbsent(record.stream(), stream -> ConcurrentHashMap.newKeySet())
                            .add(instance);
                } finally {
                    inFlight.remove(record.stream(), instance);
                }
            };
        }
    }

    Subscription<TestEvent> instance(EventStore<TestEvent> on, String name, int partitions, Observed observed) {
        return start(on.subscribe("shared").from(StartFrom.END).partitions(partitions).lease(LEASE).pageSize(100)
                .instanceName(name).handler(observed.handlerFor(name)));
    }

    static int held(List<Subscription<TestEvent>> instances) {
        return instances.stream().mapToInt(instance -> instance.heldPartitions().size()).sum();
    }

    @Test
    void two_instances_split_the_partitions_handle_each_event_once_and_never_one_stream_on_both_at_once()
            throws Exception {
        Observed observed = new Observed();
        Subscription<TestEvent> one = instance(openInstance(), "one", 4, observed);
        Subscription<TestEvent> two = instance(openInstance(), "two", 4, observed);
        await("the instances hold two partitions each",
                () -> one.heldPartitions().size() == 2 && two.heldPartitions().size() == 2);

        List<EventRecord<TestEvent>> stored = appendSpread(store, 16, 800);
        await("every event is handled", () -> observed.deliveries.size() >= 800);

        assertThat(observed.deliveries.values()).containsOnly(1);
        assertThat(observed.deliveries.keySet()).containsExactlyInAnyOrderElementsOf(ids(stored));
        assertThat(observed.overlaps).isEmpty();
        assertThat(observed.instancesPerStream.values()).allSatisfy(handlers -> assertThat(handlers).hasSize(1));
        assertThat(observed.instancesPerStream.values().stream().flatMap(Set::stream).distinct())
                .containsExactlyInAnyOrder("one", "two");
        assertEachStreamInOrder(observed.firstDeliveries);

        one.close();
        await("the remaining instance takes every partition over", () -> two.heldPartitions().size() == 4);
        List<EventRecord<TestEvent>> more = appendSpread(store, 16, 200);
        await("the remaining instance handles the new events", () -> observed.deliveries.size() >= 1000);

        assertThat(observed.deliveries.values()).as("a leaving instance hands its checkpoints over")
                .containsOnly(1);
        assertThat(observed.deliveries.keySet()).containsAll(ids(more));
        assertEachStreamInOrder(observed.firstDeliveries);
    }

    @Test
    void a_joining_instance_gets_its_share_and_the_others_take_over_the_share_of_one_that_dies() throws Exception {
        Observed observed = new Observed();
        EventStore<TestEvent> dying = openInstance();
        List<Subscription<TestEvent>> instances = new ArrayList<>(List.of(instance(dying, "a", 8, observed),
                instance(openInstance(), "b", 8, observed)));
        await("two instances hold four partitions each", () -> instances.stream()
                .allMatch(instance -> instance.heldPartitions().size() == 4));
        appendSpread(store, 40, 600);
        await("two instances handle the first events", () -> observed.deliveries.size() >= 600);

        instances.add(instance(openInstance(), "c", 8, observed));
        await("three instances split eight partitions 3/3/2", () -> held(instances) == 8
                && instances.stream().allMatch(instance -> instance.heldPartitions().size() >= 2));
        appendSpread(store, 40, 600);
        await("three instances handle the next events", () -> observed.deliveries.size() >= 1200);
        assertThat(observed.deliveries.values()).as("partitions handed over carry their checkpoints")
                .containsOnly(1);

        // Instance a dies: its store closes under it, it hands nothing over, and its leases run out.
        List<Integer> orphaned = instances.getFirst().heldPartitions();
        assertThat(orphaned).isNotEmpty();
        dying.close();
        List<EventRecord<TestEvent>> last = appendSpread(store, 40, 600);
        await("the survivors hold every partition",
                () -> held(instances.subList(1, 3)) == 8);
        await("the survivors handle everything, the dead instance's share included",
                () -> observed.deliveries.size() >= 1800);

        assertThat(observed.overlaps).isEmpty();
        assertThat(observed.deliveries.keySet()).containsAll(ids(last));
        assertEachStreamInOrder(observed.firstDeliveries);
        await("every checkpoint reaches the last event",
                () -> store.subscriptions().checkpoint("shared") >= last.getLast().position());
    }

    @Test
    void an_instance_that_lost_its_lease_can_neither_commit_nor_renew_nor_release_it() throws Exception {
        StorageAdapter staleAdapter = database.open();
        openStore(staleAdapter, builder -> builder);
        SubscriptionStorage stale = subscriptions(staleAdapter);
        SubscriptionStorage current = subscriptions(adapter);

        stale.acquireLease("fenced", 0, "a", Duration.ofMinutes(1), 0, 0).orElseThrow();
        assertThat(current.acquireLease("fenced", 0, "b", Duration.ofMinutes(1), 0, 0))
                .as("a lease still running is not taken").isEmpty();
        Lease lost = stale.acquireLease("fenced", 1, "a", Duration.ofMillis(100), 0, 0).orElseThrow();
        AtomicReference<Lease> taken = new AtomicReference<>();
        await("the lease runs out and another instance takes the partition", () -> {
            current.acquireLease("fenced", 1, "b", Duration.ofMinutes(1), 0, 0).ifPresent(taken::set);
            return taken.get() != null;
        });
        Lease takenOver = taken.get();

        AtomicInteger ran = new AtomicInteger();
        assertThat(takenOver.token()).isGreaterThan(lost.token());
        assertThat(stale.commitCheckpoint(lost, 99)).isFalse();
        assertThat(stale.renewLease(lost, Duration.ofMinutes(1))).isFalse();
        assertThat(stale.commitInTransaction(lost, 99, UUID.randomUUID(), connection -> {
            ran.incrementAndGet();
            return List.of();
        })).isFalse();
        stale.releaseLease(lost);

        assertThat(ran).as("fenced work does not run").hasValue(0);
        assertThat(stale.acquireLease("fenced", 1, "c", Duration.ofMinutes(1), 0, 0))
                .as("a stale release frees nothing").isEmpty();
        assertThat(current.commitCheckpoint(takenOver, 7)).isTrue();
        assertThat(current.checkpoints("fenced")).filteredOn(row -> row.partition() == 1).singleElement()
                .satisfies(row -> {
                    assertThat(row.position()).isEqualTo(7);
                    assertThat(row.owner()).isEqualTo("b");
                    assertThat(row.token()).isEqualTo(takenOver.token());
                });
    }

    @Test
    void after_a_crash_a_transactional_handler_has_written_each_event_exactly_once_and_nothing_is_lost()
            throws Exception {
        ReadModelTable table = ReadModelTable.create(adapter);
        readModels.add(table);
        List<EventRecord<TestEvent>> stored = appendSpread(store, 5, 200);
        EventRecord<TestEvent> stuck = stored.get(119);
        AtomicInteger stuckAttempts = new AtomicInteger();
        EventStore<TestEvent> crashing = openInstance();
        // One page for everything: only the transactions of the events themselves can have moved the checkpoint.
        start(crashing.subscribe("read-model").pageSize(1000).lease(LEASE).retries(1000, Duration.ofMillis(10))
                .transactionalHandler((record, status, connection) -> {
                    table.insert(connection, record);
                    if (record.id().equals(stuck.id())) {
                        stuckAttempts.incrementAndGet();
                        throw new IllegalStateException("the process dies before this event commits");
                    }
                }));
        await("the handler is stuck at the 120th event", () -> stuckAttempts.get() > 0);

        crashing.close();
        AtomicBoolean redelivered = new AtomicBoolean();
        Set<UUID> seenAfterCrash = ConcurrentHashMap.newKeySet();
        start(store.subscribe("read-model").pageSize(1000).lease(LEASE)
                .transactionalHandler((record, status, connection) -> {
                    if (!seenAfterCrash.add(record.id())) {
                        redelivered.set(true);
                    }
                    table.insert(connection, record);
                }));
        await("the restarted subscription reaches the last event",
                () -> store.subscriptions().checkpoint("read-model") == stored.getLast().position());

        assertThat(seenAfterCrash).as("resumed right after the last event committed")
                .containsExactlyInAnyOrderElementsOf(ids(stored.subList(119, 200)));
        assertThat(redelivered).isFalse();
        assertThat(table.eventIds()).containsExactlyInAnyOrderElementsOf(ids(stored));
    }

    @Test
    void an_instance_asking_for_another_number_of_partitions_is_refused_while_the_others_run() throws Exception {
        Observed observed = new Observed();
        Subscription<TestEvent> first = instance(openInstance(), "first", 4, observed);
        await("the first instance holds every partition", () -> first.heldPartitions().size() == 4);
        EventStore<TestEvent> other = openInstance();

        assertThatThrownBy(() -> instance(other, "second", 2, observed))
                .isInstanceOf(PartitionCountMismatchException.class)
                .hasMessageContaining("stored with 4 partitions").hasMessageContaining("asked for 2");
        Subscription<TestEvent> second = instance(other, "second", 4, observed);
        await("the instances share the partitions",
                () -> first.heldPartitions().size() == 2 && second.heldPartitions().size() == 2);
        assertThat(first.failure()).isEqualTo(Optional.empty());
    }
}
