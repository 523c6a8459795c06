package dev.runestone;

import dev.runestone.internal.CurrentOrigin;
import java.util.Objects;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * An explicit correlation id, and optionally a causation id and trace context, for the events appended on this
 * thread while an action runs:
 *
 * <pre>{@code
 * Correlation.with(request.header("X-Request-Id")).causedBy(command.id()).run(() -> store.append("order-7", placed));
 * }</pre>
 *
 * <p>What a scope names wins over what the enclosing scope, or the event a handler is handling, would give; what it
 * leaves out is taken from them. One exception: with a tracer wired into the store, the append's own span gives the
 * trace context, since it is the precise place the events came from. Events keep the origin in effect when they are made ({@link EventStore#event},
 * {@link AggregateRoot#push}) and appends fill in what is still open from the origin in effect when they run.
 * Imports keep the origin their events bring and ignore scopes. The scope belongs to the thread: work handed to
 * another thread does not carry it.
 *
 * <p>Immutable and thread-safe; the values are checked when the scope is made.
 */
public final class Correlation {

    private final EventOrigin origin;

    private Correlation(EventOrigin origin) {
        this.origin = origin.requireValid();
    }

    /**
     * A scope with this correlation id.
     *
     * @throws IllegalArgumentException if it is blank, longer than {@value EventOrigin#MAX_ID_LENGTH} characters, or
     *                                  holds control characters or lone surrogates
     */
    public static Correlation with(String correlationId) {
        Objects.requireNonNull(correlationId, "correlationId");
        return new Correlation(new EventOrigin(correlationId, null, null, null));
    }

    /**
     * This scope with a causation id as well, such as the id of the command being handled.
     *
     * @throws IllegalArgumentException if it is blank, too long, or not printable well-formed text
     */
    public Correlation causedBy(String causationId) {
        Objects.requireNonNull(causationId, "causationId");
        return new Correlation(new EventOrigin(origin.correlationId(), causationId, origin.traceParent(),
                origin.traceState()));
    }

    /**
     * This scope with a W3C trace context, for callers that trace without an instrumentation wired into the store.
     *
     * @param traceParent the {@code traceparent} header, e.g. {@code 00-4bf9…4736-00f0…02b7-01}
     * @param traceState  the {@code tracestate} header, or {@code null}
     * @throws IllegalArgumentException if {@code traceParent} is not in the W3C form, or {@code traceState} is
     *                                  longer than {@value EventOrigin#MAX_TRACE_STATE_LENGTH} characters or not
     *                                  printable ASCII
     */
    public Correlation traced(String traceParent, @Nullable String traceState) {
        Objects.requireNonNull(traceParent, "traceParent");
        return new Correlation(new EventOrigin(origin.correlationId(), origin.causationId(), traceParent,
                traceState));
    }

    /** Runs {@code action} with this scope in effect on the current thread. */
    public void run(Runnable action) {
        Objects.requireNonNull(action, "action");
        call(() -> {
            action.run();
            return null;
        });
    }

    /** Runs {@code action} with this scope in effect on the current thread and returns what it returns. */
    public <T> T call(Supplier<T> action) {
        Objects.requireNonNull(action, "action");
        EventOrigin previous = CurrentOrigin.enter(origin.orElse(CurrentOrigin.get()));
        try {
            return action.get();
        } finally {
            CurrentOrigin.restore(previous);
        }
    }

    /**
     * The origin in effect on the current thread: what scopes and the event being handled give, with
     * {@link EventOrigin#NONE} outside both.
     */
    public static EventOrigin current() {
        return CurrentOrigin.get();
    }
}
