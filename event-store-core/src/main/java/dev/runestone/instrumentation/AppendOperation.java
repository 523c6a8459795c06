package dev.runestone.instrumentation;

import dev.runestone.AppendResult;
import java.util.Map;

/**
 * An append, from the moment the store takes its events to commit them until the commit returned or failed. Besides
 * ending like any {@link Operation}, it hands the store the trace context to keep with the events.
 */
public interface AppendOperation extends Operation {

    /** Does nothing and carries no trace context. */
    AppendOperation NONE = new AppendOperation() { };

    /**
     * The W3C trace context of the span this append runs in, as propagation headers: {@code traceparent} and, if
     * the span has one, {@code tracestate}. The store keeps them with the appended events, so that whoever handles
     * an event later can continue the trace. Empty when there is no span; read once, right after the append began.
     */
    default Map<String, String> traceHeaders() {
        return Map.of();
    }

    /**
     * The append committed: what it stored, and which of its events were already stored (a retried append stores
     * nothing and lists every event as a duplicate). {@link #end()} follows.
     */
    default void stored(AppendResult<?> result) {
    }
}
