package dev.runestone.clock;

/** The next timestamp would reach the clock's configured wall-time upper bound. */
public final class WallTimeOverflowException extends ClockException {

    private static final long serialVersionUID = 1L;

    WallTimeOverflowException(HlcTimestamp next, long upperBound) {
        super("The next timestamp " + next + " reaches the wall-time upper bound (" + upperBound
                + " ms since the epoch); the clock refuses to hand it out.");
    }
}
