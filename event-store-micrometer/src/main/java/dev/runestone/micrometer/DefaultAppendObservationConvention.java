package dev.runestone.micrometer;

import dev.runestone.micrometer.RunestoneObservation.HighCardinalityKeys;
import dev.runestone.micrometer.RunestoneObservation.LowCardinalityKeys;
import io.micrometer.common.KeyValues;

/** The default {@link AppendObservationConvention}: {@code runestone.append}, span {@code send <event type>}. */
public class DefaultAppendObservationConvention implements AppendObservationConvention {

    /** The one instance. */
    public static final DefaultAppendObservationConvention INSTANCE = new DefaultAppendObservationConvention();

    @Override
    public String getName() {
        return RunestoneObservation.APPEND.getName();
    }

    @Override
    public String getContextualName(AppendContext context) {
        return "send " + context.eventType();
    }

    @Override
    public KeyValues getLowCardinalityKeyValues(AppendContext context) {
        return KeyValues.of(
                LowCardinalityKeys.ADAPTER.withValue(context.adapter()),
                LowCardinalityKeys.EVENT_TYPE.withValue(context.eventType()),
                LowCardinalityKeys.OUTCOME.withValue(context.outcome()),
                LowCardinalityKeys.MESSAGING_SYSTEM.withValue("runestone"),
                LowCardinalityKeys.MESSAGING_OPERATION_TYPE.withValue("send"));
    }

    @Override
    public KeyValues getHighCardinalityKeyValues(AppendContext context) {
        if (context.events().isEmpty()) {
            return KeyValues.empty();
        }
        KeyValues values = KeyValues.of(
                HighCardinalityKeys.STREAM.withValue(context.events().getFirst().stream()),
                HighCardinalityKeys.EVENT_COUNT.withValue(Integer.toString(context.events().size())));
        return context.events().size() == 1
                ? values.and(HighCardinalityKeys.EVENT_ID.withValue(context.events().getFirst().id().toString()))
                : values;
    }
}
