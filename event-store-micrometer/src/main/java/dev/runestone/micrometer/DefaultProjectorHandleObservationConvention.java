package dev.runestone.micrometer;

import dev.runestone.micrometer.RunestoneObservation.LowCardinalityKeys;
import io.micrometer.common.KeyValues;

/**
 * The default {@link HandleObservationConvention} of the in-process projector: {@code runestone.projector.handle},
 * span {@code process <event type>}.
 */
public class DefaultProjectorHandleObservationConvention implements HandleObservationConvention {

    /** The one instance. */
    public static final DefaultProjectorHandleObservationConvention INSTANCE =
            new DefaultProjectorHandleObservationConvention();

    @Override
    public String getName() {
        return RunestoneObservation.PROJECTOR_HANDLE.getName();
    }

    @Override
    public String getContextualName(HandleContext context) {
        return "process " + context.eventType();
    }

    @Override
    public KeyValues getLowCardinalityKeyValues(HandleContext context) {
        return KeyValues.of(
                LowCardinalityKeys.ADAPTER.withValue(context.adapter()),
                LowCardinalityKeys.HANDLER.withValue(context.handlerName()),
                LowCardinalityKeys.EVENT_TYPE.withValue(context.eventType()),
                LowCardinalityKeys.OUTCOME.withValue(context.outcome()),
                LowCardinalityKeys.MESSAGING_SYSTEM.withValue("runestone"),
                LowCardinalityKeys.MESSAGING_OPERATION_TYPE.withValue("process"));
    }

    @Override
    public KeyValues getHighCardinalityKeyValues(HandleContext context) {
        return HandleKeyValues.of(context);
    }
}
