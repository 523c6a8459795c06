package dev.runestone.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * One figure: the same work by two sides, measured in interleaved rounds (warm-up A, warm-up B, then A B A B …) in
 * this JVM. Each round runs a side for a fixed time on {@code threads} threads and counts the units of work done.
 */
final class Pair {

    /** One call's work on one thread; returns the units it did (events, or reduces). */
    @FunctionalInterface
    interface Work {
        long run(Workload side, long n);
    }

    private static final AtomicLong SEQUENCE = new AtomicLong();

    private final String database;
    private final String benchmark;
    private final String unit;
    private final int threads;
    private final int threadsB;
    private final Work work;
    private final @Nullable Double target;

    Pair(String database, String benchmark, String unit, int threads, @Nullable Double target, Work work) {
        this(database, benchmark, unit, threads, threads, target, work);
    }

    /** A pair whose second side runs on {@code threadsB} threads, such as a ceiling that one writer reaches. */
    Pair(String database, String benchmark, String unit, int threads, int threadsB, @Nullable Double target,
            Work work) {
        this.database = database;
        this.benchmark = benchmark;
        this.unit = unit;
        this.threads = threads;
        this.threadsB = threadsB;
        this.target = target;
        this.work = work;
    }

    String database() {
        return database;
    }

    String benchmark() {
        return benchmark;
    }

    /** A number no other call in this run gets: for new stream names and event contents. */
    static long next() {
        return SEQUENCE.incrementAndGet();
    }

    Result measure(Workload a, Workload b, Size size) {
        run(a, threads, size.warmupMillis());
        run(b, threadsB, size.warmupMillis());
        List<Double> ratesA = new ArrayList<>();
        List<Double> ratesB = new ArrayList<>();
        for (int round = 0; round < size.rounds(); round++) {
            ratesA.add(run(a, threads, size.roundMillis()));
            ratesB.add(run(b, threadsB, size.roundMillis()));
        }
        Result result = new Result(database, benchmark, unit, threads, a.name(), b.name(), ratesA, ratesB, target);
        System.out.println(result.line());
        return result;
    }

    /** Units per second of {@code side} on {@code threads} threads over {@code millis}. */
    private double run(Workload side, int threads, long millis) {
        AtomicLong units = new AtomicLong();
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> workers = new ArrayList<>();
        long[] deadline = new long[1];
        RuntimeException[] failure = new RuntimeException[1];
        for (int t = 0; t < threads; t++) {
            workers.add(Thread.ofPlatform().name("bench-" + t).start(() -> {
                try {
                    start.await();
                    long done = 0;
                    // At least once: on a busy machine a thread may first run after the deadline, and a round
                    // without any work would report a rate of zero. The rate is over the time actually taken.
                    do {
                        done += work.run(side, next());
                    } while (System.nanoTime() - deadline[0] < 0);
                    units.addAndGet(done);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (RuntimeException e) {
                    failure[0] = e;
                }
            }));
        }
        long began = System.nanoTime();
        deadline[0] = began + millis * 1_000_000;
        start.countDown();
        for (Thread worker : workers) {
            try {
                worker.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        if (failure[0] != null) {
            throw new IllegalStateException(side.name() + " failed in " + benchmark + " on " + database, failure[0]);
        }
        return units.get() / ((System.nanoTime() - began) / 1e9);
    }
}
