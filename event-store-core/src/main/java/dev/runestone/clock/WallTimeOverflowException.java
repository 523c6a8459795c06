package dev.runestone.clock;

/** The next timestamp would reach the wall-time upper bound: the configured one, or else the end of year 9999. */
public final class WallTimeOverflowException extends ClockException {

    private static final long serialVersionUID = 1L;

    WallTimeOverflowException(long nextTime, int nextLogical, long upperBound) {
        super("The next timestamp (" + nextTime + " ms since the epoch, counter " + nextLogical
                + ") reaches the wall-time upper bound (" + upperBound
                + " ms since the epoch); the clock refuses to hand it out.");
    }
}
