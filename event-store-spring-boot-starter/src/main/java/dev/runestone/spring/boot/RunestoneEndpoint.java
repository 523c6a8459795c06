package dev.runestone.spring.boot;

import dev.runestone.EventStore;
import dev.runestone.subscription.Subscription;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.endpoint.Access;
import org.springframework.boot.actuate.endpoint.annotation.DeleteOperation;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;

/**
 * The {@code runestone} actuator endpoint: the application's subscriptions with checkpoint, lag and parked events
 * ({@code GET /actuator/runestone}, {@code GET /actuator/runestone/{subscription}}), and, once write access is
 * granted with {@code management.endpoint.runestone.access=unrestricted}, retrying a parked event
 * ({@code POST /actuator/runestone/{subscription}/{eventId}}) or discarding it ({@code DELETE} on the same path).
 * Read-only by default.
 */
@Endpoint(id = "runestone", defaultAccess = Access.READ_ONLY)
public final class RunestoneEndpoint {

    private final EventStore<?> store;
    private final RunestoneSubscriptions subscriptions;

    RunestoneEndpoint(EventStore<?> store, RunestoneSubscriptions subscriptions) {
        this.store = store;
        this.subscriptions = subscriptions;
    }

    /** Every subscription started by the application, by name. */
    @ReadOperation
    public Map<String, Object> subscriptions() {
        Map<String, Object> all = new LinkedHashMap<>();
        for (Subscription<?> subscription : subscriptions.all()) {
            all.put(subscription.name(), SubscriptionReport.describe(store, subscription, true));
        }
        return Map.of("subscriptions", all);
    }

    /** One subscription; {@code null} (404) if the application started none of that name. */
    @ReadOperation
    public @Nullable Map<String, Object> subscription(@Selector String subscription) {
        return subscriptions.get(subscription)
                .map(running -> SubscriptionReport.describe(store, running, true)).orElse(null);
    }

    /**
     * Runs the subscription's handler once more for a parked event.
     *
     * @return {@code retried}: whether the handler succeeded (the event is then no longer parked), with the
     *         {@code reason} when there was nothing to retry
     */
    @WriteOperation
    public Map<String, Object> retry(@Selector String subscription, @Selector UUID eventId) {
        Optional<Subscription<?>> running = subscriptions.get(subscription);
        if (running.isEmpty()) {
            return Map.of("retried", false, "reason", notRunning(subscription));
        }
        if (running.get().parked().stream().noneMatch(parked -> parked.eventId().equals(eventId))) {
            return Map.of("retried", false, "reason", "subscription '" + subscription + "' has not parked " + eventId);
        }
        return Map.of("retried", running.get().retryParked(eventId));
    }

    /**
     * Forgets a parked event without handling it.
     *
     * @return {@code discarded}: whether it was parked, with the {@code reason} when the subscription does not run
     *         here
     */
    @DeleteOperation
    public Map<String, Object> discard(@Selector String subscription, @Selector UUID eventId) {
        if (subscriptions.get(subscription).isEmpty()) {
            return Map.of("discarded", false, "reason", notRunning(subscription));
        }
        if (!store.subscriptions().discardParked(subscription, eventId)) {
            return Map.of("discarded", false, "reason", "subscription '" + subscription + "' has not parked " + eventId);
        }
        return Map.of("discarded", true);
    }

    private static String notRunning(String subscription) {
        return "no subscription '" + subscription + "' runs in this application";
    }
}
