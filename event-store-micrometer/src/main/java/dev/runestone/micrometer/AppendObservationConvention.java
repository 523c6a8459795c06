package dev.runestone.micrometer;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;

/**
 * How {@link RunestoneObservation#APPEND} names an append and what it tags it with;
 * {@link DefaultAppendObservationConvention} is the default. Register an implementation of
 * your own on the {@code ObservationRegistry}'s config (as a {@code GlobalObservationConvention}) to change names or
 * key values.
 */
public interface AppendObservationConvention extends ObservationConvention<AppendContext> {

    @Override
    default boolean supportsContext(Observation.Context context) {
        return context instanceof AppendContext;
    }
}
