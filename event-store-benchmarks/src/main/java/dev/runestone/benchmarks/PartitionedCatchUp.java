package dev.runestone.benchmarks;

import dev.runestone.EventStore;
import dev.runestone.spi.StorageAdapter;
import dev.runestone.subscription.Subscription;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * A durable subscription catching up on the whole loaded log from its beginning, split into 8 partitions against
 * the same in 1, alternating round by round on a fresh store each time: what splitting a subscription costs when
 * every partition runs in one JVM. The handler only counts, so the figure is the subscription's own cost: reading,
 * decoding, deciding each event's status and committing checkpoints.
 */
final class PartitionedCatchUp {

    static final int PARTITIONS = 8;
    private static final Duration LONGEST = Duration.ofMinutes(10);

    private PartitionedCatchUp() {
    }

    /** Measures {@code rounds} rounds of both sides on stores that {@code adapter} opens over the loaded log. */
    static Result measure(String database, Supplier<StorageAdapter> adapter, int rounds) throws InterruptedException {
        // One untimed run of each first, so that neither side's rounds pay for the JIT's warm-up.
        catchUp(adapter, PARTITIONS, "catch-up-warm-up-" + PARTITIONS);
        catchUp(adapter, 1, "catch-up-warm-up-1");
        List<Double> split = new ArrayList<>();
        List<Double> whole = new ArrayList<>();
        for (int round = 0; round < rounds; round++) {
            split.add(catchUp(adapter, PARTITIONS, "catch-up-" + PARTITIONS + "-" + round));
            whole.add(catchUp(adapter, 1, "catch-up-1-" + round));
            System.out.printf(Locale.ROOT, "%s: subscription catch-up round %d: %d partitions %,.0f, 1 partition %,.0f "
                    + "events/s%n", database, round + 1, PARTITIONS, split.getLast(), whole.getLast());
        }
        return new Result(database, "subscription catch-up of the log, 8 partitions vs 1", "events/s", 1,
                PARTITIONS + " partitions", "1 partition", split, whole, 0.8);
    }

    /** The events per second a new subscription of {@code partitions} handles until it has caught up. */
    private static double catchUp(Supplier<StorageAdapter> adapter, int partitions, String name)
            throws InterruptedException {
        LongAdder handled = new LongAdder();
        try (EventStore<UserEvent> store = EventStore.builder(UserEvent.REGISTRY, adapter.get()).build()) {
            long began = System.nanoTime();
            try (Subscription<UserEvent> subscription = store.subscribe(name).partitions(partitions)
                    .handler((record, status) -> handled.increment()).start()) {
                long deadline = began + LONGEST.toNanos();
                while (handled.sum() == 0 || store.subscriptions().behind(name, 1) > 0) {
                    if (System.nanoTime() > deadline || !subscription.isRunning()) {
                        throw new IllegalStateException("Subscription '" + name + "' did not catch up within "
                                + LONGEST + subscription.failure().map(f -> ": " + f).orElse(""));
                    }
                    Thread.sleep(2);
                }
                return handled.sum() / ((System.nanoTime() - began) / 1e9);
            }
        }
    }
}
