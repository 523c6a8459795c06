package dev.runestone.subscription;

import dev.runestone.EventOrigin;
import dev.runestone.EventRecord;
import dev.runestone.EventStore;
import dev.runestone.LogPage;
import dev.runestone.LogPartition;
import dev.runestone.StorageException;
import dev.runestone.StoreClosedException;
import dev.runestone.UndecodableEvent;
import dev.runestone.instrumentation.Operation;
import dev.runestone.instrumentation.SubscriptionInstrumentation;
import dev.runestone.internal.CurrentOrigin;
import dev.runestone.internal.WellFormedText;
import dev.runestone.projector.ProjectionStatus;
import dev.runestone.spi.EventKey;
import dev.runestone.spi.EventStorage;
import dev.runestone.spi.ImportStorage;
import dev.runestone.spi.Lease;
import dev.runestone.spi.ParkedEventRow;
import dev.runestone.spi.SubscriptionStorage;
import dev.runestone.spi.TransactionWork;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows the log for one partition while this instance holds its lease: reads a page after the checkpoint,
 * delivers the partition's events one by one with retries, parks or stops on poison, commits the checkpoint with the
 * lease's token, and waits for new events when the log is exhausted. One page in flight at a time bounds memory.
 */
final class PartitionWorker<E> {

    private static final Logger LOG = LoggerFactory.getLogger(PartitionWorker.class);
    private static final long LONGEST_BACKOFF_NANOS = TimeUnit.SECONDS.toNanos(30);
    private static final long LONGEST_WAIT_NANOS = TimeUnit.SECONDS.toNanos(1);

    /** Ends a worker's loop when its lease is gone or it was told to stop. */
    private static final class Halt extends Exception {
        private static final long serialVersionUID = 1L;

        Halt() {
            super(null, null, false, false);
        }
    }

    private final Subscription<E> subscription;
    private final EventStore<E> store;
    private final EventStorage events;
    private final SubscriptionStorage storage;
    private final SubscriptionBuilder.Settings settings;
    private final Sink<E> sink;
    private final Lease lease;
    private final LogPartition part;
    private final long ttlNanos;
    private final Thread thread;
    private volatile long validUntilNanos;
    private volatile boolean active = true;
    private volatile boolean handOver = true;
    private volatile boolean finished;
    private volatile boolean waiting;
    private long position;
    private long committed;
    private Set<UUID> parkedBefore = Set.of();

    PartitionWorker(Subscription<E> subscription, EventStore<E> store, EventStorage events,
            SubscriptionStorage storage, SubscriptionBuilder.Settings settings, Sink<E> sink, Lease lease,
            long grantedAtNanos) {
        this.subscription = subscription;
        this.store = store;
        this.events = events;
        this.storage = storage;
        this.settings = settings;
        this.sink = sink;
        this.lease = lease;
        this.part = new LogPartition(lease.partition(), settings.partitions());
        this.ttlNanos = settings.lease().toNanos();
        this.validUntilNanos = grantedAtNanos + safeTtl();
        this.position = lease.position();
        this.committed = lease.position();
        this.thread = Thread.ofPlatform().daemon()
                .name("runestone-subscription-" + settings.name() + "-" + lease.partition()).unstarted(this::run);
    }

    Lease lease() {
        return lease;
    }

    void start() {
        thread.start();
    }

    /** The lease was renewed at {@code renewedAtNanos} (taken before the renewal was sent). */
    void renewed(long renewedAtNanos) {
        validUntilNanos = renewedAtNanos + safeTtl();
    }

    /**
     * Asks the worker to end after the event in hand; with {@code handOver} it commits its checkpoint and gives
     * the lease up, without it (the lease is lost) it writes nothing more.
     */
    void stop(boolean handOver) {
        this.handOver = handOver;
        this.active = false;
        if (waiting || !handOver) {
            // Only a wait is cut short: a handler in progress finishes its event undisturbed.
            thread.interrupt();
        }
    }

    boolean finished() {
        return finished;
    }

    void join() {
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops handing out events a little before the lease ends, so that a renewal late by a moment is harmless. */
    private long safeTtl() {
        return ttlNanos - ttlNanos / 5;
    }

    private void run() {
        try {
            parkedBefore = new HashSet<>();
            for (ParkedEventRow row : storage.parkedEvents(settings.name())) {
                parkedBefore.add(row.eventId());
            }
            follow();
        } catch (Halt halt) {
            // Told to stop, or the lease is gone: the finally block decides what to write.
        } catch (StoreClosedException e) {
            handOver = false;
        } catch (RuntimeException | Error e) {
            if (active) {
                LOG.error("Subscription '{}' partition {} failed at position {}; another attempt follows when the "
                        + "lease is taken again", settings.name(), lease.partition(), position, e);
            } else {
                // Told to stop while it waited for the database: the interruption is the stop, not a failure.
                LOG.debug("Subscription '{}' partition {} stopped at position {} while reading", settings.name(),
                        lease.partition(), position, e);
            }
        } finally {
            if (handOver) {
                finish();
            }
            finished = true;
        }
    }

    private void finish() {
        Thread.interrupted();
        try {
            if (position > committed && holdsLease() && storage.commitCheckpoint(lease, position)) {
                subscription.progressed();
            }
            storage.releaseLease(lease);
        } catch (RuntimeException e) {
            LOG.debug("Subscription '{}' partition {} could not hand its lease over; it expires by itself",
                    settings.name(), lease.partition(), e);
        }
    }

    private void follow() throws Halt {
        while (true) {
            checkActive();
            LogPage<E> page = store.readLog(position, settings.pageSize(), part);
            if (page.isEmpty()) {
                if (page.lastPosition() > position) {
                    // Only other parts' events: move past them without waiting, and read on.
                    position = page.lastPosition();
                    commitIfBehind();
                    continue;
                }
                commitIfBehind();
                awaitEvents();
                continue;
            }
            Map<UUID, Boolean> imported = importedAmong(page.events());
            Set<UUID> outdated = outdatedAmong(page.events(), imported);
            Iterator<EventRecord<E>> events = page.events().iterator();
            Iterator<UndecodableEvent> undecodable = page.undecodable().iterator();
            EventRecord<E> event = next(events);
            UndecodableEvent row = next(undecodable);
            while (event != null || row != null) {
                checkActive();
                if (row == null || (event != null && event.position() < row.position())) {
                    if (isMine(event.stream())) {
                        handle(event, statusOf(event, imported.get(event.id()), outdated));
                    }
                    position = event.position();
                    event = next(events);
                } else {
                    if (isMine(row.stream())) {
                        poison(row.id(), row.type(), row.stream(), row.position(), 0, row.error());
                    }
                    position = row.position();
                    row = next(undecodable);
                }
            }
            position = Math.max(position, page.lastPosition());
            commitIfBehind();
        }
    }

    private static <T> @Nullable T next(Iterator<T> iterator) {
        return iterator.hasNext() ? iterator.next() : null;
    }

    private boolean isMine(String stream) {
        return part.holds(stream);
    }

    private void awaitEvents() throws Halt {
        long left = validUntilNanos - System.nanoTime();
        waiting = true;
        try {
            checkActive();
            events.awaitEvents(position, Duration.ofNanos(Math.max(1, Math.min(left, LONGEST_WAIT_NANOS))));
        } catch (InterruptedException e) {
            throw new Halt();
        } finally {
            waiting = false;
        }
    }

    /**
     * Which events of the page, in this partition and new since the lease's high-water mark, came from another
     * store, and whether they were outdated; the status of older events does not depend on it, so a catch-up asks
     * nothing.
     */
    private Map<UUID, Boolean> importedAmong(List<EventRecord<E>> page) {
        if (!(events instanceof ImportStorage imports)) {
            return Map.of();
        }
        List<UUID> mine = new ArrayList<>();
        for (EventRecord<E> record : page) {
            if (record.position() > lease.highWater() && isMine(record.stream())) {
                mine.add(record.id());
            }
        }
        return mine.isEmpty() ? Map.of() : imports.importedAmong(mine);
    }

    private void handle(EventRecord<E> record, ProjectionStatus status) throws Halt {
        SubscriptionInstrumentation instrumentation = subscription.instrumentation();
        Map<String, String> traceHeaders = record.origin().traceHeaders();
        long pause = settings.backoff().toNanos();
        int attempt = 0;
        int tries = 0;
        while (true) {
            Operation operation = instrumentation.handling(record, status, ++tries, traceHeaders);
            try {
                deliver(record, status);
                operation.end();
                if (parkedBefore.remove(record.id())) {
                    storage.deleteParked(settings.name(), record.id());
                }
                return;
            } catch (Halt | StoreClosedException e) {
                operation.end();
                throw e;
            } catch (StorageException e) {
                operation.failed(e);
                operation.end();
                // The database failed, not the event: wait and try again, without counting it against the event.
                LOG.warn("Subscription '{}': the database failed while handling event {}; retrying",
                        settings.name(), record.id(), e);
                instrumentation.retrying(record, attempt, e);
            } catch (Exception e) {
                operation.failed(e);
                operation.end();
                attempt++;
                if (attempt >= settings.attempts()) {
                    poison(record.id(), record.type(), record.stream(), record.position(), attempt, e);
                    return;
                }
                LOG.debug("Subscription '{}': handling event {} failed (attempt {} of {}); retrying",
                        settings.name(), record.id(), attempt, settings.attempts(), e);
                instrumentation.retrying(record, attempt, e);
            }
            sleep(pause);
            pause = Math.min(LONGEST_BACKOFF_NANOS, pause * 2);
            checkActive();
        }
    }

    private void deliver(EventRecord<E> record, ProjectionStatus status) throws Exception {
        EventOrigin outer = CurrentOrigin.handling(record);
        try {
            sink.deliver(record, status, storage);
            TransactionWork work = sink.transactionalWork(record, status, storage);
            if (work != null) {
                checkActive();
                boolean current = storage.commitInTransaction(lease, record.position(), record.id(), work);
                if (!current) {
                    fenced();
                }
                committed = record.position();
                subscription.progressed();
            }
        } finally {
            CurrentOrigin.restore(outer);
        }
    }

    /**
     * Gives up on an event: its handler failed every attempt, or (with no attempts) it could not be decoded. Parks
     * it, then stops the subscription or goes on, as the poison policy says.
     */
    private void poison(UUID id, String type, String stream, long at, int attempts, Exception error) throws Halt {
        storage.park(new ParkedEventRow(settings.name(), id, at, Subscription.describe(error), attempts,
                Instant.now()));
        subscription.instrumentation().parked(type, attempts, error);
        String event = "event " + id + " (type '" + WellFormedText.printable(type) + "', stream '"
                + WellFormedText.printable(stream) + "', position " + at + ")";
        String why = attempts == 0 ? "could not be decoded" : "failed " + attempts + " times";
        if (settings.poisonPolicy() == PoisonPolicy.STOP) {
            LOG.error("Subscription '{}' stops: {} {}; it is parked, and a restart tries it again first",
                    settings.name(), event, why, error);
            commitIfBehind();
            String fix = attempts == 0
                    ? "register its type (or fix the stored row) and start it again, or delete the parked event"
                    : "fix the handler and start it again, or retry or delete the parked event";
            subscription.stopOnPoison(new SubscriptionStoppedException("Subscription '" + settings.name()
                    + "' stopped at " + event + ", which " + why + "; " + fix, error));
            handOver = true;
            throw new Halt();
        }
        LOG.warn("Subscription '{}' parked {}, which {}", settings.name(), event, why, error);
    }

    /**
     * Which of the page's events in this partition that were stored before the lease's high-water mark are outdated
     * now: one question to the database per page, not one per event.
     */
    private Set<UUID> outdatedAmong(List<EventRecord<E>> page, Map<UUID, Boolean> imported) {
        List<EventKey> stored = new ArrayList<>();
        for (EventRecord<E> record : page) {
            if (record.position() <= lease.highWater() && isMine(record.stream())) {
                stored.add(new EventKey(record.id(), record.stream(), record.type(), record.created().toString()));
            }
        }
        return stored.isEmpty() ? Set.of() : events.outdatedAmong(stored);
    }

    private ProjectionStatus statusOf(EventRecord<E> record, @Nullable Boolean importedOutdated, Set<UUID> outdated) {
        if (record.position() > lease.highWater()) {
            if (importedOutdated != null) {
                return importedOutdated ? ProjectionStatus.OUTDATED : ProjectionStatus.HYDRATED;
            }
            return ProjectionStatus.LIVE;
        }
        return outdated.contains(record.id()) ? ProjectionStatus.OUTDATED : ProjectionStatus.HYDRATED;
    }

    private void commitIfBehind() throws Halt {
        if (position <= committed) {
            return;
        }
        checkLease();
        if (!storage.commitCheckpoint(lease, position)) {
            fenced();
        }
        committed = position;
        subscription.progressed();
    }

    private void fenced() throws Halt {
        LOG.info("Subscription '{}' partition {}: another instance took the lease over; stopping here",
                settings.name(), lease.partition());
        subscription.instrumentation().leaseLost(lease.partition());
        handOver = false;
        throw new Halt();
    }

    private void checkActive() throws Halt {
        if (!active || !subscription.running()) {
            throw new Halt();
        }
        checkLease();
    }

    private void checkLease() throws Halt {
        if (!holdsLease()) {
            subscription.instrumentation().leaseLost(lease.partition());
            handOver = false;
            throw new Halt();
        }
    }

    private boolean holdsLease() {
        return validUntilNanos - System.nanoTime() > 0;
    }

    private void sleep(long nanos) throws Halt {
        waiting = true;
        try {
            checkActive();
            TimeUnit.NANOSECONDS.sleep(nanos);
        } catch (InterruptedException e) {
            throw new Halt();
        } finally {
            waiting = false;
        }
    }
}
