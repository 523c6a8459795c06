package dev.runestone.subscription;

/**
 * Where a subscription that has no checkpoint yet starts reading. Once it has one, it always resumes from it.
 */
public enum StartFrom {

    /** From the first event; the events already stored are delivered as replays (hydrated). */
    BEGINNING,

    /** After the last event stored when the subscription first starts. */
    END
}
