package dev.runestone.sqlite;

import java.util.concurrent.TimeUnit;

/** Wakes readers waiting for new events when an append of this process commits. Thread-safe. */
final class AppendSignal {

    private long generation;

    synchronized long generation() {
        return generation;
    }

    synchronized void signal() {
        generation++;
        notifyAll();
    }

    /** Waits until an append after {@code seen} commits, or {@code nanos} pass. */
    synchronized void await(long seen, long nanos) throws InterruptedException {
        long deadline = System.nanoTime() + nanos;
        while (generation == seen) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return;
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
    }
}
