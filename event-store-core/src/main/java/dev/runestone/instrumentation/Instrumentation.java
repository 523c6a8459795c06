package dev.runestone.instrumentation;

import dev.runestone.EventRecord;
import dev.runestone.PendingEvent;
import dev.runestone.Target;
import dev.runestone.projector.ProjectionStatus;
import dev.runestone.subscription.Subscription;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * What an event store tells about its work, for metrics and tracing; set with
 * {@link dev.runestone.EventStore.Builder#instrumentation}. Every method has a default that does nothing, so an
 * implementation overrides only what it measures; {@link #NONE} overrides nothing and is the store's default.
 *
 * <p>A hook that begins a piece of work returns an {@link Operation} the store ends when the work is over; it runs
 * inside the work, on the same thread, so a tracing implementation may make the operation's span current there.
 * Event ids and stream ids are handed over for spans and logs: a metrics implementation must not turn them into
 * tags, whose number they would make unbounded.
 *
 * <p>Implementations must be thread-safe, must not throw, and should cost little: the hooks run on every append,
 * read and handled event.
 */
public interface Instrumentation {

    /** Measures nothing: every hook does nothing. */
    Instrumentation NONE = new Instrumentation() { };

    /**
     * The instrumentation of one store, on an adapter of {@code adapter}'s kind ({@code sqlite}, {@code postgres},
     * see {@link dev.runestone.spi.StorageAdapter#kind()}). Called once, when the store is built; the store then
     * calls only the instrumentation returned. The default returns this one.
     */
    default Instrumentation forStore(String adapter) {
        return this;
    }

    /**
     * An append of {@code events} begins: they are made and about to be validated, encoded and written in one
     * transaction. The operation ends when the append returned or threw.
     */
    default AppendOperation appending(List<? extends PendingEvent<?>> events) {
        return AppendOperation.NONE;
    }

    /** A read of the given kind begins. */
    default Operation reading(Read read) {
        return Operation.NONE;
    }

    /** A reduce of {@code target} by the reducer named {@code reducer} begins. */
    default ReduceOperation reducing(String reducer, Target target) {
        return ReduceOperation.NONE;
    }

    /**
     * The in-process projector runs one handler of the given kind for {@code record}, on the projector's executor.
     *
     * @param traceHeaders the trace context stored with the event (see {@link AppendOperation#traceHeaders()}), so
     *                     that the handler's span continues the append's trace; empty if it has none
     */
    default Operation projecting(HandlerKind handler, EventRecord<?> record, ProjectionStatus status,
            Map<String, String> traceHeaders) {
        return Operation.NONE;
    }

    /** The in-process projector runs one batch handler with the events of one append under batch key {@code key}. */
    default Operation projectingBatch(String key, List<? extends EventRecord<?>> records) {
        return Operation.NONE;
    }

    /**
     * A durable subscription starts in this process. What it does from now on goes to the
     * {@link SubscriptionInstrumentation} returned, until its {@link SubscriptionInstrumentation#closed()}.
     * {@code subscription} tells its name and {@linkplain Subscription#lag how far behind} it is.
     */
    default SubscriptionInstrumentation subscribing(Subscription<?> subscription) {
        return SubscriptionInstrumentation.NONE;
    }

    /**
     * A reader of the log waited {@code waited} while events were committed but not yet readable, because a
     * transaction that could still take a lower position had not ended: the price of the gap-free order on
     * PostgreSQL (see {@code docs/postgres.md}). Reported by the adapter, once per wait; a long hold may come as
     * several waits.
     */
    default void logHeldBack(Duration waited) {
    }

    /**
     * The adapter gathered {@code appends} appends made at once by different threads into one group, written to
     * share commits ({@code docs/sqlite.md} and {@code docs/postgres.md}, "Coalesced appends"). Reported by the
     * adapter once per group, an append written alone as a group of one; a store whose adapter does not coalesce
     * reports nothing.
     */
    default void appendsCoalesced(int appends) {
    }
}
