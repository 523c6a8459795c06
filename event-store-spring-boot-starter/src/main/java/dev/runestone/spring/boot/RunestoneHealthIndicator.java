package dev.runestone.spring.boot;

import dev.runestone.EventStore;
import dev.runestone.subscription.Subscription;
import java.time.Instant;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * DOWN when a subscription started by the application has stopped (a poison event under {@code onPoison STOP}) or
 * has not renewed its leases for longer than its lease time; each subscription's checkpoint, lag and parked events
 * in the details. Reads the database on every call.
 */
public final class RunestoneHealthIndicator extends AbstractHealthIndicator {

    private final EventStore<?> store;
    private final RunestoneSubscriptions subscriptions;

    RunestoneHealthIndicator(EventStore<?> store, RunestoneSubscriptions subscriptions) {
        super("Runestone health check failed");
        this.store = store;
        this.subscriptions = subscriptions;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        builder.up();
        Instant now = Instant.now();
        for (Subscription<?> subscription : subscriptions.all()) {
            if (SubscriptionReport.trouble(subscription, now) != null) {
                builder.down();
            }
            builder.withDetail(subscription.name(), SubscriptionReport.describe(store, subscription, false));
        }
    }
}
