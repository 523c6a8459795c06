package dev.runestone.spi;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One partition of a subscription, as stored.
 *
 * @param subscription the subscription's name
 * @param partition    the partition, from 0
 * @param position     the last position handled
 * @param highWater    the highest position ever committed; see {@link Lease#highWater()}
 * @param owner        the instance holding the lease, or {@code null} when it is free
 * @param token        the current fencing token
 */
public record CheckpointRow(String subscription, int partition, long position, long highWater,
        @Nullable String owner, long token) {

    public CheckpointRow {
        Objects.requireNonNull(subscription, "subscription");
    }
}
