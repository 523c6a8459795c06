package dev.runestone.micrometer;

import dev.runestone.EventRecord;
import dev.runestone.instrumentation.Operation;
import dev.runestone.instrumentation.SubscriptionInstrumentation;
import dev.runestone.projector.ProjectionStatus;
import dev.runestone.subscription.Subscription;
import dev.runestone.subscription.SubscriptionLag;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.observation.ObservationRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The instrumentation of one durable subscription running in this process: an observation per attempt at an event,
 * counters of retries, parked events and leases, and the lag gauges, removed again when the subscription stops.
 */
final class SubscriptionObservations implements SubscriptionInstrumentation {

    private static final Logger LOG = LoggerFactory.getLogger(SubscriptionObservations.class);

    /** A scrape reads both lag gauges: one read of the log serves both, and any other reading within this time. */
    private static final long LAG_REUSE_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final ObservationRegistry observations;
    private final @Nullable MeterRegistry meters;
    private final String adapter;
    private final Subscription<?> subscription;
    private final String name;
    private final Tags tags;
    private final List<Meter> registered;
    private @Nullable SubscriptionLag lag;
    private long lagReadAt;

    SubscriptionObservations(ObservationRegistry observations, @Nullable MeterRegistry meters, String adapter,
            Subscription<?> subscription) {
        this.observations = observations;
        this.meters = meters;
        this.adapter = adapter;
        this.subscription = subscription;
        this.name = subscription.name();
        this.tags = Tags.of("adapter", adapter, "subscription", name);
        this.registered = meters == null ? List.of() : List.of(
                Gauge.builder(RunestoneMeters.SUBSCRIPTION_LAG_EVENTS, this, s -> s.lag().events())
                        .description("Events after the subscription's checkpoint, counted up to "
                                + RunestoneMeters.LAG_LIMIT)
                        .baseUnit("events").tags(tags).strongReference(true).register(meters),
                TimeGauge.builder(RunestoneMeters.SUBSCRIPTION_LAG_TIME, this, TimeUnit.MILLISECONDS,
                                s -> s.lag().behind().toMillis())
                        .description("How long ago the oldest event the subscription has not handled was recorded")
                        .tags(tags).strongReference(true).register(meters),
                counter(RunestoneMeters.SUBSCRIPTION_LEASES_ACQUIRED, "Partition leases taken", Tags.empty()),
                counter(RunestoneMeters.SUBSCRIPTION_LEASES_LOST, "Partition leases lost without giving them up",
                        Tags.empty()));
    }

    @Override
    public Operation handling(EventRecord<?> record, ProjectionStatus status, int attempt,
            Map<String, String> traceHeaders) {
        if (observations.isNoop()) {
            return Operation.NONE;
        }
        return new StoreObservations.ObservedOperation(RunestoneObservation.SUBSCRIPTION_HANDLE.observation(null,
                DefaultSubscriptionHandleObservationConvention.INSTANCE,
                () -> HandleContext.subscription(adapter, name, record, status, attempt, traceHeaders),
                observations));
    }

    @Override
    public void retrying(EventRecord<?> record, int attempt, Throwable error) {
        if (meters != null) {
            counter(RunestoneMeters.SUBSCRIPTION_RETRIES, "Attempts at an event after the first",
                    Tags.of("event.type", record.type())).increment();
        }
    }

    @Override
    public void parked(String type, int attempts, Throwable error) {
        if (meters != null) {
            counter(RunestoneMeters.SUBSCRIPTION_PARKED, "Events parked by this instance",
                    Tags.of("event.type", type, "reason", attempts == 0 ? "undecodable" : "failed")).increment();
        }
    }

    @Override
    public void leaseAcquired(int partition) {
        if (meters != null) {
            counter(RunestoneMeters.SUBSCRIPTION_LEASES_ACQUIRED, "Partition leases taken", Tags.empty()).increment();
        }
    }

    @Override
    public void leaseLost(int partition) {
        if (meters != null) {
            counter(RunestoneMeters.SUBSCRIPTION_LEASES_LOST, "Partition leases lost without giving them up",
                    Tags.empty()).increment();
        }
    }

    @Override
    public void closed() {
        if (meters != null) {
            for (Meter meter : registered) {
                meters.remove(meter);
            }
        }
    }

    private Counter counter(String meter, String description, Tags more) {
        return Counter.builder(meter).description(description).tags(tags).tags(more)
                .register(Objects.requireNonNull(meters));
    }

    /**
     * The subscription's lag, read at most once a second. A failed read (the database is away) keeps the last
     * figures rather than failing the scrape.
     */
    private synchronized SubscriptionLag lag() {
        long now = System.nanoTime();
        if (lag == null || now - lagReadAt > LAG_REUSE_NANOS) {
            try {
                lag = subscription.lag(RunestoneMeters.LAG_LIMIT);
                lagReadAt = now;
            } catch (RuntimeException e) {
                LOG.debug("Could not read the lag of subscription '{}'", name, e);
                if (lag == null) {
                    return new SubscriptionLag(0, Duration.ZERO);
                }
            }
        }
        return lag;
    }
}
