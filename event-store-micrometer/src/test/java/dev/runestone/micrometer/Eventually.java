package dev.runestone.micrometer;

import java.time.Duration;

/** Waits for what another thread does: retries an assertion until it passes or time runs out. */
final class Eventually {

    private Eventually() {
    }

    static void eventually(Runnable assertion) {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (true) {
            try {
                assertion.run();
                return;
            } catch (AssertionError e) {
                if (System.nanoTime() - deadline > 0) {
                    throw e;
                }
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
        }
    }
}
