package dev.runestone;

/** The order a read returns events in. */
public enum Direction {
    /** Oldest first. */
    ASCENDING,
    /** Newest first. */
    DESCENDING
}
