package dev.runestone.subscription;

/** What a subscription does with an event whose handler failed on every attempt. */
public enum PoisonPolicy {

    /** Park the event with its error and go on with the next one. */
    PARK_AND_CONTINUE,

    /**
     * Park the event and stop the subscription, its checkpoint left before the event; a restart tries it again
     * first.
     */
    STOP
}
