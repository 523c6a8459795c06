package dev.runestone.instrumentation;

/** A reduce: reading a reducer's snapshot and the events after it, and folding them into state. */
public interface ReduceOperation extends Operation {

    /** Does nothing. */
    ReduceOperation NONE = new ReduceOperation() { };

    /**
     * Whether the reduce started from a snapshot ({@code true}, a hit) or folded from the first event because there
     * was none, or none of the reducer's state shape ({@code false}, a miss). Called once, before {@link #end()},
     * unless the reduce failed before it could tell.
     */
    default void snapshot(boolean hit) {
    }
}
