package dev.runestone.projector;

import dev.runestone.EventRecord;
import java.util.Objects;
import java.util.function.BiConsumer;

/**
 * Reports how a {@link Projector#once} handler ended, e.g. to record that an email was sent or must be retried.
 * What these methods throw goes to the store's error hook.
 *
 * @param <T> the event class handled
 * @param <R> what the handler returns on success
 */
public interface Effects<T, R> {

    /** Effects from two functions. */
    static <T, R> Effects<T, R> of(BiConsumer<EventRecord<T>, R> onSuccess,
            BiConsumer<EventRecord<T>, Exception> onError) {
        Objects.requireNonNull(onSuccess, "onSuccess");
        Objects.requireNonNull(onError, "onError");
        return new Effects<>() {
            @Override
            public void onSuccess(EventRecord<T> record, R result) {
                onSuccess.accept(record, result);
            }

            @Override
            public void onError(EventRecord<T> record, Exception error) {
                onError.accept(record, error);
            }
        };
    }

    /** The handler returned {@code result}. */
    void onSuccess(EventRecord<T> record, R result);

    /** The handler threw {@code error}. */
    void onError(EventRecord<T> record, Exception error);
}
