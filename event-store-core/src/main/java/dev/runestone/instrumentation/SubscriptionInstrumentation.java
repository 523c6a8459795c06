package dev.runestone.instrumentation;

import dev.runestone.EventRecord;
import dev.runestone.projector.ProjectionStatus;
import java.util.Map;

/**
 * What one durable subscription running in this process tells about its work; returned by
 * {@link Instrumentation#subscribing}. Its partitions' workers call it from their own threads, so implementations
 * must be thread-safe.
 */
public interface SubscriptionInstrumentation {

    /** Measures nothing. */
    SubscriptionInstrumentation NONE = new SubscriptionInstrumentation() { };

    /**
     * One attempt at handling {@code record} begins: the subscription's handlers run, and for a transactional
     * handler the transaction that moves the checkpoint commits. A failed attempt is followed by
     * {@link #retrying} or {@link #parked}.
     *
     * @param attempt      1 for the first attempt at this event, counting up with each retry
     * @param traceHeaders the trace context stored with the event, so that the handler's span continues the
     *                     append's trace; empty if it has none
     */
    default Operation handling(EventRecord<?> record, ProjectionStatus status, int attempt,
            Map<String, String> traceHeaders) {
        return Operation.NONE;
    }

    /**
     * The attempt at {@code record} failed and the event will be tried again after a pause: its handler threw
     * ({@code attempt} of the allowed number) or the database failed (which does not count against the event).
     */
    default void retrying(EventRecord<?> record, int attempt, Throwable error) {
    }

    /**
     * The subscription parked an event of type {@code type}: its handler failed {@code attempts} times, or
     * ({@code attempts} 0) it could not be decoded.
     */
    default void parked(String type, int attempts, Throwable error) {
    }

    /** This instance took the lease of {@code partition} and starts following it. */
    default void leaseAcquired(int partition) {
    }

    /**
     * This instance lost the lease of {@code partition} without giving it up: another instance took it over, or it
     * ran out because it could not be renewed in time.
     */
    default void leaseLost(int partition) {
    }

    /** The subscription stopped in this process (closed, or stopped by a poison event); nothing follows. */
    default void closed() {
    }
}
