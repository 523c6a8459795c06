package dev.runestone.subscription;

import dev.runestone.EventOrigin;
import dev.runestone.EventRecord;
import dev.runestone.EventStore;
import dev.runestone.StorageException;
import dev.runestone.StoreClosedException;
import dev.runestone.instrumentation.Instrumentation;
import dev.runestone.instrumentation.SubscriptionInstrumentation;
import dev.runestone.internal.CurrentOrigin;
import dev.runestone.projector.ProjectionStatus;
import dev.runestone.spi.CheckpointRow;
import dev.runestone.spi.EventStorage;
import dev.runestone.spi.Lease;
import dev.runestone.spi.ParkedEventRow;
import dev.runestone.spi.StoredEvent;
import dev.runestone.spi.SubscriptionStorage;
import dev.runestone.spi.TransactionWork;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running durable subscription in this process: made by {@link SubscriptionBuilder#start()}, ended by
 * {@link #close()}.
 *
 * <p>A coordinating thread keeps this instance's membership alive, takes a fair share of the partitions (their
 * number divided by the live instances, rounded up), renews their leases every third of the lease time and hands
 * extra partitions back when more instances join. Each held partition has a worker thread that reads the log a page
 * at a time after its checkpoint, delivers its events in order, and commits the checkpoint with the lease's fencing
 * token; a worker whose token was taken over stops at once and commits nothing. When the log is exhausted the worker
 * waits for new events ({@link EventStorage#awaitEvents}), never busy-polling.
 *
 * <p>Thread-safe.
 *
 * @param <E> the event type
 */
public final class Subscription<E> implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Subscription.class);

    /** How often {@link #awaitPosition} looks at the checkpoints when no commit of this instance woke it. */
    private static final long RECHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private final EventStore<E> store;
    private final EventStorage events;
    private final SubscriptionStorage storage;
    private final SubscriptionBuilder.Settings settings;
    private final Sink<E> sink;
    private final String owner;
    private final Map<Integer, PartitionWorker<E>> workers = new ConcurrentHashMap<>();
    private final AtomicReference<@Nullable Throwable> failure = new AtomicReference<>();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final Object wake = new Object();
    /** Guards {@link #commits}; notified when a worker commits a checkpoint and when the subscription stops. */
    private final Object progress = new Object();
    private long commits;
    private volatile boolean running = true;
    /** Set by the coordinator when balancing first fails, cleared when it succeeds again. */
    private volatile @Nullable Instant leasesUnrenewedSince;
    private @Nullable Thread coordinator;
    private volatile SubscriptionInstrumentation instrumentation = SubscriptionInstrumentation.NONE;

    Subscription(EventStore<E> store, EventStorage events, SubscriptionStorage storage,
            SubscriptionBuilder.Settings settings, Sink<E> sink, @Nullable String instanceName) {
        this.store = store;
        this.events = events;
        this.storage = storage;
        this.settings = settings;
        this.sink = sink;
        this.owner = instanceName != null ? instanceName : settings.name() + "@" + UUID.randomUUID();
    }

    void start(Instrumentation storeInstrumentation) {
        instrumentation = Objects.requireNonNull(storeInstrumentation.subscribing(this), "instrumentation");
        Thread thread = Thread.ofPlatform().daemon().name("runestone-subscription-" + settings.name())
                .unstarted(this::coordinate);
        coordinator = thread;
        thread.start();
    }

    /** The subscription's name. */
    public String name() {
        return settings.name();
    }

    /** The name this instance holds leases under. */
    public String instanceName() {
        return owner;
    }

    /** The partitions this instance holds now. */
    public List<Integer> heldPartitions() {
        return workers.keySet().stream().sorted().toList();
    }

    /** How long a partition's lease lasts without renewal. */
    public Duration lease() {
        return settings.lease();
    }

    /**
     * Since when this instance has been unable to renew its leases and take partitions (the database could not be
     * reached); empty while it can. Once that is longer ago than {@link #lease()}, the leases it held have run out
     * and this instance handles nothing until the database answers again.
     */
    public Optional<Instant> leasesUnrenewedSince() {
        return Optional.ofNullable(leasesUnrenewedSince);
    }

    /**
     * How far this subscription is behind the log, as stored: the events after its checkpoint (the lowest of its
     * partitions'), counted up to {@code limit}, and how long ago the first of them was recorded (zero when there is
     * none). Reads up to {@code limit} rows of the log. Every instance running the subscription sees the same figures.
     *
     * @throws IllegalArgumentException if {@code limit} is below 1
     */
    public SubscriptionLag lag(int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1, was " + limit);
        }
        long checkpoint = storage.checkpoints(settings.name()).stream().mapToLong(CheckpointRow::position).min()
                .orElse(0);
        List<StoredEvent> after = events.readLog(checkpoint, limit);
        if (after.isEmpty()) {
            return new SubscriptionLag(0, Duration.ZERO);
        }
        Duration behind = Duration.between(after.getFirst().recorded(), Instant.now());
        return new SubscriptionLag(after.size(), behind.isNegative() ? Duration.ZERO : behind);
    }

    /** Whether the subscription still runs: not closed, and not stopped by a poison event. */
    public boolean isRunning() {
        return running;
    }

    /** Why the subscription stopped by itself, if it did ({@link SubscriptionStoppedException} for poison). */
    public Optional<Throwable> failure() {
        return Optional.ofNullable(failure.get());
    }

    /**
     * Waits until the subscription has stopped, by {@link #close()} or by itself.
     *
     * @return {@code true} if it stopped, {@code false} if the timeout passed first
     */
    public boolean awaitTermination(Duration timeout) throws InterruptedException {
        return stopped.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    /**
     * Waits until the subscription has handled the log up to {@code position}: the checkpoint of every partition,
     * whichever instance holds it, is at or past it. Append, then wait for the position of the last event appended
     * ({@link EventRecord#position()}) before reading what the handlers wrote, as tests do. A checkpoint this
     * instance commits wakes the caller at once; one that another instance commits is seen within 100 ms. An event
     * the subscription parked counts as handled.
     *
     * @return {@code true} once every partition is there, {@code false} if the timeout passed first or this instance
     *         stopped ({@link #close()}, or poison under {@link PoisonPolicy#STOP}: see {@link #failure()}) before
     */
    public boolean awaitPosition(long position, Duration timeout) throws InterruptedException {
        Objects.requireNonNull(timeout, "timeout");
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long seen;
            synchronized (progress) {
                seen = commits;
            }
            if (reached(position)) {
                return true;
            }
            long left = deadline - System.nanoTime();
            if (!running || left <= 0) {
                return false;
            }
            synchronized (progress) {
                if (commits == seen && running) {
                    TimeUnit.NANOSECONDS.timedWait(progress, Math.min(left, RECHECK_NANOS));
                }
            }
        }
    }

    private boolean reached(long position) {
        List<CheckpointRow> rows = storage.checkpoints(settings.name());
        // A partition no instance has taken yet has no row: it has handled nothing.
        return rows.size() == settings.partitions() && rows.stream().allMatch(row -> row.position() >= position);
    }

    /** Wakes {@link #awaitPosition}: a worker committed a checkpoint, or the subscription stopped. */
    void progressed() {
        synchronized (progress) {
            commits++;
            progress.notifyAll();
        }
    }

    /** The events this subscription parked, in position order. */
    public List<ParkedEvent> parked() {
        return Subscriptions.parked(storage, settings.name());
    }

    /**
     * Runs the handler once more for a parked event, now, on the calling thread: on success the event is no longer
     * parked; on failure (of the handler, or of decoding an event that still cannot be decoded) its row records the
     * new error and attempt. A parked event is handled out of its stream's
     * order (later events went on without it), and its {@code once} handlers still run at most once.
     *
     * @return {@code true} if the handler succeeded
     * @throws IllegalArgumentException if the event is not parked by this subscription
     */
    public boolean retryParked(UUID eventId) {
        Objects.requireNonNull(eventId, "eventId");
        ParkedEventRow row = storage.parkedEvents(settings.name()).stream()
                .filter(parked -> parked.eventId().equals(eventId)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("Event " + eventId + " is not parked by subscription '"
                        + settings.name() + "'; see parked() for those that are."));
        try {
            Optional<EventRecord<E>> record = store.find(eventId);
            if (record.isEmpty()) {
                storage.deleteParked(settings.name(), eventId);
                return true;
            }
            deliverOutsideCheckpoint(record.get(), ProjectionStatus.LIVE);
        } catch (StorageException | StoreClosedException e) {
            throw e;
        } catch (Exception e) {
            storage.park(new ParkedEventRow(row.subscription(), eventId, row.position(), describe(e),
                    row.attempts() + 1, Instant.now()));
            return false;
        }
        storage.deleteParked(settings.name(), eventId);
        return true;
    }

    /** Retries every parked event in position order; returns how many now succeeded. */
    public int retryAllParked() {
        int succeeded = 0;
        for (ParkedEventRow row : storage.parkedEvents(settings.name())) {
            if (retryParked(row.eventId())) {
                succeeded++;
            }
        }
        return succeeded;
    }

    /**
     * Stops: each worker finishes the event in hand, commits its checkpoint and gives its lease up, so other
     * instances take over at once. Waits for that; calling it twice is harmless.
     */
    @Override
    public void close() {
        running = false;
        synchronized (wake) {
            wake.notifyAll();
        }
        progressed();
        Thread thread = coordinator;
        if (thread != null && thread != Thread.currentThread()) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    void deliverOutsideCheckpoint(EventRecord<E> record, ProjectionStatus status) throws Exception {
        EventOrigin outer = CurrentOrigin.handling(record);
        try {
            sink.deliver(record, status, storage);
            TransactionWork work = sink.transactionalWork(record, status, storage);
            if (work != null) {
                storage.runInTransaction(record.id(), work);
            }
        } finally {
            CurrentOrigin.restore(outer);
        }
    }

    /** Called by a worker whose event failed every attempt under {@link PoisonPolicy#STOP}. */
    void stopOnPoison(SubscriptionStoppedException cause) {
        failure.compareAndSet(null, cause);
        running = false;
        synchronized (wake) {
            wake.notifyAll();
        }
        progressed();
    }

    private void coordinate() {
        long ttlMillis = settings.lease().toMillis();
        long pauseMillis = Math.max(50, ttlMillis / 3);
        try {
            while (running) {
                try {
                    balance();
                    leasesUnrenewedSince = null;
                } catch (StoreClosedException e) {
                    running = false;
                } catch (RuntimeException e) {
                    if (leasesUnrenewedSince == null) {
                        leasesUnrenewedSince = Instant.now();
                    }
                    LOG.warn("Subscription '{}' could not renew or take leases; trying again in {} ms",
                            settings.name(), pauseMillis, e);
                }
                synchronized (wake) {
                    if (running) {
                        wake.wait(pauseMillis);
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            for (PartitionWorker<E> worker : workers.values()) {
                worker.stop(true);
            }
            for (PartitionWorker<E> worker : workers.values()) {
                worker.join();
            }
            workers.clear();
            try {
                storage.leave(settings.name(), owner);
            } catch (RuntimeException e) {
                LOG.debug("Subscription '{}' could not sign off; its membership expires by itself", settings.name(),
                        e);
            }
            instrumentation.closed();
            stopped.countDown();
        }
    }

    private void balance() {
        Duration ttl = settings.lease();
        int members = storage.heartbeat(settings.name(), owner, ttl);
        int fairShare = (settings.partitions() + Math.max(1, members) - 1) / Math.max(1, members);
        workers.values().removeIf(PartitionWorker::finished);
        for (PartitionWorker<E> worker : new ArrayList<>(workers.values())) {
            long renewedAt = System.nanoTime();
            if (storage.renewLease(worker.lease(), ttl)) {
                worker.renewed(renewedAt);
            } else {
                LOG.info("Subscription '{}' lost partition {} to another instance", settings.name(),
                        worker.lease().partition());
                instrumentation.leaseLost(worker.lease().partition());
                worker.stop(false);
                workers.remove(worker.lease().partition());
            }
        }
        List<Integer> held = heldPartitions();
        for (int i = held.size() - 1; i >= fairShare; i--) {
            PartitionWorker<E> worker = workers.remove(held.get(i));
            if (worker != null) {
                worker.stop(true);
            }
        }
        if (workers.size() >= fairShare || !running) {
            return;
        }
        long start = settings.startFrom() == StartFrom.END ? storage.lastPosition() : 0;
        long highWater = storage.lastPosition();
        int offset = Math.floorMod(owner.hashCode(), settings.partitions());
        for (int i = 0; i < settings.partitions() && workers.size() < fairShare; i++) {
            int partition = (offset + i) % settings.partitions();
            if (workers.containsKey(partition)) {
                continue;
            }
            long grantedAt = System.nanoTime();
            Optional<Lease> lease = storage.acquireLease(settings.name(), partition, owner, ttl, start, highWater);
            if (lease.isPresent()) {
                instrumentation.leaseAcquired(partition);
                PartitionWorker<E> worker = new PartitionWorker<>(this, store, events, storage, settings, sink,
                        lease.get(), grantedAt);
                workers.put(partition, worker);
                worker.start();
            }
        }
    }

    boolean running() {
        return running;
    }

    SubscriptionInstrumentation instrumentation() {
        return instrumentation;
    }

    static String describe(Throwable error) {
        String text = error.getClass().getName() + (error.getMessage() == null ? "" : ": " + error.getMessage());
        return text.length() > 4000 ? text.substring(0, 4000) : text;
    }
}
