package dev.runestone.test;

import dev.runestone.AggregateReducer;
import dev.runestone.AggregateRoot;
import dev.runestone.EventRecord;
import dev.runestone.EventStore;
import dev.runestone.Reducer;
import dev.runestone.clock.HybridLogicalClock;
import dev.runestone.projector.Projector;
import dev.runestone.registry.EventRegistry;
import dev.runestone.spi.StorageAdapter;
import dev.runestone.spi.SubscriptionStorage;
import dev.runestone.subscription.Subscription;
import dev.runestone.subscription.SubscriptionBuilder;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.function.Executable;
import org.opentest4j.AssertionFailedError;

/**
 * Main entry point: a fresh {@link EventStore} for each test, on a {@link TestClock}, with given/when/then scenarios
 * for your aggregates, reducers, projector handlers and durable subscriptions. Register it as a JUnit extension:
 *
 * <pre>{@code
 * class UserTest {
 *     @RegisterExtension
 *     final TestEventStore<UserEvent> runestone = TestEventStore.of(UserEvent.registry());
 *
 *     @Test
 *     void a_new_email_is_recorded() {
 *         runestone.aggregate(User.REDUCER, "user-1")
 *                 .given(new UserCreated(...))
 *                 .when(user -> user.changeEmail("jane@example.org"))
 *                 .then(new UserEmailSet("jane@example.org", new UserEmailSet.Meta("jane")));
 *     }
 * }
 * }</pre>
 *
 * <p>The store opens on first use, on storage from a {@link TestStorage}: an in-memory SQLite database unless the
 * system property {@value TestStorage#PROPERTY} or {@link #of(EventRegistry, TestStorage)} says otherwise. After each
 * test it closes, with the subscriptions the scenarios started, and {@link #clock()} goes back to
 * {@link TestClock#DEFAULT_START}; outside JUnit, {@link #close()} does the same. Events go through the store as in
 * production (validated, encoded, stored and read back), so a test passes only with events the store accepts.
 *
 * <p>Not thread-safe: use it from the test's thread. The {@link #store()} it opens is thread-safe as usual.
 *
 * @param <E> the event type
 */
public final class TestEventStore<E> implements AfterEachCallback, AutoCloseable {

    /**
     * How long a scenario waits for handlers on other threads before it fails. Generous, as it only matters when
     * something is wrong; a passing test never waits longer than its handlers take.
     */
    static final Duration PATIENCE = Duration.ofSeconds(30);

    /** A failure the store's error hook received: a projector handler threw. */
    record HandlerFailure(Throwable error, @Nullable EventRecord<?> record) {
    }

    /**
     * Work on a connection to the store's own database; see {@link #inTransaction(ConnectionWork)}.
     *
     * @param <T> what it returns
     */
    @FunctionalInterface
    public interface ConnectionWork<T extends @Nullable Object> {

        /** Runs on {@code connection}; must neither commit, roll back nor close it. */
        T run(Connection connection) throws SQLException;
    }

    private final EventRegistry<E> registry;
    private final TestStorage storage;
    private final TestClock clock = new TestClock();
    private final List<Subscription<E>> subscriptions = new ArrayList<>();
    private final AtomicLong lastAppended = new AtomicLong();
    private final List<HandlerFailure> handlerFailures = new CopyOnWriteArrayList<>();
    private @Nullable StorageAdapter adapter;
    private @Nullable EventStore<E> store;

    private TestEventStore(EventRegistry<E> registry, TestStorage storage) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.storage = Objects.requireNonNull(storage, "storage");
    }

    /**
     * A store of {@code registry}'s events on the storage {@link TestStorage#configured()} names: in-memory SQLite
     * unless the system property {@value TestStorage#PROPERTY} names another.
     *
     * @throws IllegalStateException if the property names a class that cannot be used
     */
    public static <E> TestEventStore<E> of(EventRegistry<E> registry) {
        return new TestEventStore<>(registry, TestStorage.configured());
    }

    /** A store of {@code registry}'s events on {@code storage}, whatever the system property says. */
    public static <E> TestEventStore<E> of(EventRegistry<E> registry, TestStorage storage) {
        return new TestEventStore<>(registry, storage);
    }

    /**
     * The store of this test, opened on first call: stamped by {@link #clock()}, its projector's failures reported by
     * the scenarios rather than logged.
     */
    public EventStore<E> store() {
        EventStore<E> current = store;
        if (current != null) {
            return current;
        }
        StorageAdapter opened = Objects.requireNonNull(storage.open(), "TestStorage.open() returned null");
        try {
            current = EventStore.builder(registry, opened)
                    .clock(HybridLogicalClock.builder().timeSource(clock).build())
                    .wallClock(clock)
                    .afterInsert(records -> records.forEach(
                            record -> lastAppended.accumulateAndGet(record.position(), Math::max)))
                    .onError((error, record) -> handlerFailures.add(new HandlerFailure(error, record)))
                    .build();
        } catch (RuntimeException e) {
            opened.close();
            storage.discard(opened);
            throw e;
        }
        adapter = opened;
        store = current;
        return current;
    }

    /** The wall clock of {@link #store()}'s {@code created} and {@code recorded}; set or advance it at any time. */
    public TestClock clock() {
        return clock;
    }

    /** Appends {@code events} to {@code stream}, in one append: what happened before the test's scenario. */
    @SafeVarargs
    @SuppressWarnings("varargs") // List.of copies the array, which never escapes.
    public final TestEventStore<E> given(String stream, E... events) {
        return given(stream, List.of(events));
    }

    /** Appends {@code events} to {@code stream}, in one append: what happened before the test's scenario. */
    public TestEventStore<E> given(String stream, List<? extends E> events) {
        Objects.requireNonNull(stream, "stream");
        if (!events.isEmpty()) {
            store().append(stream, events);
        }
        return this;
    }

    /**
     * A given/when/then scenario for the aggregate that {@code reducer} loads from {@code stream}.
     *
     * @see AggregateScenario
     */
    public <A extends AggregateRoot<E>> AggregateScenario<A, E> aggregate(AggregateReducer<A, E> reducer,
            String stream) {
        return new AggregateScenario<>(this, Objects.requireNonNull(reducer, "reducer"),
                Objects.requireNonNull(stream, "stream"));
    }

    /**
     * A given/then scenario for the state {@code reducer} folds from {@code stream}. For an aggregate, whose state
     * is not a value to compare, use {@link #aggregate(AggregateReducer, String)}.
     *
     * @see ReducerScenario
     */
    public <S> ReducerScenario<S, E> reducer(Reducer<S, E> reducer, String stream) {
        return new ReducerScenario<>(this, Objects.requireNonNull(reducer, "reducer"),
                Objects.requireNonNull(stream, "stream"));
    }

    /**
     * Registers handlers on {@link #store()}'s projector, then returns a scenario that appends events and checks what
     * the handlers made of them.
     *
     * @param handlers registers the handlers under test, e.g. {@code projector -> readModel.register(projector)}
     * @see ProjectorScenario
     */
    public ProjectorScenario<E> projector(Consumer<? super Projector<E>> handlers) {
        Objects.requireNonNull(handlers, "handlers");
        EventStore<E> opened = store();
        int failuresBefore = handlerFailures.size();
        handlers.accept(opened.projector());
        return new ProjectorScenario<>(this, failuresBefore);
    }

    /**
     * Starts the durable subscription {@code subscribe} configures and waits until it holds its partitions and has
     * handled every event appended so far, so that events appended afterwards reach it as new ones; then returns a
     * scenario that appends events and checks what its handlers made of them. The subscription stops after the test.
     *
     * @param subscribe configures the subscription under test, e.g.
     *                  {@code store -> store.subscribe("users").projection(projection)}; the scenario starts it
     * @throws AssertionError if it stops or falls behind instead
     * @see SubscriptionScenario
     */
    public SubscriptionScenario<E> subscription(Function<? super EventStore<E>, SubscriptionBuilder<E>> subscribe) {
        Objects.requireNonNull(subscribe, "subscribe");
        SubscriptionBuilder<E> builder = Objects.requireNonNull(subscribe.apply(store()),
                "subscribe returned null; return the builder, e.g. store.subscribe(\"name\").projection(projection)");
        settle();
        Subscription<E> started = builder.start();
        subscriptions.add(started);
        SubscriptionScenario<E> scenario = new SubscriptionScenario<>(this, started);
        scenario.awaitHandled();
        return scenario;
    }

    /**
     * Waits until the log returns the last event appended, so that a subscription starting now counts every event
     * appended so far as stored before it: on PostgreSQL the log holds events back a moment while any transaction on
     * the server, another test's included, is still in flight.
     */
    private void settle() {
        long last = lastAppended.get();
        boolean settled;
        try {
            settled = last == 0 || Objects.requireNonNull(adapter).awaitEvents(last - 1, PATIENCE);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionFailedError("Interrupted while waiting for the log to return the events appended", e);
        }
        if (!settled) {
            throw new AssertionFailedError("The log did not return the event at position " + last + " within "
                    + PATIENCE.toSeconds() + " s of its append");
        }
    }

    /**
     * Runs {@code work} on a connection to the store's own database, in a transaction that commits when it returns:
     * to create, fill and read the tables that transactional and connection handlers write beside the events (an
     * in-memory SQLite store has no other connection). Plain SQL both SQLite and PostgreSQL run keeps the test
     * storage-neutral.
     *
     * <pre>{@code
     * runestone.inTransaction(connection -> connection.createStatement().execute(
     *         "CREATE TABLE accounts (id TEXT PRIMARY KEY, balance BIGINT NOT NULL)"));
     * }</pre>
     *
     * @return what {@code work} returned
     * @throws SQLException          what {@code work} threw; nothing it wrote is kept
     * @throws IllegalStateException if the storage keeps no durable subscriptions, whose transactions this borrows
     */
    public <T extends @Nullable Object> T inTransaction(ConnectionWork<T> work) throws SQLException {
        Objects.requireNonNull(work, "work");
        store();
        if (!(adapter instanceof SubscriptionStorage transactions)) {
            throw new IllegalStateException("The test storage " + adapter + " keeps no durable subscriptions, so "
                    + "handlers cannot write on its connection; use a storage that implements SubscriptionStorage, "
                    + "as the SQLite and PostgreSQL adapters do");
        }
        List<T> result = new ArrayList<>(1);
        try {
            // A random event id, and no once-ledger keys returned: the ledger records nothing.
            transactions.runInTransaction(UUID.randomUUID(), connection -> {
                result.add(work.run(connection));
                return List.of();
            });
        } catch (SQLException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("Running work on the store's connection failed", e);
        }
        return result.getFirst();
    }

    /**
     * Stops the subscriptions the scenarios started, closes the store and {@linkplain TestStorage#discard discards}
     * its storage, and sets the clock back to {@link TestClock#DEFAULT_START}; the next use opens a new store. Calling
     * it twice is harmless.
     */
    @Override
    public void close() {
        EventStore<E> closing = store;
        StorageAdapter closingAdapter = adapter;
        store = null;
        adapter = null;
        try {
            subscriptions.reversed().forEach(Subscription::close);
        } finally {
            subscriptions.clear();
            try {
                if (closing != null) {
                    closing.close();
                }
            } finally {
                lastAppended.set(0);
                handlerFailures.clear();
                clock.reset();
                if (closingAdapter != null) {
                    storage.discard(closingAdapter);
                }
            }
        }
    }

    /** Closes the test's store; see {@link #close()}. */
    @Override
    public void afterEach(ExtensionContext context) {
        close();
    }

    /**
     * Runs the assertions a scenario's {@code then} was given: an assertion error or unchecked exception as it is, a
     * checked exception (an {@code SQLException} reading a read model) as the cause of an assertion error.
     */
    static void runAssertions(Executable assertions) {
        Objects.requireNonNull(assertions, "assertions");
        try {
            assertions.execute();
        } catch (Error | RuntimeException e) {
            throw e;
        } catch (Throwable e) {
            throw new AssertionFailedError("The assertions given to then(...) threw " + e, e);
        }
    }

    /** The highest position of an event appended through {@link #store()} so far; 0 before the first. */
    long lastAppended() {
        return lastAppended.get();
    }

    /** The projector failures the store reported since the {@code from}-th. */
    List<HandlerFailure> handlerFailuresFrom(int from) {
        List<HandlerFailure> all = List.copyOf(handlerFailures);
        return all.subList(Math.min(from, all.size()), all.size());
    }
}
