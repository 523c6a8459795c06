package dev.runestone;

/**
 * The version a stream must be at for an append to go ahead: optimistic concurrency.
 *
 * <p>Versions count a stream's events from 1; a stream with no events is at version 0.
 */
public sealed interface ExpectedVersion {

    /** Accepts the stream at any version. */
    static ExpectedVersion any() {
        return Any.INSTANCE;
    }

    /** Requires that the stream has no events yet. */
    static ExpectedVersion noStream() {
        return new Exactly(0);
    }

    /** Requires that the stream's last event has version {@code version}; {@code 0} means no stream yet. */
    static ExpectedVersion exactly(long version) {
        return new Exactly(version);
    }

    /** Tells whether a stream currently at {@code actual} meets this expectation. */
    boolean matches(long actual);

    /** Any version will do. */
    enum Any implements ExpectedVersion {
        INSTANCE;

        @Override
        public boolean matches(long actual) {
            return true;
        }

        @Override
        public String toString() {
            return "any";
        }
    }

    /**
     * Exactly one version.
     *
     * @param version the required version, 0 for no stream yet
     */
    record Exactly(long version) implements ExpectedVersion {

        public Exactly {
            if (version < 0) {
                throw new IllegalArgumentException("An expected version is 0 (no stream yet) or more, was " + version);
            }
        }

        @Override
        public boolean matches(long actual) {
            return actual == version;
        }

        @Override
        public String toString() {
            return version == 0 ? "no stream" : Long.toString(version);
        }
    }
}
