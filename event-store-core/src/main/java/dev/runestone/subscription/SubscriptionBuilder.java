package dev.runestone.subscription;

import dev.runestone.EventStore;
import dev.runestone.instrumentation.Instrumentation;
import dev.runestone.spi.EventStorage;
import dev.runestone.spi.SubscriptionStorage;
import java.time.Duration;
import dev.runestone.internal.SubscriptionAccess;
import dev.runestone.internal.WellFormedText;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Configures a durable subscription; made by {@link EventStore#subscribe(String)}. Choose one handler
 * ({@link #handler(EventHandler)}, {@link #transactionalHandler(TransactionalHandler)} or
 * {@link #projection(Projection)}), then {@link #start()}.
 *
 * <pre>{@code
 * Subscription<UserEvent> subscription = store.subscribe("welcome-emails")
 *         .from(StartFrom.END)
 *         .partitions(4)
 *         .lease(Duration.ofSeconds(10))
 *         .retries(5, Duration.ofMillis(200))
 *         .onPoison(PoisonPolicy.PARK_AND_CONTINUE)
 *         .projection(projection)
 *         .start();
 * }</pre>
 *
 * <p>Every instance running a subscription of the same name must use the same number of partitions: the store
 * keeps the number the subscription first started with, and {@link #start()} refuses another. Not thread-safe.
 *
 * @param <E> the event type
 */
public final class SubscriptionBuilder<E> {

    private final EventStore<E> store;
    private final EventStorage events;
    private final SubscriptionStorage storage;
    private final Instrumentation instrumentation;
    private final String name;
    private StartFrom startFrom = StartFrom.BEGINNING;
    private int partitions = 1;
    private Duration lease = Duration.ofSeconds(30);
    private int attempts = 5;
    private Duration backoff = Duration.ofMillis(100);
    private PoisonPolicy poisonPolicy = PoisonPolicy.PARK_AND_CONTINUE;
    private int pageSize = 256;
    private @Nullable Sink<E> sink;
    private @Nullable String instanceName;

    static {
        SubscriptionAccess.register(new SubscriptionAccess.Factory() {
            @Override
            public <E> SubscriptionBuilder<E> builder(EventStore<E> store, EventStorage events,
                    SubscriptionStorage storage, Instrumentation instrumentation, String name) {
                return new SubscriptionBuilder<>(store, events, storage, instrumentation, name);
            }

            @Override
            public Subscriptions subscriptions(EventStorage events, SubscriptionStorage storage) {
                return new Subscriptions(events, storage);
            }
        });
    }

    private SubscriptionBuilder(EventStore<E> store, EventStorage events, SubscriptionStorage storage,
            Instrumentation instrumentation, String name) {
        this.store = Objects.requireNonNull(store, "store");
        this.events = Objects.requireNonNull(events, "events");
        this.storage = Objects.requireNonNull(storage, "storage");
        this.instrumentation = Objects.requireNonNull(instrumentation, "instrumentation");
        this.name = Subscriptions.requireName(name);
    }

    /** Where to start when the subscription has no checkpoint yet; default {@link StartFrom#BEGINNING}. */
    public SubscriptionBuilder<E> from(StartFrom startFrom) {
        this.startFrom = Objects.requireNonNull(startFrom, "startFrom");
        return this;
    }

    /**
     * Splits the log into {@code partitions} parts by a hash of the stream id, each with its own checkpoint and
     * lease; instances share the parts. Default 1. A stream's events are always in one part, handled in order.
     *
     * <p>The number is fixed when the subscription first starts: every later start of the same name, on any
     * instance, must ask for the same number (see {@link #start()}).
     */
    public SubscriptionBuilder<E> partitions(int partitions) {
        if (partitions < 1 || partitions > 1024) {
            throw new IllegalArgumentException("partitions must be between 1 and 1024, was " + partitions);
        }
        this.partitions = partitions;
        return this;
    }

    /**
     * How long a partition's lease lasts without renewal; default 30 seconds. When an instance dies, others take
     * its partitions over after at most this long. Renewed every third of it.
     */
    public SubscriptionBuilder<E> lease(Duration lease) {
        Objects.requireNonNull(lease, "lease");
        if (lease.compareTo(Duration.ofMillis(300)) < 0) {
            throw new IllegalArgumentException("lease must be at least 300 ms, was " + lease);
        }
        this.lease = lease;
        return this;
    }

    /**
     * How often to run a failing handler in all before the event counts as poison (default 5), and the pause
     * after the first failure, doubled after each further one (default 100 ms, capped at 30 seconds).
     */
    public SubscriptionBuilder<E> retries(int attempts, Duration backoff) {
        if (attempts < 1) {
            throw new IllegalArgumentException("attempts must be at least 1, was " + attempts);
        }
        this.attempts = attempts;
        this.backoff = Objects.requireNonNull(backoff, "backoff");
        return this;
    }

    /** What to do with an event that failed every attempt; default {@link PoisonPolicy#PARK_AND_CONTINUE}. */
    public SubscriptionBuilder<E> onPoison(PoisonPolicy policy) {
        this.poisonPolicy = Objects.requireNonNull(policy, "policy");
        return this;
    }

    /**
     * How many events one partition reads from the log at a time; default 256. Bounds the memory a subscription
     * takes, however far behind it is.
     */
    public SubscriptionBuilder<E> pageSize(int pageSize) {
        if (pageSize < 1) {
            throw new IllegalArgumentException("pageSize must be at least 1, was " + pageSize);
        }
        this.pageSize = pageSize;
        return this;
    }

    /** Names this instance in the lease table, for operators; default a random id. Must differ between instances. */
    public SubscriptionBuilder<E> instanceName(String instanceName) {
        Objects.requireNonNull(instanceName, "instanceName");
        this.instanceName = WellFormedText.requireIdentifier("Instance name", instanceName, 200);
        return this;
    }

    /** Delivers events to {@code handler}, at least once; the checkpoint moves after each page. */
    public SubscriptionBuilder<E> handler(EventHandler<E> handler) {
        this.sink = Sink.of(Objects.requireNonNull(handler, "handler"));
        return this;
    }

    /**
     * Delivers events to {@code handler} on the store's connection, each in the transaction that moves the
     * checkpoint past it: exactly once for what it writes there.
     */
    public SubscriptionBuilder<E> transactionalHandler(TransactionalHandler<E> handler) {
        this.sink = Sink.of(Objects.requireNonNull(handler, "handler"));
        return this;
    }

    /** Delivers events to the handlers of a projection, with its once/on/all rules and once ledger. */
    public SubscriptionBuilder<E> projection(Projection<E> projection) {
        this.sink = Objects.requireNonNull(projection, "projection").sink();
        return this;
    }

    /**
     * Checks the number of partitions against the one stored for this name (storing it if the name is new), then
     * starts following the log on background threads and returns.
     *
     * @throws IllegalStateException           if no handler was chosen
     * @throws PartitionCountMismatchException if the store holds another number of partitions for this name;
     *                                         nothing started
     * @throws dev.runestone.StorageException  if the database could not be reached to check the number
     */
    public Subscription<E> start() {
        if (sink == null) {
            throw new IllegalStateException("Choose what handles the events of subscription '" + name
                    + "': call handler(...), transactionalHandler(...) or projection(...) before start().");
        }
        int stored = storage.registerPartitions(name, partitions);
        if (stored != partitions) {
            throw new PartitionCountMismatchException(name, stored, partitions);
        }
        Subscription<E> subscription = new Subscription<>(store, events, storage, new Settings(name, startFrom,
                partitions, lease, attempts, backoff, poisonPolicy, pageSize), sink, instanceName);
        subscription.start(instrumentation);
        return subscription;
    }

    record Settings(String name, StartFrom startFrom, int partitions, Duration lease, int attempts, Duration backoff,
            PoisonPolicy poisonPolicy, int pageSize) {
    }
}
