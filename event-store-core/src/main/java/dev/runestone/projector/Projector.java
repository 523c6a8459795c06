package dev.runestone.projector;

import dev.runestone.ErrorHook;
import dev.runestone.EventOrigin;
import dev.runestone.EventRecord;
import dev.runestone.instrumentation.HandlerKind;
import dev.runestone.instrumentation.Instrumentation;
import dev.runestone.instrumentation.Operation;
import dev.runestone.internal.CurrentOrigin;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands events to projection handlers: per event type with {@link #once}, {@link #on} and {@link #all}, or per
 * append with {@link #batch}.
 *
 * <p>A store feeds its projector every event it appends, after the append commits ({@link ProjectionStatus#LIVE}).
 * Handlers run on the projector's executor, never on the appending thread: events of one stream are handled one at a
 * time, in the order pushed; different streams are handled concurrently. A handler that throws never undoes the
 * append; the error goes to the store's {@link ErrorHook} (or, for {@code once}, to its {@link Effects}).
 * {@link #awaitIdle(Duration)} waits until everything pushed so far is handled.
 *
 * <p>Thread-safe: handlers may be added and removed while events flow.
 *
 * @param <E> the event type
 */
public final class Projector<E> {

    private static final Logger LOG = LoggerFactory.getLogger(Projector.class);

    private final Executor executor;
    private final ErrorHook<E> errors;
    private final Instrumentation instrumentation;
    private final List<Listener<E>> listeners = new CopyOnWriteArrayList<>();
    private final Map<String, List<BatchHandler<E>>> batchHandlers = new ConcurrentHashMap<>();

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition idle = lock.newCondition();
    private final Map<String, Queue<Runnable>> queues = new HashMap<>();
    private long inFlight;

    private Projector(Executor executor, ErrorHook<E> errors, Instrumentation instrumentation) {
        this.executor = Objects.requireNonNull(executor, "executor");
        this.errors = Objects.requireNonNull(errors, "errors");
        this.instrumentation = Objects.requireNonNull(instrumentation, "instrumentation");
    }

    /**
     * A projector running handlers on {@code executor} and reporting their failures to {@code errors}. A store makes
     * its own ({@link dev.runestone.EventStore#projector()}); make one yourself to replay events outside a store.
     */
    public static <E> Projector<E> create(Executor executor, ErrorHook<E> errors) {
        return new Projector<>(executor, errors, Instrumentation.NONE);
    }

    /**
     * Like {@link #create(Executor, ErrorHook)}, telling {@code instrumentation} about every handler run; a store
     * hands its projector its own.
     */
    public static <E> Projector<E> create(Executor executor, ErrorHook<E> errors, Instrumentation instrumentation) {
        return new Projector<>(executor, errors, instrumentation);
    }

    /**
     * Runs {@code handler} for new, up-to-date events of {@code type} only: never for hydrated or outdated ones. Use
     * it for side effects that must not repeat, such as sending an email. {@code effects} hears how it ended.
     */
    public <T extends E, R> Registration once(Class<T> type, OnceHandler<T, R> handler, Effects<T, R> effects) {
        Objects.requireNonNull(handler, "handler");
        Objects.requireNonNull(effects, "effects");
        return listen(type, Filter.ONCE, record -> runOnce(handler, effects, record));
    }

    /** Runs {@code handler} for new and hydrated events of {@code type}, but never outdated ones: for read models. */
    public <T extends E> Registration on(Class<T> type, ProjectionHandler<T> handler) {
        Objects.requireNonNull(handler, "handler");
        return listen(type, Filter.ON, handler::handle);
    }

    /** Runs {@code handler} for every event of {@code type}: new, hydrated and outdated. */
    public <T extends E> Registration all(Class<T> type, ProjectionHandler<T> handler) {
        Objects.requireNonNull(handler, "handler");
        return listen(type, Filter.ALL, handler::handle);
    }

    /** Runs {@code handler} with all events of each append made with this batch key, as one list. */
    public Registration batch(String key, BatchHandler<E> handler) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(handler, "handler");
        batchHandlers.computeIfAbsent(key, k -> new CopyOnWriteArrayList<>()).add(handler);
        return () -> batchHandlers.getOrDefault(key, List.of()).remove(handler);
    }

    /**
     * Queues one event for the handlers of its type. Replays push stored events with
     * {@link ProjectionStatus#HYDRATED}. An event that no handler registered now takes is not queued at all.
     *
     * @return completes once every matching handler has run (handler failures do not fail it)
     */
    public CompletableFuture<Void> push(EventRecord<E> record, ProjectionStatus status) {
        Objects.requireNonNull(record, "record");
        Objects.requireNonNull(status, "status");
        if (!anyTakes(record, status)) {
            // A store pushes every append: without handlers, the queue and the hand-off to another thread would be
            // most of a single append's cost outside the database.
            return CompletableFuture.completedFuture(null);
        }
        return enqueue(record.stream(), () -> {
            EventOrigin outer = CurrentOrigin.handling(record);
            try {
                dispatch(record, status);
            } finally {
                CurrentOrigin.restore(outer);
            }
        });
    }

    private boolean anyTakes(EventRecord<E> record, ProjectionStatus status) {
        for (Listener<E> listener : listeners) {
            if (listener.type().isInstance(record.event()) && listener.filter().accepts(status)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Queues the events of one append for the batch handlers under {@code key}.
     *
     * @return completes once every batch handler has run (handler failures do not fail it)
     */
    public CompletableFuture<Void> pushBatch(String key, List<EventRecord<E>> records) {
        Objects.requireNonNull(key, "key");
        List<EventRecord<E>> batch = List.copyOf(records);
        return enqueue("\u0000batch:" + key, () -> {
            // The events of one append: what handling them appends shares their conversation and their first as cause.
            EventOrigin outer = batch.isEmpty() ? CurrentOrigin.get() : CurrentOrigin.handling(batch.getFirst());
            try {
                for (BatchHandler<E> handler : batchHandlers.getOrDefault(key, List.of())) {
                    Operation operation = instrumentation.projectingBatch(key, batch);
                    try {
                        handler.handle(batch);
                    } catch (Exception | Error e) {
                        // Errors too: one escaping would leave the lane registered but never drained again.
                        operation.failed(e);
                        report(e, null);
                    } finally {
                        operation.end();
                    }
                }
            } finally {
                CurrentOrigin.restore(outer);
            }
        });
    }

    /**
     * Waits until every event pushed so far has been handled.
     *
     * @return {@code true} if the projector went idle, {@code false} if the timeout passed first
     */
    public boolean awaitIdle(Duration timeout) throws InterruptedException {
        long nanos = timeout.toNanos();
        lock.lock();
        try {
            while (inFlight > 0) {
                if (nanos <= 0) {
                    return false;
                }
                nanos = idle.awaitNanos(nanos);
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    private <T extends E> Registration listen(Class<T> type, Filter filter, ProjectionHandler<T> handler) {
        Objects.requireNonNull(type, "type");
        Listener<E> listener = new Listener<>(type, filter, handler);
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    private void dispatch(EventRecord<E> record, ProjectionStatus status) {
        Map<String, String> traceHeaders = record.origin().traceHeaders();
        for (Listener<E> listener : listeners) {
            if (listener.type().isInstance(record.event()) && listener.filter().accepts(status)) {
                Operation operation = instrumentation.projecting(listener.filter().kind(), record, status,
                        traceHeaders);
                try {
                    listener.handle(record);
                } catch (OnceFailed e) {
                    operation.failed(e.getCause());
                } catch (Exception | Error e) {
                    // Errors too: one escaping would leave the stream's lane registered but never drained again.
                    operation.failed(e);
                    report(e, record);
                } finally {
                    operation.end();
                }
            }
        }
    }

    @SuppressWarnings("unchecked")
    private <T extends E, R> void runOnce(OnceHandler<T, R> handler, Effects<T, R> effects, EventRecord<T> record) {
        R result;
        try {
            result = handler.handle(record);
        } catch (Exception e) {
            try {
                effects.onError(record, e);
            } catch (RuntimeException effectFailure) {
                effectFailure.addSuppressed(e);
                report(effectFailure, (EventRecord<E>) record);
            }
            throw new OnceFailed(e);
        }
        try {
            effects.onSuccess(record, result);
        } catch (RuntimeException effectFailure) {
            report(effectFailure, (EventRecord<E>) record);
        }
    }

    private CompletableFuture<Void> enqueue(String lane, Runnable work) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        Runnable task = () -> {
            try {
                work.run();
            } finally {
                done.complete(null);
            }
        };
        boolean start;
        lock.lock();
        try {
            inFlight++;
            Queue<Runnable> queue = queues.get(lane);
            start = queue == null;
            if (start) {
                queue = new ArrayDeque<>();
                queues.put(lane, queue);
            }
            queue.add(task);
        } finally {
            lock.unlock();
        }
        if (start) {
            try {
                executor.execute(() -> drain(lane));
            } catch (RuntimeException e) {
                // The executor refused (usually: it is shut down). Run the lane here so no pushed event is dropped.
                drain(lane);
            }
        }
        return done;
    }

    /** Runs a lane's tasks one after another until it is empty; one drainer per lane keeps a stream in order. */
    private void drain(String lane) {
        while (true) {
            Runnable next;
            lock.lock();
            try {
                Queue<Runnable> queue = queues.get(lane);
                next = queue.poll();
                if (next == null) {
                    queues.remove(lane);
                    return;
                }
            } finally {
                lock.unlock();
            }
            try {
                next.run();
            } finally {
                finished();
            }
        }
    }

    private void finished() {
        lock.lock();
        try {
            if (--inFlight == 0) {
                idle.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    private void report(Throwable error, @Nullable EventRecord<E> record) {
        try {
            errors.onError(error, record);
        } catch (RuntimeException | Error hookFailure) {
            hookFailure.addSuppressed(error);
            LOG.error("The error hook failed", hookFailure);
        }
    }

    /**
     * A {@code once} handler failed and its {@link Effects} heard of it: carries the failure to the instrumentation,
     * which the error hook does not hear of.
     */
    private static final class OnceFailed extends RuntimeException {
        private static final long serialVersionUID = 1L;

        OnceFailed(Exception cause) {
            super(cause.getMessage(), cause, false, false);
        }
    }

    private enum Filter {
        ONCE(false, false, HandlerKind.ONCE),
        ON(true, false, HandlerKind.ON),
        ALL(true, true, HandlerKind.ALL);

        private final boolean hydrated;
        private final boolean outdated;
        private final HandlerKind kind;

        Filter(boolean hydrated, boolean outdated, HandlerKind kind) {
            this.hydrated = hydrated;
            this.outdated = outdated;
            this.kind = kind;
        }

        HandlerKind kind() {
            return kind;
        }

        boolean accepts(ProjectionStatus status) {
            return (hydrated || !status.hydrated()) && (outdated || !status.outdated());
        }
    }

    private record Listener<E>(Class<?> type, Filter filter, ProjectionHandler<?> handler) {

        @SuppressWarnings({"unchecked", "rawtypes"})
        void handle(EventRecord<E> record) throws Exception {
            // Safe: dispatch checked type.isInstance(record.event()).
            ((ProjectionHandler) handler).handle(record);
        }
    }
}
