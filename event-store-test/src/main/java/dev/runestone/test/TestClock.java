package dev.runestone.test;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A wall clock that stands still until a test moves it; the clock of every {@link TestEventStore}, reached through
 * {@link TestEventStore#clock()}. It starts at {@link #DEFAULT_START}, so the {@code created} and {@code recorded}
 * values of a test's events are the same on every run.
 *
 * <p>The store stamps {@code created} with a hybrid logical clock that follows this one: while it stands still,
 * events made one after another take the same millisecond with a rising counter
 * ({@code 2026-01-01T00:00:00.000Z-000001}, {@code …-000002}); after {@link #advance(Duration)} the next event takes
 * the new time with the counter back at 0. That clock never goes backwards: after {@link #set(Instant)} to an
 * earlier time, {@code created} keeps counting after the last one it handed out, while {@code recorded} follows this
 * clock back. Code of your own that takes a {@link java.time.Clock} can get one on this with
 * {@code clock.withZone(zone)}.
 *
 * <p>Thread-safe.
 */
public final class TestClock implements InstantSource {

    /** Where every test's clock starts: {@code 2026-01-01T00:00:00Z}. */
    public static final Instant DEFAULT_START = Instant.parse("2026-01-01T00:00:00Z");

    private final AtomicReference<Instant> now = new AtomicReference<>(DEFAULT_START);

    TestClock() {
    }

    @Override
    public Instant instant() {
        return now.get();
    }

    /** Moves the clock to {@code instant}, later or earlier. */
    public void set(Instant instant) {
        now.set(Objects.requireNonNull(instant, "instant"));
    }

    /**
     * Moves the clock forward by {@code duration}.
     *
     * @throws IllegalArgumentException if {@code duration} is negative; {@link #set(Instant)} goes back
     */
    public void advance(Duration duration) {
        Objects.requireNonNull(duration, "duration");
        if (duration.isNegative()) {
            throw new IllegalArgumentException("advance takes a duration of zero or more, was " + duration
                    + "; set(Instant) moves the clock back");
        }
        now.updateAndGet(instant -> instant.plus(duration));
    }

    /** Back to {@link #DEFAULT_START}, for the next test. */
    void reset() {
        now.set(DEFAULT_START);
    }

    @Override
    public String toString() {
        return "TestClock[" + now.get() + "]";
    }
}
