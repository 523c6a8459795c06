package dev.runestone.benchmarks;

import dev.runestone.EventStore;
import dev.runestone.ExpectedVersion;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.locks.LockSupport;

/**
 * Append to projector handler latency at a steady 1,000 events/s: two sender threads append one event each every
 * two milliseconds on a fixed schedule, and an {@code on} handler notes when it runs. The latency counts from the
 * event's scheduled send time, so a sender that falls behind shows up in the figures instead of hiding them. The
 * first second is warm-up and left out.
 */
final class ProjectorLatency {

    /** Latency percentiles in milliseconds, and how many events were measured. */
    record Figures(double p50, double p99, double max, int events) {
    }

    private static final int SENDERS = 2;
    private static final long INTERVAL_NANOS = 1_000_000;

    private ProjectorLatency() {
    }

    static Figures measure(EventStore<UserEvent> store, long millis) throws InterruptedException {
        int count = (int) millis;
        long[] scheduled = new long[count];
        long[] handled = new long[count];
        String prefix = "latency-" + Pair.next() + "-";
        store.projector().on(UserEvent.UserCreated.class, record -> {
            handled[Integer.parseInt(record.stream().substring(prefix.length()))] = System.nanoTime();
        });
        long start = System.nanoTime() + 50_000_000;
        Thread[] senders = new Thread[SENDERS];
        for (int s = 0; s < SENDERS; s++) {
            int first = s;
            senders[s] = Thread.ofPlatform().start(() -> {
                for (int i = first; i < count; i += SENDERS) {
                    long due = start + i * INTERVAL_NANOS;
                    long wait;
                    while ((wait = due - System.nanoTime()) > 0) {
                        LockSupport.parkNanos(wait);
                    }
                    scheduled[i] = due;
                    store.append(prefix + i, ExpectedVersion.noStream(), UserEvent.created(i));
                }
            });
        }
        for (Thread sender : senders) {
            sender.join();
        }
        store.projector().awaitIdle(Duration.ofSeconds(30));
        int warmUp = Math.min(count / 2, 1_000);
        double[] latencies = new double[count - warmUp];
        for (int i = warmUp; i < count; i++) {
            latencies[i - warmUp] = (handled[i] - scheduled[i]) / 1e6;
        }
        Arrays.sort(latencies);
        return new Figures(percentile(latencies, 0.50), percentile(latencies, 0.99), latencies[latencies.length - 1],
                latencies.length);
    }

    private static double percentile(double[] sorted, double p) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)];
    }

}
