package dev.runestone;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Event ids as the store makes them: time-ordered UUIDs (RFC 9562 version 7), 48 bits of Unix milliseconds, then 74
 * random bits. Ids made later sort later (to the millisecond), which keeps the event table's id index
 * append-mostly; random version 4 ids made SQLite batch appends several times slower. Use them for events you make
 * yourself, such as a {@link PendingEvent} for an event taken over from another system. Thread-safe.
 */
public final class EventIds {

    private EventIds() {
    }

    /** A new version 7 UUID for the current time. */
    public static UUID next() {
        return at(System.currentTimeMillis());
    }

    static UUID at(long epochMillis) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long high = (epochMillis << 16) | 0x7000L | (random.nextLong() & 0x0FFFL);
        long low = (random.nextLong() & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L;
        return new UUID(high, low);
    }
}
