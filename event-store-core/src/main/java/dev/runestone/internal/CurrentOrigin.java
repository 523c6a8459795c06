package dev.runestone.internal;

import dev.runestone.EventOrigin;
import dev.runestone.EventRecord;

/**
 * The {@link EventOrigin} in effect on the current thread: what a {@link dev.runestone.Correlation} scope set, or
 * what the projector or a subscription set while a handler runs. Appends on the thread read it when they make their
 * events.
 */
public final class CurrentOrigin {

    private static final ThreadLocal<EventOrigin> CURRENT = new ThreadLocal<>();

    private CurrentOrigin() {
    }

    /** The origin in effect, {@link EventOrigin#NONE} outside any scope. */
    public static EventOrigin get() {
        EventOrigin origin = CURRENT.get();
        return origin != null ? origin : EventOrigin.NONE;
    }

    /** Puts {@code origin} in effect and returns the one it replaces, for {@link #restore} in a {@code finally}. */
    public static EventOrigin enter(EventOrigin origin) {
        EventOrigin previous = get();
        CURRENT.set(origin);
        return previous;
    }

    /**
     * Puts in effect the origin of events appended while {@code record} is handled, and returns the one it
     * replaces, for {@link #restore} in a {@code finally}.
     */
    public static EventOrigin handling(EventRecord<?> record) {
        return enter(EventOrigin.causedBy(record));
    }

    /** Puts back what {@link #enter} replaced. */
    public static void restore(EventOrigin previous) {
        if (previous == EventOrigin.NONE) {
            CURRENT.remove();
        } else {
            CURRENT.set(previous);
        }
    }
}
