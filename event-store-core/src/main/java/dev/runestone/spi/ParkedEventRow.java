package dev.runestone.spi;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * An event a subscription gave up on, as stored.
 *
 * @param subscription the subscription's name
 * @param eventId      the event's id
 * @param position     the event's position in the log
 * @param error        the last failure, as text
 * @param attempts     how many times the handler ran and failed
 * @param parkedAt     when it was parked (or last retried)
 */
public record ParkedEventRow(String subscription, UUID eventId, long position, String error, int attempts,
        Instant parkedAt) {

    public ParkedEventRow {
        Objects.requireNonNull(subscription, "subscription");
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(error, "error");
        Objects.requireNonNull(parkedAt, "parkedAt");
    }
}
