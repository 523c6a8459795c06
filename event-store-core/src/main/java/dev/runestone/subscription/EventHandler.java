package dev.runestone.subscription;

import dev.runestone.EventRecord;
import dev.runestone.projector.ProjectionStatus;

/**
 * Handles the events a subscription delivers, one at a time, in log order within a partition.
 *
 * @param <E> the event type
 */
@FunctionalInterface
public interface EventHandler<E> {

    /**
     * Handles one event; throwing makes the subscription retry it, then park it. Delivery is at-least-once: after a
     * crash, events handled since the last checkpoint come again, so make the work idempotent (the event id is a
     * good key).
     *
     * @param status {@link ProjectionStatus#LIVE} for an event new to this subscription, hydrated for a replay
     */
    void handle(EventRecord<E> record, ProjectionStatus status) throws Exception;
}
