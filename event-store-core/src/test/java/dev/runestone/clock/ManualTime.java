package dev.runestone.clock;

import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.atomic.AtomicLong;

/** A wall clock that moves only when a test moves it, forwards or backwards; safe to move from several threads. */
final class ManualTime implements InstantSource {

    private final AtomicLong millis;

    ManualTime(long millis) {
        this.millis = new AtomicLong(millis);
    }

    @Override
    public Instant instant() {
        return Instant.ofEpochMilli(millis.get());
    }

    @Override
    public long millis() {
        return millis.get();
    }

    void set(long millis) {
        this.millis.set(millis);
    }

    void advance(long millis) {
        this.millis.addAndGet(millis);
    }
}
