package dev.runestone.subscription;

import dev.runestone.RunestoneException;

/** A subscription stopped on an event that failed every attempt, as {@link PoisonPolicy#STOP} asks. */
public final class SubscriptionStoppedException extends RunestoneException {

    private static final long serialVersionUID = 1L;

    SubscriptionStoppedException(String message, Throwable cause) {
        super(message, cause);
    }
}
