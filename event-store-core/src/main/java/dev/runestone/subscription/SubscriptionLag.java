package dev.runestone.subscription;

import java.time.Duration;
import java.util.Objects;

/**
 * How far a durable subscription is behind the log; see {@link Subscription#lag(int)}.
 *
 * @param events the events after the subscription's checkpoint, counted up to the limit asked for
 * @param behind how long ago the oldest of those events was recorded, by the clock of this machine against the
 *               writer's; zero when there is none. It grows while the subscription is stuck, even if nothing new
 *               is appended
 */
public record SubscriptionLag(int events, Duration behind) {

    public SubscriptionLag {
        Objects.requireNonNull(behind, "behind");
    }
}
