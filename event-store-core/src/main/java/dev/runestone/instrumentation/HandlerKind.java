package dev.runestone.instrumentation;

/** Which kind of projector handler runs: the registration it was made with. */
public enum HandlerKind {
    /** {@code once}: new, up-to-date events only. */
    ONCE,
    /** {@code on}: new and hydrated events, never outdated ones. */
    ON,
    /** {@code all}: every event. */
    ALL,
    /** {@code batch}: the events of one append, as a list. */
    BATCH
}
