package dev.runestone.micrometer;

import dev.runestone.instrumentation.Instrumentation;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Main entry point: an {@link Instrumentation} that turns a Runestone store's work into Micrometer observations
 * (timers, and spans where Micrometer Tracing is set up) and meters.
 *
 * <pre>{@code
 * EventStore<UserEvent> store = EventStore.builder(UserEvent.registry(), storage)
 *         .instrumentation(MicrometerInstrumentation.create(observationRegistry, meterRegistry))
 *         .build();
 * }</pre>
 *
 * <p>The observations ({@link RunestoneObservation}) go to the {@link ObservationRegistry}: what they become depends
 * on its handlers, a timer per observation with {@code DefaultMeterObservationHandler}, a span with a tracing
 * handler. The counters, gauges and the distribution summary ({@link RunestoneMeters}) go straight to the
 * {@link MeterRegistry}, if one is given. An {@code ObservationRegistry} without handlers costs almost nothing.
 *
 * <p>Immutable and thread-safe; one instance may serve several stores, each tagged with its own adapter.
 */
public final class MicrometerInstrumentation implements Instrumentation {

    private final ObservationRegistry observations;
    private final @Nullable MeterRegistry meters;

    private MicrometerInstrumentation(ObservationRegistry observations, @Nullable MeterRegistry meters) {
        this.observations = Objects.requireNonNull(observations, "observations");
        this.meters = meters;
    }

    /** Observations only: timers and spans as the registry's handlers make them, no counters or gauges. */
    public static MicrometerInstrumentation create(ObservationRegistry observations) {
        return new MicrometerInstrumentation(observations, null);
    }

    /** Observations, plus the counters, gauges and summary of {@link RunestoneMeters} in {@code meters}. */
    public static MicrometerInstrumentation create(ObservationRegistry observations, MeterRegistry meters) {
        return new MicrometerInstrumentation(observations, Objects.requireNonNull(meters, "meters"));
    }

    @Override
    public Instrumentation forStore(String adapter) {
        return new StoreObservations(observations, meters, adapter);
    }
}
