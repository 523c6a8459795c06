package dev.runestone.micrometer;

import dev.runestone.micrometer.RunestoneObservation.HighCardinalityKeys;
import dev.runestone.micrometer.RunestoneObservation.LowCardinalityKeys;
import io.micrometer.common.KeyValues;

/** The default {@link ReduceObservationConvention}: {@code runestone.reduce}, span {@code reduce <reducer>}. */
public class DefaultReduceObservationConvention implements ReduceObservationConvention {

    /** The one instance. */
    public static final DefaultReduceObservationConvention INSTANCE = new DefaultReduceObservationConvention();

    @Override
    public String getName() {
        return RunestoneObservation.REDUCE.getName();
    }

    @Override
    public String getContextualName(ReduceContext context) {
        return "reduce " + context.reducer();
    }

    @Override
    public KeyValues getLowCardinalityKeyValues(ReduceContext context) {
        return KeyValues.of(LowCardinalityKeys.ADAPTER.withValue(context.adapter()),
                LowCardinalityKeys.REDUCER.withValue(context.reducer()),
                LowCardinalityKeys.SNAPSHOT.withValue(context.snapshot()));
    }

    @Override
    public KeyValues getHighCardinalityKeyValues(ReduceContext context) {
        return KeyValues.of(HighCardinalityKeys.TARGET.withValue(context.target().key()));
    }
}
