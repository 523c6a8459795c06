package dev.runestone.micrometer;

import dev.runestone.micrometer.RunestoneObservation.LowCardinalityKeys;
import io.micrometer.common.KeyValues;

/** The default {@link ReadObservationConvention}: {@code runestone.read}, span {@code read <kind>}. */
public class DefaultReadObservationConvention implements ReadObservationConvention {

    /** The one instance. */
    public static final DefaultReadObservationConvention INSTANCE = new DefaultReadObservationConvention();

    @Override
    public String getName() {
        return RunestoneObservation.READ.getName();
    }

    @Override
    public String getContextualName(ReadContext context) {
        return "read " + context.readName();
    }

    @Override
    public KeyValues getLowCardinalityKeyValues(ReadContext context) {
        return KeyValues.of(LowCardinalityKeys.ADAPTER.withValue(context.adapter()),
                LowCardinalityKeys.READ.withValue(context.readName()));
    }
}
