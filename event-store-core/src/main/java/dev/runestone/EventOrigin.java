package dev.runestone;

import dev.runestone.internal.WellFormedText;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Where an event came from: the conversation it belongs to, what caused it, and the trace of the work that appended
 * it. Stored with every event, kept by imports and sync, and read back on {@link EventRecord#origin()}.
 *
 * <p>An event appended while a projector, subscription or {@code once} effect handles another event gets that
 * event's correlation id and the event's id as its causation id without anyone passing them; {@link Correlation}
 * sets them explicitly, and an explicit value wins. An event appended with neither starts a conversation of its
 * own: every event of that append without a correlation id gets the id of the first of them as its correlation id,
 * and no causation. When a tracer is wired into the store ({@code EventStore.Builder.instrumentation}), the trace
 * context of the append's own span replaces any the events were made with: it is where they came from.
 *
 * <p>The record itself accepts any values, so that no stored row can keep a reader from reading it; an append or
 * import checks them and refuses, naming the field, a correlation or causation id that is blank, longer than
 * {@value #MAX_ID_LENGTH} characters or not printable well-formed text, a {@code traceparent} not in the W3C form,
 * and a {@code tracestate} longer than {@value #MAX_TRACE_STATE_LENGTH} characters or not printable ASCII.
 *
 * @param correlationId the conversation the event belongs to; {@code null} only on a {@link PendingEvent} whose
 *                      append has yet to decide it
 * @param causationId   what caused the event, usually the id of the event being handled when it was appended;
 *                      {@code null} when nothing did
 * @param traceParent   the W3C {@code traceparent} of the span that appended the event, or {@code null}
 * @param traceState    the W3C {@code tracestate} that travelled with it, or {@code null}
 */
public record EventOrigin(@Nullable String correlationId, @Nullable String causationId, @Nullable String traceParent,
        @Nullable String traceState) {

    /** The longest correlation or causation id an append accepts, as long as a stream id may be. */
    public static final int MAX_ID_LENGTH = 512;

    /** The longest {@code tracestate} an append accepts: what W3C Trace Context asks every vendor to pass on. */
    public static final int MAX_TRACE_STATE_LENGTH = 512;

    /** No correlation, causation or trace yet: what an event made outside any handler or scope carries. */
    public static final EventOrigin NONE = new EventOrigin(null, null, null, null);

    private static final String TRACE_PARENT_HEADER = "traceparent";
    private static final String TRACE_STATE_HEADER = "tracestate";

    // version-traceid-parentid-flags; a later version may append fields after the flags.
    private static final Pattern TRACE_PARENT =
            Pattern.compile("[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}(-[\\x21-\\x7e]*)?");

    /** The origin of an event that starts a conversation: its own id as correlation id, nothing else. */
    public static EventOrigin root(UUID eventId) {
        return new EventOrigin(eventId.toString(), null, null, null);
    }

    /** The origin of events appended while {@code cause} is handled: its correlation and trace, its id as cause. */
    public static EventOrigin causedBy(EventRecord<?> cause) {
        return new EventOrigin(cause.correlationId(), cause.id().toString(), cause.origin().traceParent(),
                cause.origin().traceState());
    }

    /**
     * The trace context as W3C Trace Context propagation headers: {@code traceparent} and, if set,
     * {@code tracestate}; empty without a {@code traceparent}. What a tracer extracts to continue the trace.
     */
    public Map<String, String> traceHeaders() {
        if (traceParent == null) {
            return Map.of();
        }
        return traceState == null ? Map.of(TRACE_PARENT_HEADER, traceParent)
                : Map.of(TRACE_PARENT_HEADER, traceParent, TRACE_STATE_HEADER, traceState);
    }

    /**
     * This origin with the trace context of {@code headers}, a tracer's propagation headers, instead of its own, if
     * they hold a W3C traceparent; a tracestate an append would refuse is left out rather than failing the append.
     */
    EventOrigin withTraceHeaders(Map<String, String> headers) {
        String parent = headers.get(TRACE_PARENT_HEADER);
        if (parent == null || !isTraceParent(parent)) {
            return this;
        }
        String state = headers.get(TRACE_STATE_HEADER);
        return new EventOrigin(correlationId, causationId, parent, state != null && isTraceState(state) ? state : null);
    }

    /**
     * Whether {@code parent} is a W3C traceparent: version 00 has exactly its four fields; a later version may add
     * fields, within {@value #MAX_TRACE_STATE_LENGTH} characters; version ff is invalid.
     */
    private static boolean isTraceParent(String parent) {
        return parent.length() <= MAX_TRACE_STATE_LENGTH && TRACE_PARENT.matcher(parent).matches()
                && !parent.startsWith("ff-") && (!parent.startsWith("00-") || parent.length() == 55);
    }

    private static boolean isTraceState(String state) {
        return state.length() <= MAX_TRACE_STATE_LENGTH && state.chars().allMatch(c -> c >= 0x20 && c <= 0x7e);
    }

    /** This origin with what it leaves open taken from {@code outer}. */
    EventOrigin orElse(EventOrigin outer) {
        // The common cases, on every append: nothing in effect, or an event made under the origin still in effect.
        if (outer.equals(NONE) || outer.equals(this)) {
            return this;
        }
        if (equals(NONE)) {
            return outer;
        }
        return new EventOrigin(
                correlationId != null ? correlationId : outer.correlationId,
                causationId != null ? causationId : outer.causationId,
                traceParent != null ? traceParent : outer.traceParent,
                traceParent != null ? traceState : outer.traceState);
    }

    /** This origin with {@code correlationId} if it has none. */
    EventOrigin withCorrelationIfAbsent(String fallback) {
        return correlationId != null ? this : new EventOrigin(fallback, causationId, traceParent, traceState);
    }

    /**
     * Checks the values an append or import stores.
     *
     * @throws IllegalArgumentException naming the field and the rule it breaks
     */
    EventOrigin requireValid() {
        if (correlationId != null) {
            WellFormedText.requireIdentifier("Correlation id", correlationId, MAX_ID_LENGTH);
        }
        if (causationId != null) {
            WellFormedText.requireIdentifier("Causation id", causationId, MAX_ID_LENGTH);
        }
        if (traceParent != null && !isTraceParent(traceParent)) {
            throw new IllegalArgumentException("traceparent '" + WellFormedText.printable(abbreviated(traceParent))
                    + "' is not in the W3C Trace Context form version-traceid-parentid-flags, e.g. "
                    + "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
        }
        if (traceState != null) {
            if (traceParent == null) {
                throw new IllegalArgumentException("tracestate is set without a traceparent; W3C Trace Context "
                        + "carries tracestate only beside a traceparent");
            }
            if (traceState.length() > MAX_TRACE_STATE_LENGTH) {
                throw new IllegalArgumentException("tracestate is " + traceState.length() + " characters long; at "
                        + "most " + MAX_TRACE_STATE_LENGTH + " are allowed");
            }
            if (!isTraceState(traceState)) {
                throw new IllegalArgumentException("tracestate '" + WellFormedText.printable(abbreviated(traceState))
                        + "' holds characters outside printable ASCII, which W3C Trace Context does not allow");
            }
        }
        return this;
    }

    private static String abbreviated(String text) {
        return text.length() <= 80 ? text : text.substring(0, 80) + "…";
    }
}
