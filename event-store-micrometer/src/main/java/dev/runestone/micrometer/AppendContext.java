package dev.runestone.micrometer;

import dev.runestone.AppendResult;
import dev.runestone.ConcurrencyException;
import dev.runestone.DuplicateEventIdException;
import dev.runestone.EventValidationException;
import dev.runestone.PendingEvent;
import dev.runestone.UnknownEventTypeException;
import io.micrometer.observation.transport.Kind;
import io.micrometer.observation.transport.SenderContext;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * What {@link RunestoneObservation#APPEND} observes: the events of one append, and how it ended. Its carrier is
 * the map of propagation headers that a tracing handler fills when the observation starts, which the store keeps
 * with the events (only {@code traceparent} and {@code tracestate}). Not thread-safe: one append's thread uses it.
 */
public final class AppendContext extends SenderContext<Map<String, String>> {

    private final String adapter;
    private final List<? extends PendingEvent<?>> events;
    private @Nullable AppendResult<?> result;

    AppendContext(String adapter, List<? extends PendingEvent<?>> events) {
        super((carrier, key, value) -> {
            if (carrier != null) {
                carrier.put(key, value);
            }
        }, Kind.PRODUCER);
        this.adapter = Objects.requireNonNull(adapter, "adapter");
        this.events = Objects.requireNonNull(events, "events");
        setCarrier(new HashMap<>());
        setRemoteServiceName(adapter);
    }

    /** The store's adapter: {@code sqlite}, {@code postgres}. */
    public String adapter() {
        return adapter;
    }

    /** The events of the append, as made; none is stored yet when the observation starts. */
    public List<? extends PendingEvent<?>> events() {
        return events;
    }

    /** The type of every event of the append, or {@code mixed} if they differ. */
    public String eventType() {
        return typeOf(events, PendingEvent::type);
    }

    /** What the append stored, once it committed; {@code null} before, and if it failed. */
    public @Nullable AppendResult<?> result() {
        return result;
    }

    void stored(AppendResult<?> result) {
        this.result = result;
    }

    /**
     * How the append ended: {@code ok}, {@code conflict}, {@code invalid}, {@code duplicate} or {@code error}, as
     * {@link RunestoneObservation.LowCardinalityKeys#OUTCOME} says; {@code unknown} while it runs.
     */
    public String outcome() {
        Throwable error = getError();
        if (error != null) {
            return switch (error) {
                case ConcurrencyException conflict -> "conflict";
                case DuplicateEventIdException duplicate -> "duplicate";
                case EventValidationException invalid -> "invalid";
                case UnknownEventTypeException unknown -> "invalid";
                case IllegalArgumentException refused -> "invalid";
                default -> "error";
            };
        }
        if (result == null) {
            return "unknown";
        }
        return result.records().isEmpty() && !result.duplicates().isEmpty() ? "duplicate" : "ok";
    }

    /** The W3C trace context headers the carrier holds: {@code traceparent} and {@code tracestate}, if set. */
    Map<String, String> traceHeaders() {
        Map<String, String> carrier = getCarrier();
        if (carrier == null || carrier.isEmpty()) {
            return Map.of();
        }
        String parent = carrier.get("traceparent");
        if (parent == null) {
            return Map.of();
        }
        String state = carrier.get("tracestate");
        return state == null || state.isEmpty() ? Map.of("traceparent", parent)
                : Map.of("traceparent", parent, "tracestate", state);
    }

    static <T> String typeOf(List<? extends T> items, Function<T, String> type) {
        if (items.isEmpty()) {
            return "none";
        }
        String first = type.apply(items.getFirst());
        for (int i = 1; i < items.size(); i++) {
            if (!first.equals(type.apply(items.get(i)))) {
                return "mixed";
            }
        }
        return first;
    }
}
