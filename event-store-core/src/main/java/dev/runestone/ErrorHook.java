package dev.runestone;

import org.jspecify.annotations.Nullable;

/**
 * Receives failures that must not fail an append: a projection handler or the after-insert hook threw.
 *
 * <p>Called from the thread that ran the failing code; implementations must be thread-safe and should not throw
 * (what they throw is logged and dropped). The default logs the failure at ERROR level through SLF4J.
 *
 * @param <E> the event type
 */
@FunctionalInterface
public interface ErrorHook<E> {

    /**
     * Handles one failure.
     *
     * @param error  what was thrown
     * @param record the event being handled, or {@code null} when the failure concerns a whole batch
     */
    void onError(Throwable error, @Nullable EventRecord<E> record);
}
