package dev.runestone.spi;

import java.time.Duration;

/**
 * What an adapter reports about its own work to the store's instrumentation; handed over once through
 * {@link StorageAdapter#observe(StorageObserver)}. Every method has a default that ignores the report. Implementations
 * are thread-safe and quick.
 */
public interface StorageObserver {

    /** Ignores every report. */
    StorageObserver NONE = new StorageObserver() { };

    /**
     * A reader of the log waited {@code waited} while committed events were held back by a transaction that could
     * still take a lower position; see {@link dev.runestone.instrumentation.Instrumentation#logHeldBack}.
     */
    default void logHeldBack(Duration waited) {
    }

    /**
     * A group of {@code appends} coalesced appends is about to be written together, a lone append as a group of one;
     * see {@link dev.runestone.instrumentation.Instrumentation#appendsCoalesced}.
     */
    default void appendsCoalesced(int appends) {
    }
}
