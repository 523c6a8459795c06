package dev.runestone.micrometer;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;

/**
 * How {@link RunestoneObservation#PROJECTOR_HANDLE} and {@link RunestoneObservation#SUBSCRIPTION_HANDLE} name a
 * handled event and what they tag it with; {@link HandleContext#subscription()} tells the two apart. Register an
 * implementation of your own on the {@code ObservationRegistry}'s config (as a {@code GlobalObservationConvention})
 * to change them; {@link DefaultProjectorHandleObservationConvention} and
 * {@link DefaultSubscriptionHandleObservationConvention} are the defaults.
 */
public interface HandleObservationConvention extends ObservationConvention<HandleContext> {

    @Override
    default boolean supportsContext(Observation.Context context) {
        return context instanceof HandleContext;
    }
}
