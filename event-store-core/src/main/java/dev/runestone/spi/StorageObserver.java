package dev.runestone.spi;

import java.time.Duration;

/**
 * What an adapter reports about its own waits to the store's instrumentation; handed over once through
 * {@link StorageAdapter#observe(StorageObserver)}. Implementations are thread-safe and quick.
 */
@FunctionalInterface
public interface StorageObserver {

    /**
     * A reader of the log waited {@code waited} while committed events were held back by a transaction that could
     * still take a lower position; see {@link dev.runestone.instrumentation.Instrumentation#logHeldBack}.
     */
    void logHeldBack(Duration waited);
}
