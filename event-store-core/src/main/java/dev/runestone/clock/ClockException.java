package dev.runestone.clock;

import dev.runestone.RunestoneException;

/** A hybrid logical clock guard refused to hand out a timestamp; the clock is unchanged. */
public abstract sealed class ClockException extends RunestoneException
        permits ClockForwardJumpException, ClockOffsetException, WallTimeOverflowException {

    private static final long serialVersionUID = 1L;

    ClockException(String message) {
        super(message);
    }
}
