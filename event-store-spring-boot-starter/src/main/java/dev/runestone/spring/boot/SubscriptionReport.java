package dev.runestone.spring.boot;

import dev.runestone.EventStore;
import dev.runestone.subscription.ParkedEvent;
import dev.runestone.subscription.Subscription;
import dev.runestone.subscription.Subscriptions;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** What the health indicator and the actuator endpoint say about one subscription. */
final class SubscriptionReport {

    /** Lag is counted event by event up to this many; further behind reads as this. */
    static final int LAG_LIMIT = 10_000;

    private SubscriptionReport() {
    }

    /** Why the subscription is not healthy, or {@code null} if it is. */
    static @Nullable String trouble(Subscription<?> subscription, Instant now) {
        if (!subscription.isRunning()) {
            return subscription.failure().map(failure -> "stopped: " + failure.getMessage()).orElse("stopped");
        }
        return subscription.leasesUnrenewedSince()
                .filter(since -> Duration.between(since, now).compareTo(subscription.lease()) > 0)
                .map(since -> "has not renewed its leases since " + since + ", longer than its lease of "
                        + subscription.lease())
                .orElse(null);
    }

    /** The state of a subscription as plain values, ready for JSON. */
    static Map<String, Object> describe(EventStore<?> store, Subscription<?> subscription, boolean withParked) {
        Subscriptions stored = store.subscriptions();
        Map<String, Object> details = new LinkedHashMap<>();
        @Nullable String trouble = trouble(subscription, Instant.now());
        details.put("status", trouble == null ? "running" : trouble);
        details.put("heldPartitions", subscription.heldPartitions());
        details.put("checkpoint", stored.checkpoint(subscription.name()));
        int behind = stored.behind(subscription.name(), LAG_LIMIT);
        details.put("lag", behind < LAG_LIMIT ? behind : LAG_LIMIT + " or more");
        List<ParkedEvent> parked = stored.parked(subscription.name());
        details.put("parkedCount", parked.size());
        if (withParked) {
            details.put("parked", parked.stream().map(SubscriptionReport::parked).toList());
        }
        return details;
    }

    private static Map<String, Object> parked(ParkedEvent event) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("eventId", event.eventId().toString());
        row.put("position", event.position());
        row.put("error", event.error());
        row.put("attempts", event.attempts());
        row.put("parkedAt", event.parkedAt().toString());
        return row;
    }
}
