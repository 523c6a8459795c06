package dev.runestone.micrometer;

import dev.runestone.AppendResult;
import dev.runestone.EventRecord;
import dev.runestone.PendingEvent;
import dev.runestone.Target;
import dev.runestone.instrumentation.AppendOperation;
import dev.runestone.instrumentation.HandlerKind;
import dev.runestone.instrumentation.Instrumentation;
import dev.runestone.instrumentation.Operation;
import dev.runestone.instrumentation.Read;
import dev.runestone.instrumentation.ReduceOperation;
import dev.runestone.instrumentation.SubscriptionInstrumentation;
import dev.runestone.projector.ProjectionStatus;
import dev.runestone.subscription.Subscription;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The instrumentation of one store: {@link MicrometerInstrumentation#forStore} makes it with the store's adapter
 * name. While the observation registry has no handlers, it starts no observations at all.
 */
final class StoreObservations implements Instrumentation {

    private final ObservationRegistry observations;
    private final @Nullable MeterRegistry meters;
    private final String adapter;
    private final @Nullable DistributionSummary appendEvents;
    private volatile @Nullable Timer gapWait;
    private volatile @Nullable DistributionSummary appendGroup;

    StoreObservations(ObservationRegistry observations, @Nullable MeterRegistry meters, String adapter) {
        this.observations = observations;
        this.meters = meters;
        this.adapter = adapter;
        this.appendEvents = meters == null ? null : DistributionSummary.builder(RunestoneMeters.APPEND_EVENTS)
                .description("Events per append").baseUnit("events").tag("adapter", adapter).register(meters);
    }

    @Override
    public AppendOperation appending(List<? extends PendingEvent<?>> events) {
        if (appendEvents != null) {
            appendEvents.record(events.size());
        }
        if (observations.isNoop()) {
            return AppendOperation.NONE;
        }
        AppendContext context = new AppendContext(adapter, events);
        Observation observation = RunestoneObservation.APPEND.observation(null,
                DefaultAppendObservationConvention.INSTANCE, () -> context, observations);
        return new ObservedAppend(observation, context);
    }

    @Override
    public Operation reading(Read read) {
        if (observations.isNoop()) {
            return Operation.NONE;
        }
        return new ObservedOperation(RunestoneObservation.READ.observation(null,
                DefaultReadObservationConvention.INSTANCE, () -> new ReadContext(adapter, read), observations));
    }

    @Override
    public ReduceOperation reducing(String reducer, Target target) {
        if (observations.isNoop()) {
            return ReduceOperation.NONE;
        }
        ReduceContext context = new ReduceContext(adapter, reducer, target);
        return new ObservedReduce(RunestoneObservation.REDUCE.observation(null,
                DefaultReduceObservationConvention.INSTANCE, () -> context, observations), context);
    }

    @Override
    public Operation projecting(HandlerKind handler, EventRecord<?> record, ProjectionStatus status,
            Map<String, String> traceHeaders) {
        if (observations.isNoop()) {
            return Operation.NONE;
        }
        return new ObservedOperation(RunestoneObservation.PROJECTOR_HANDLE.observation(null,
                DefaultProjectorHandleObservationConvention.INSTANCE,
                () -> HandleContext.projector(adapter, handler, record, status, traceHeaders), observations));
    }

    @Override
    public Operation projectingBatch(String key, List<? extends EventRecord<?>> records) {
        if (observations.isNoop()) {
            return Operation.NONE;
        }
        return new ObservedOperation(RunestoneObservation.PROJECTOR_HANDLE.observation(null,
                DefaultProjectorHandleObservationConvention.INSTANCE,
                () -> HandleContext.batch(adapter, key, records), observations));
    }

    @Override
    public SubscriptionInstrumentation subscribing(Subscription<?> subscription) {
        return new SubscriptionObservations(observations, meters, adapter, subscription);
    }

    @Override
    public void logHeldBack(Duration waited) {
        if (meters == null) {
            return;
        }
        Timer timer = gapWait;
        if (timer == null) {
            // Registered on the first report, so that adapters that never hold readers back show no such timer.
            timer = Timer.builder(RunestoneMeters.LOG_GAP_WAIT)
                    .description("Time a reader of the log waited for a transaction in flight to end")
                    .tag("adapter", adapter).register(meters);
            gapWait = timer;
        }
        timer.record(waited);
    }

    @Override
    public void appendsCoalesced(int appends) {
        if (meters == null) {
            return;
        }
        DistributionSummary summary = appendGroup;
        if (summary == null) {
            // Registered on the first report, so that a store that does not coalesce shows no such summary.
            summary = DistributionSummary.builder(RunestoneMeters.APPEND_GROUP)
                    .description("Appends per group of coalesced appends").baseUnit("appends")
                    .tag("adapter", adapter).register(meters);
            appendGroup = summary;
        }
        summary.record(appends);
    }

    /** Timed work as an observation, current on the working thread while it runs. */
    static class ObservedOperation implements Operation {

        private final Observation observation;
        private final Observation.Scope scope;

        ObservedOperation(Observation observation) {
            this.observation = observation.start();
            this.scope = observation.openScope();
        }

        @Override
        public void failed(Throwable error) {
            observation.error(error);
        }

        @Override
        public void end() {
            scope.close();
            observation.stop();
        }
    }

    static final class ObservedReduce extends ObservedOperation implements ReduceOperation {

        private final ReduceContext context;

        ObservedReduce(Observation observation, ReduceContext context) {
            super(observation);
            this.context = context;
        }

        @Override
        public void snapshot(boolean hit) {
            context.snapshot(hit);
        }
    }

    /** An append: its observation starts before the events are encoded, so the carrier holds the trace context. */
    static final class ObservedAppend extends ObservedOperation implements AppendOperation {

        private final AppendContext context;

        ObservedAppend(Observation observation, AppendContext context) {
            super(observation);
            this.context = context;
        }

        @Override
        public Map<String, String> traceHeaders() {
            return context.traceHeaders();
        }

        @Override
        public void stored(AppendResult<?> result) {
            context.stored(result);
        }
    }
}
