package dev.runestone.micrometer;

import dev.runestone.EventRecord;
import dev.runestone.instrumentation.HandlerKind;
import dev.runestone.projector.ProjectionStatus;
import io.micrometer.observation.transport.Kind;
import io.micrometer.observation.transport.ReceiverContext;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What {@link RunestoneObservation#PROJECTOR_HANDLE} and {@link RunestoneObservation#SUBSCRIPTION_HANDLE} observe:
 * one handler run for one event (or a batch handler for the events of one append). Its carrier is the trace context
 * stored with the event, from which a tracing handler makes the handler's span a child of the append's.
 */
public final class HandleContext extends ReceiverContext<Map<String, String>> {

    private final String adapter;
    private final @Nullable String subscription;
    private final @Nullable HandlerKind handler;
    private final List<? extends EventRecord<?>> records;
    private final @Nullable ProjectionStatus status;
    private final int attempt;
    private final @Nullable String batchKey;

    private HandleContext(String adapter, @Nullable String subscription, @Nullable HandlerKind handler,
            List<? extends EventRecord<?>> records, @Nullable ProjectionStatus status, int attempt,
            @Nullable String batchKey, Map<String, String> traceHeaders) {
        super((carrier, key) -> carrier == null ? null : carrier.get(key), Kind.CONSUMER);
        this.adapter = Objects.requireNonNull(adapter, "adapter");
        this.subscription = subscription;
        this.handler = handler;
        this.records = records;
        this.status = status;
        this.attempt = attempt;
        this.batchKey = batchKey;
        setCarrier(traceHeaders);
        setRemoteServiceName(adapter);
    }

    static HandleContext projector(String adapter, HandlerKind handler, EventRecord<?> record,
            ProjectionStatus status, Map<String, String> traceHeaders) {
        return new HandleContext(adapter, null, handler, List.of(record), status, 1, null, traceHeaders);
    }

    static HandleContext batch(String adapter, String key, List<? extends EventRecord<?>> records) {
        return new HandleContext(adapter, null, HandlerKind.BATCH, records, null, 1, key, Map.of());
    }

    static HandleContext subscription(String adapter, String subscription, EventRecord<?> record,
            ProjectionStatus status, int attempt, Map<String, String> traceHeaders) {
        return new HandleContext(adapter, subscription, null, List.of(record), status, attempt, null, traceHeaders);
    }

    /** The store's adapter: {@code sqlite}, {@code postgres}. */
    public String adapter() {
        return adapter;
    }

    /** The durable subscription handling the event; {@code null} for the in-process projector. */
    public @Nullable String subscription() {
        return subscription;
    }

    /** The projector handler's kind; {@code null} for a subscription. */
    public @Nullable HandlerKind handler() {
        return handler;
    }

    /** The event handled; for a batch handler, every event of the append. */
    public List<? extends EventRecord<?>> records() {
        return records;
    }

    /** The type of the events handled, or {@code mixed} for a batch of several types. */
    public String eventType() {
        return AppendContext.typeOf(records, EventRecord::type);
    }

    /** How the event reached the handler: {@code live}, {@code hydrated}, {@code outdated}; null for a batch. */
    public @Nullable String status() {
        if (status == null) {
            return null;
        }
        return status.outdated() ? "outdated" : status.hydrated() ? "hydrated" : "live";
    }

    /** Which attempt at the event this is, from 1; always 1 in the projector. */
    public int attempt() {
        return attempt;
    }

    /** The batch key of a batch handler; {@code null} otherwise. */
    public @Nullable String batchKey() {
        return batchKey;
    }

    /** {@code ok}, or {@code failed} when the handler threw. */
    public String outcome() {
        return getError() == null ? "ok" : "failed";
    }

    String handlerName() {
        return handler == null ? "subscription" : handler.name().toLowerCase(Locale.ROOT);
    }
}
