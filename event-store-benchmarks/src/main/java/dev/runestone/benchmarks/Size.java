package dev.runestone.benchmarks;

/**
 * How long and how big a run is.
 *
 * @param warmupMillis  each side's warm-up before the measured rounds
 * @param roundMillis   each side's time in one round
 * @param rounds        measured rounds per pair
 * @param logEvents     events loaded into each database before the pairs run; the log the scan and catch-up read
 * @param latencyMillis how long the projector latency run lasts, at 1,000 events/s
 */
record Size(long warmupMillis, long roundMillis, int rounds, long logEvents, long latencyMillis) {

    /** The documented run: about thirteen minutes on a 2-core machine. */
    static final Size FULL = new Size(2_000, 1_000, 7, 1_000_000, 20_000);

    /** The smoke test's: a second or two per database, enough to see every benchmark do its work. */
    static final Size TINY = new Size(20, 30, 2, 2_000, 300);

    Size withLogEvents(long events) {
        return new Size(warmupMillis, roundMillis, rounds, events, latencyMillis);
    }

    Size withRounds(int count) {
        if (count < 1) {
            throw new IllegalArgumentException("--rounds must be at least 1, was " + count);
        }
        return new Size(warmupMillis, roundMillis, count, logEvents, latencyMillis);
    }
}
