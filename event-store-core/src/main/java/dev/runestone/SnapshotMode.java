package dev.runestone;

/** When a store saves snapshots. */
public enum SnapshotMode {
    /** Only when asked, through {@link Snapshots#create(Reducer, Target)} or {@link AggregateRoot#snapshot()}. */
    MANUAL,
    /** After every reduce that folded at least one event. */
    AUTOMATIC
}
