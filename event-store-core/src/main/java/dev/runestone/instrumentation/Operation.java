package dev.runestone.instrumentation;

/**
 * One timed piece of work an {@link Instrumentation} was told about when it began: a read, a handler run. The store
 * calls {@link #failed(Throwable)} at most once if the work threw, then {@link #end()} exactly once, on the thread
 * that did the work.
 */
public interface Operation {

    /** Does nothing. */
    Operation NONE = new Operation() { };

    /** The work threw {@code error}; {@link #end()} follows. */
    default void failed(Throwable error) {
    }

    /** The work is over, whether it succeeded or failed. */
    default void end() {
    }
}
