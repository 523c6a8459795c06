package dev.runestone.clock;

/** The wall clock leapt further ahead of the last timestamp than the clock tolerates. */
public final class ClockForwardJumpException extends ClockException {

    private static final long serialVersionUID = 1L;

    ClockForwardJumpException(long jumpMillis, long toleratedMillis) {
        super("The wall clock jumped " + jumpMillis + " ms ahead of the last timestamp; at most " + toleratedMillis
                + " ms is tolerated. Check the machine's clock, or raise toleratedForwardJump.");
    }
}
