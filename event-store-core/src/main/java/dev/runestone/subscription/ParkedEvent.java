package dev.runestone.subscription;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * An event a subscription gave up on after its retries.
 *
 * @param subscription the subscription's name
 * @param eventId      the event's id
 * @param position     the event's position in the log
 * @param error        the last failure, as text
 * @param attempts     how many times the handler ran and failed
 * @param parkedAt     when it was parked, or last retried
 */
public record ParkedEvent(String subscription, UUID eventId, long position, String error, int attempts,
        Instant parkedAt) {

    public ParkedEvent {
        Objects.requireNonNull(subscription, "subscription");
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(error, "error");
        Objects.requireNonNull(parkedAt, "parkedAt");
    }
}
