package dev.runestone.benchmarks;

import dev.runestone.EventRecord;
import dev.runestone.EventStore;
import dev.runestone.ExpectedVersion;
import dev.runestone.subscription.StartFrom;
import dev.runestone.subscription.Subscription;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;

/**
 * Append to handler latency at a steady 1,000 events/s: two sender threads append one event each every two
 * milliseconds on a fixed schedule, and a handler notes when it runs: an {@code on} handler of the in-process
 * projector, or a durable subscription on a second store over the same database, which hears of new events as
 * another process would (on PostgreSQL through {@code LISTEN}/{@code NOTIFY}). The latency counts from the event's
 * scheduled send time, so a sender that falls behind shows up in the figures instead of hiding them. The first
 * second is warm-up and left out.
 */
final class ProjectorLatency {

    /** Latency percentiles in milliseconds, and how many events were measured. */
    record Figures(double p50, double p99, double max, int events) {
    }

    private static final int SENDERS = 2;
    private static final long INTERVAL_NANOS = 1_000_000;

    private ProjectorLatency() {
    }

    /** Through the in-process projector of {@code store}. */
    static Figures projector(EventStore<UserEvent> store, long millis) throws InterruptedException {
        Run run = new Run((int) millis);
        store.projector().on(UserEvent.UserCreated.class, run::handled);
        run.send(store);
        store.projector().awaitIdle(Duration.ofSeconds(30));
        return run.figures();
    }

    /** Appended through {@code writer}, handled by a durable subscription started on {@code reader}. */
    static Figures subscription(EventStore<UserEvent> writer, EventStore<UserEvent> reader, long millis)
            throws InterruptedException {
        Run run = new Run((int) millis);
        try (Subscription<UserEvent> subscription = reader.subscribe(run.prefix + "subscription")
                .from(StartFrom.END)
                .handler((record, status) -> run.handled(record))
                .start()) {
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (subscription.heldPartitions().isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            run.send(writer);
            long handledBy = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (!run.allHandled() && System.nanoTime() < handledBy) {
                Thread.sleep(5);
            }
        }
        return run.figures();
    }

    /** One schedule of sends and the times their handlers ran (written by handler threads, hence atomic). */
    private static final class Run {
        private final int count;
        private final long[] scheduled;
        private final AtomicLongArray handled;
        private final String prefix = "latency-" + Pair.next() + "-";

        Run(int count) {
            this.count = count;
            this.scheduled = new long[count];
            this.handled = new AtomicLongArray(count);
        }

        void handled(EventRecord<? extends UserEvent> record) {
            if (record.stream().startsWith(prefix)) {
                handled.set(Integer.parseInt(record.stream().substring(prefix.length())), System.nanoTime());
            }
        }

        boolean allHandled() {
            for (int i = 0; i < count; i++) {
                if (handled.get(i) == 0) {
                    return false;
                }
            }
            return true;
        }

        void send(EventStore<UserEvent> store) throws InterruptedException {
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
        }

        Figures figures() {
            if (!allHandled()) {
                throw new IllegalStateException("Some events were never handled");
            }
            int warmUp = Math.min(count / 2, 1_000);
            double[] latencies = new double[count - warmUp];
            for (int i = warmUp; i < count; i++) {
                latencies[i - warmUp] = (handled.get(i) - scheduled[i]) / 1e6;
            }
            Arrays.sort(latencies);
            return new Figures(percentile(latencies, 0.50), percentile(latencies, 0.99),
                    latencies[latencies.length - 1], latencies.length);
        }
    }

    private static double percentile(double[] sorted, double p) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)];
    }
}
