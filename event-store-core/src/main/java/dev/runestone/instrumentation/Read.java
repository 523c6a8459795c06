package dev.runestone.instrumentation;

/** Which kind of read an {@link Instrumentation} is told about. */
public enum Read {
    /** {@code read} and {@code readStreams}: events of given streams, by {@code created}. */
    STREAMS,
    /** {@code readRelations}: events of the streams related to keys. */
    RELATIONS,
    /** {@code readAll}: events of the whole log, by {@code created}. */
    ALL,
    /** {@code readCorrelation}: the events of one conversation. */
    CORRELATION,
    /** {@code readLog}: a page of the log in commit order, or of one part of it, as subscriptions follow it. */
    LOG,
    /** {@code find}: one event by id. */
    FIND
}
