package dev.runestone.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runestone.EventRecord;
import dev.runestone.EventStore;
import dev.runestone.ReadOptions;
import dev.runestone.registry.EventRegistry;
import dev.runestone.spi.StorageAdapter;
import dev.runestone.spi.SubscriptionStorage;
import dev.runestone.subscription.Subscription;
import dev.runestone.subscription.SubscriptionBuilder;
import dev.runestone.testkit.events.TestEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;

/**
 * What every suite shares: a store on fresh storage for each test, more stores and subscriptions on demand, and
 * closing them all afterwards so tests stay independent.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
abstract class SuiteBase {

    /** How long a test waits for asynchronous work (projections) before it fails. */
    static final Duration PATIENCE = Duration.ofSeconds(10);

    /**
     * One failure an error hook received.
     *
     * @param error  what was thrown
     * @param record the event being handled, or {@code null} for a failure that concerns a whole append
     */
    record Failure(Throwable error, @Nullable EventRecord<TestEvent> record) {
    }

    private final List<EventStore<?>> opened = new ArrayList<>();
    private final List<Subscription<?>> started = new ArrayList<>();

    /** The store of the current test, on a fresh adapter from {@link #fixture()}. */
    EventStore<TestEvent> store;

    /** The storage this adapter's tests run on. */
    protected abstract EventStoreFixture fixture();

    @BeforeEach
    void openDefaultStore() {
        store = openStore(this::configure);
    }

    /** The registry every store of the suite is built with: the generated one, unless a suite needs more rules. */
    EventRegistry<TestEvent> registry() {
        return TestEvent.registry();
    }

    /** Configures the default store; a suite overrides it to add hooks. */
    EventStore.Builder<TestEvent> configure(EventStore.Builder<TestEvent> builder) {
        return builder;
    }

    @AfterEach
    void closeStores() {
        closeSubscriptions();
        RuntimeException failure = null;
        for (EventStore<?> each : opened.reversed()) {
            try {
                each.close();
            } catch (RuntimeException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        opened.clear();
        if (failure != null) {
            throw failure;
        }
    }

    /** Stops every subscription {@link #start} started that is still running; before their stores close. */
    void closeSubscriptions() {
        started.reversed().forEach(Subscription::close);
        started.clear();
    }

    /** Starts a subscription that is closed after the test, if the test did not close it. */
    <E> Subscription<E> start(SubscriptionBuilder<E> builder) {
        Subscription<E> subscription = builder.start();
        started.add(subscription);
        return subscription;
    }

    /** The adapter's subscription storage; an adapter that runs the subscription suites must keep subscriptions. */
    static SubscriptionStorage subscriptions(StorageAdapter adapter) {
        assertThat(adapter).as("an adapter that runs the subscription suites keeps subscriptions")
                .isInstanceOf(SubscriptionStorage.class);
        return (SubscriptionStorage) adapter;
    }

    /** Opens another store on a fresh adapter, configured by {@code configure}; closed after the test. */
    EventStore<TestEvent> openStore(UnaryOperator<EventStore.Builder<TestEvent>> configure) {
        return openStore(fixture().open(), configure);
    }

    /** Opens a store on the given adapter, configured by {@code configure}; closed after the test. */
    EventStore<TestEvent> openStore(StorageAdapter adapter, UnaryOperator<EventStore.Builder<TestEvent>> configure) {
        return openStore(registry(), adapter, configure);
    }

    /** Opens a store of {@code registry}'s events on a fresh adapter; closed after the test. */
    <E> EventStore<E> openStore(EventRegistry<E> registry) {
        return openStore(registry, fixture().open(), builder -> builder);
    }

    /** Opens a store of {@code registry}'s events on the given adapter, configured by {@code configure}. */
    <E> EventStore<E> openStore(EventRegistry<E> registry, StorageAdapter adapter,
            UnaryOperator<EventStore.Builder<E>> configure) {
        EventStore<E> opening;
        try {
            opening = configure.apply(EventStore.builder(registry, adapter).closeTimeout(PATIENCE))
                    .build();
        } catch (RuntimeException e) {
            adapter.close();
            throw e;
        }
        opened.add(opening);
        return opening;
    }

    /** Waits until the store's projector has handled everything pushed so far, failing the test if it does not. */
    static void awaitProjections(EventStore<?> store) throws InterruptedException {
        assertThat(store.projector().awaitIdle(PATIENCE)).as("projector went idle within " + PATIENCE).isTrue();
    }

    /**
     * Waits until {@code condition} holds, failing the test if it does not within three times {@link #PATIENCE}:
     * subscriptions work through the database on threads of their own, on machines that may be busy.
     */
    static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + PATIENCE.multipliedBy(3).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Gave up waiting until " + what);
            }
            Thread.sleep(10);
        }
    }

    /** Every event in the store, in commit order. */
    static <E> List<EventRecord<E>> log(EventStore<E> store) {
        // readLog may hold back committed events while an older transaction is still in flight (PostgreSQL keeps
        // the log gap-free that way, and the transaction may belong to anyone on the server): wait until it has
        // caught up with every committed event, which readAll returns at once.
        long deadline = System.nanoTime() + PATIENCE.multipliedBy(6).toNanos();
        while (true) {
            List<EventRecord<E>> log = store.readLog(0, Integer.MAX_VALUE).events();
            if (log.size() >= store.readAll(ReadOptions.defaults()).size() || System.nanoTime() > deadline) {
                return log;
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return log;
            }
        }
    }
}
