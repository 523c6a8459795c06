package dev.runestone.clock;

import java.time.Duration;
import java.time.InstantSource;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A hybrid logical clock: hands out strictly increasing {@link HlcTimestamp}s that follow wall time.
 *
 * <p>{@link #now()} stamps a local event; {@link #update(HlcTimestamp)} merges a timestamp received from another
 * store so that later local events order after it. Three optional guards, as in the original library, stop a bad
 * clock from spreading:
 * <ul>
 *   <li>{@linkplain Builder#toleratedForwardJump(Duration) tolerated forward jump}: the wall clock may not leap
 *       further ahead of the last timestamp than this ({@link ClockForwardJumpException});</li>
 *   <li>{@linkplain Builder#maxOffset(Duration) maximum offset}: the last timestamp (perhaps a remote one) may not
 *       run further ahead of the wall clock than this ({@link ClockOffsetException});</li>
 *   <li>{@linkplain Builder#wallTimeUpperBound(long) wall-time upper bound}: no timestamp at or past this epoch
 *       millisecond is handed out ({@link WallTimeOverflowException}).</li>
 * </ul>
 * A guard set to zero is off; all are off by default. A timestamp refused by a guard leaves the clock unchanged.
 *
 * <p>Thread-safe.
 */
public final class HybridLogicalClock {

    private final InstantSource time;
    private final long maxOffset;
    private final long toleratedForwardJump;
    private final long wallTimeUpperBound;
    private HlcTimestamp last;

    private HybridLogicalClock(Builder builder) {
        this.time = builder.time;
        this.maxOffset = builder.maxOffset;
        this.toleratedForwardJump = builder.toleratedForwardJump;
        // Even with the guard off, no timestamp may pass the largest time the string form holds.
        this.wallTimeUpperBound = builder.wallTimeUpperBound > 0
                ? Math.min(builder.wallTimeUpperBound, HlcTimestamp.MAX_TIME + 1)
                : HlcTimestamp.MAX_TIME + 1;
        HlcTimestamp start = new HlcTimestamp(wallTime(), 0);
        this.last = builder.last != null && builder.last.isAfter(start) ? builder.last : start;
    }

    /** A clock on the system's wall time with every guard off. */
    public static HybridLogicalClock system() {
        return builder().build();
    }

    /** Starts configuring a clock. */
    public static Builder builder() {
        return new Builder();
    }

    /** Stamps a local event: a timestamp later than every one this clock has handed out or seen. */
    public synchronized HlcTimestamp now() {
        return advance(last);
    }

    /**
     * Merges a timestamp from another store and returns a local timestamp later than both it and every one this
     * clock has handed out.
     */
    public synchronized HlcTimestamp update(HlcTimestamp remote) {
        Objects.requireNonNull(remote, "remote");
        return advance(remote.isAfter(last) ? remote : last);
    }

    /** How far the last timestamp may run ahead of the wall clock; zero when the guard is off. */
    public Duration maxOffset() {
        return Duration.ofMillis(maxOffset);
    }

    /** The wall clock's time, in milliseconds since the epoch. */
    public long wallTime() {
        return time.millis();
    }

    /** The latest timestamp handed out or seen. */
    public synchronized HlcTimestamp last() {
        return last;
    }

    private HlcTimestamp advance(HlcTimestamp latest) {
        long wall = wallTime();
        long offset = latest.time() - wall;
        if (toleratedForwardJump > 0 && -offset > toleratedForwardJump) {
            throw new ClockForwardJumpException(-offset, toleratedForwardJump);
        }
        if (maxOffset > 0 && offset > maxOffset) {
            throw new ClockOffsetException(offset, maxOffset);
        }
        long nextTime;
        int nextLogical;
        if (offset < 0) {
            nextTime = wall;
            nextLogical = 0;
        } else if (latest.logical() < HlcTimestamp.MAX_LOGICAL) {
            nextTime = latest.time();
            nextLogical = latest.logical() + 1;
        } else {
            // The counter is full: borrow the next millisecond rather than overflow the fixed-width string form.
            nextTime = latest.time() + 1;
            nextLogical = 0;
        }
        if (nextTime >= wallTimeUpperBound) {
            throw new WallTimeOverflowException(nextTime, nextLogical, wallTimeUpperBound);
        }
        HlcTimestamp next = new HlcTimestamp(nextTime, nextLogical);
        last = next;
        return next;
    }

    /** Configures a {@link HybridLogicalClock}. Not thread-safe. */
    public static final class Builder {

        private InstantSource time = InstantSource.system();
        private long maxOffset;
        private long toleratedForwardJump;
        private long wallTimeUpperBound;
        private @Nullable HlcTimestamp last;

        private Builder() {
        }

        /** The wall clock to follow; tests pass a fixed or stepping one. Defaults to the system clock. */
        public Builder timeSource(InstantSource time) {
            this.time = Objects.requireNonNull(time, "time");
            return this;
        }

        /** How far the last timestamp may run ahead of the wall clock; zero turns the guard off. */
        public Builder maxOffset(Duration maxOffset) {
            this.maxOffset = nonNegativeMillis(maxOffset, "maxOffset");
            return this;
        }

        /** How far the wall clock may leap ahead of the last timestamp; zero turns the guard off. */
        public Builder toleratedForwardJump(Duration toleratedForwardJump) {
            this.toleratedForwardJump = nonNegativeMillis(toleratedForwardJump, "toleratedForwardJump");
            return this;
        }

        /** The epoch millisecond no timestamp may reach; zero turns the guard off. */
        public Builder wallTimeUpperBound(long epochMillis) {
            if (epochMillis < 0) {
                throw new IllegalArgumentException("wallTimeUpperBound must not be negative, was " + epochMillis);
            }
            this.wallTimeUpperBound = epochMillis;
            return this;
        }

        /** A timestamp this clock must stay ahead of, such as the last one it handed out before a restart. */
        public Builder last(HlcTimestamp last) {
            this.last = Objects.requireNonNull(last, "last");
            return this;
        }

        public HybridLogicalClock build() {
            return new HybridLogicalClock(this);
        }

        private static long nonNegativeMillis(Duration duration, String name) {
            Objects.requireNonNull(duration, name);
            if (duration.isNegative()) {
                throw new IllegalArgumentException(name + " must not be negative, was " + duration);
            }
            return duration.toMillis();
        }
    }
}
