package dev.runestone.clock;

/** The last timestamp (often one received from another store) runs further ahead of the wall clock than allowed. */
public final class ClockOffsetException extends ClockException {

    private static final long serialVersionUID = 1L;

    ClockOffsetException(long offsetMillis, long maxOffsetMillis) {
        super("The last timestamp is " + offsetMillis + " ms ahead of the wall clock; at most " + maxOffsetMillis
                + " ms is allowed. A remote store's clock may be wrong, or raise maxOffset.");
    }
}
