package dev.runestone.spi;

import java.util.Objects;

/**
 * A held lease on one partition of a subscription, as {@link SubscriptionStorage#acquireLease} granted it.
 *
 * @param subscription the subscription's name
 * @param partition    the partition, from 0
 * @param owner        the instance holding the lease
 * @param token        the fencing token: it grows with every grant, so a holder that lost the lease to another
 *                     cannot commit with its old token
 * @param position     the partition's checkpoint when the lease was granted: the last position handled
 * @param highWater    the highest checkpoint the partition ever committed (or the log's end when it was created);
 *                     events at or below it are replays
 */
public record Lease(String subscription, int partition, String owner, long token, long position, long highWater) {

    public Lease {
        Objects.requireNonNull(subscription, "subscription");
        Objects.requireNonNull(owner, "owner");
    }
}
