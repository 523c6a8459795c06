package dev.runestone.benchmarks;

/**
 * One side of a pair: the same work done by Runestone, by plain JDBC on Runestone's schema, or by Axon. Every
 * method is called from several threads at once. A side that cannot do a piece of work throws
 * {@link UnsupportedOperationException}; no pair asks it to.
 */
interface Workload extends AutoCloseable {

    /** The name in the results, such as {@code runestone} or {@code jdbc}. */
    String name();

    /** Appends one event to a new stream, in a transaction of its own, checking that the stream was empty. */
    void appendOne(String stream, long n);

    /** Appends {@code count} events to a new stream in one transaction, checking that the stream was empty. */
    void appendBatch(String stream, long n, int count);

    /**
     * Appends one event to {@code stream} if it is at {@code expectedVersion}; returns the stream's version after the
     * attempt, negated if another writer got there first.
     */
    default long appendExpecting(String stream, long expectedVersion, long n) {
        throw new UnsupportedOperationException(name() + " does not race for versions");
    }

    /** Reads a stream's events by stream id, decodes them into records and folds them. */
    default UserState reduce(String stream) {
        throw new UnsupportedOperationException(name() + " does not reduce");
    }

    /** Like {@link #reduce}, starting from the snapshot saved for the stream and reading only the events after it. */
    default UserState reduceFromSnapshot(String stream) {
        throw new UnsupportedOperationException(name() + " does not reduce");
    }

    /**
     * Reads up to {@code limit} events in position order after {@code afterPosition}, decoding each into its
     * record.
     *
     * @return the position of the last event read, or {@code afterPosition} if there was none
     */
    default long readLog(long afterPosition, int limit) {
        throw new UnsupportedOperationException(name() + " does not read the log");
    }

    @Override
    void close();
}
