package dev.runestone;

/**
 * An append found its stream at another version than expected; nothing was written.
 *
 * <p>Another writer got there first. Reload the stream's state, decide again, and retry.
 */
public final class ConcurrencyException extends RunestoneException {

    private static final long serialVersionUID = 1L;

    private final String stream;
    private final transient ExpectedVersion expected;
    private final long actual;

    public ConcurrencyException(String stream, ExpectedVersion expected, long actual) {
        super("Stream '" + stream + "' was expected at version " + expected + " but is at "
                + (actual == 0 ? "no stream (0)" : Long.toString(actual))
                + "; nothing was written. Reload the stream and retry.");
        this.stream = stream;
        this.expected = expected;
        this.actual = actual;
    }

    /** The stream whose version did not match. */
    public String stream() {
        return stream;
    }

    /** The version the append expected. */
    public ExpectedVersion expected() {
        return expected;
    }

    /** The version the stream was at. */
    public long actual() {
        return actual;
    }
}
