package dev.runestone.subscription;

import dev.runestone.internal.WellFormedText;
import dev.runestone.spi.CheckpointRow;
import dev.runestone.spi.EventStorage;
import dev.runestone.spi.ParkedEventRow;
import dev.runestone.spi.SubscriptionStorage;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * The stored state of a store's durable subscriptions, whether or not they run in this process: checkpoints,
 * replays and parked events. Reached through {@link dev.runestone.EventStore#subscriptions()}. Thread-safe.
 */
public final class Subscriptions {

    private static final int MAX_NAME_LENGTH = 200;

    private final EventStorage events;
    private final SubscriptionStorage storage;

    Subscriptions(EventStorage events, SubscriptionStorage storage) {
        this.events = Objects.requireNonNull(events, "events");
        this.storage = Objects.requireNonNull(storage, "storage");
    }

    /**
     * The position up to which a subscription has handled the log: the lowest checkpoint of its partitions, or 0
     * if it never ran.
     */
    public long checkpoint(String subscription) {
        List<CheckpointRow> rows = storage.checkpoints(requireName(subscription));
        return rows.stream().mapToLong(CheckpointRow::position).min().orElse(0);
    }

    /**
     * How far a subscription is behind the log: the number of events after its {@linkplain #checkpoint checkpoint},
     * counted up to {@code limit} (a subscription further behind reports {@code limit}). Reads at most
     * {@code limit} rows; positions are not counts (PostgreSQL leaves gaps), so this counts events.
     *
     * @throws IllegalArgumentException if {@code limit} is below 1
     */
    public int behind(String subscription, int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1, was " + limit);
        }
        return events.readLog(checkpoint(subscription), limit).size();
    }

    /**
     * Rewinds a subscription to the beginning of the log, so that its handlers get every event again, as hydrated
     * events: {@code once} handlers skip them, {@code on} and {@code all} handlers rebuild their read models.
     * Instances running it pick the new checkpoint up when they next take a lease; stop them first, then start
     * them again.
     */
    public void replay(String subscription) {
        storage.resetCheckpoints(requireName(subscription), 0);
    }

    /** The events a subscription parked, in position order. */
    public List<ParkedEvent> parked(String subscription) {
        return parked(storage, requireName(subscription));
    }

    /**
     * Forgets a parked event without handling it.
     *
     * @return whether it was parked
     */
    public boolean discardParked(String subscription, UUID eventId) {
        return storage.deleteParked(requireName(subscription), Objects.requireNonNull(eventId, "eventId"));
    }

    static List<ParkedEvent> parked(SubscriptionStorage storage, String subscription) {
        return storage.parkedEvents(subscription).stream().map(Subscriptions::parkedEvent).toList();
    }

    private static ParkedEvent parkedEvent(ParkedEventRow row) {
        return new ParkedEvent(row.subscription(), row.eventId(), row.position(), row.error(), row.attempts(),
                row.parkedAt());
    }

    static String requireName(String name) {
        Objects.requireNonNull(name, "name");
        return WellFormedText.requireIdentifier("Subscription name", name, MAX_NAME_LENGTH);
    }
}
