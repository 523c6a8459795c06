package dev.runestone.subscription;

import dev.runestone.RunestoneException;

/**
 * A subscription was started with another number of partitions than the store holds for its name; it did not
 * start.
 *
 * <p>Instances that disagree on the count would route a stream to different partitions and could handle its events
 * twice, or out of order, at once. Start every instance with {@link #storedPartitions()}, or, to change the count,
 * stop every instance and start them with the new count under a new subscription name.
 */
public final class PartitionCountMismatchException extends RunestoneException {

    private static final long serialVersionUID = 1L;

    private final String subscription;
    private final int storedPartitions;
    private final int requestedPartitions;

    PartitionCountMismatchException(String subscription, int storedPartitions, int requestedPartitions) {
        super("Subscription '" + subscription + "' is stored with " + storedPartitions + " partitions, but this "
                + "instance asked for " + requestedPartitions + "; it did not start. Every instance of a subscription "
                + "must use the same number of partitions: start it with partitions(" + storedPartitions + "). To "
                + "change the number, stop every instance of '" + subscription + "' and start them all with "
                + "partitions(" + requestedPartitions + ") under a new subscription name; started from the "
                + "beginning, it gets the events already stored as replays (hydrated), which once handlers skip.");
        this.subscription = subscription;
        this.storedPartitions = storedPartitions;
        this.requestedPartitions = requestedPartitions;
    }

    /** The subscription's name. */
    public String subscription() {
        return subscription;
    }

    /** The number of partitions the store holds for the subscription. */
    public int storedPartitions() {
        return storedPartitions;
    }

    /** The number of partitions this instance asked for. */
    public int requestedPartitions() {
        return requestedPartitions;
    }
}
