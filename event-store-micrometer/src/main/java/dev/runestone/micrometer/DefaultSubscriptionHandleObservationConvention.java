package dev.runestone.micrometer;

import dev.runestone.micrometer.RunestoneObservation.LowCardinalityKeys;
import io.micrometer.common.KeyValues;
import java.util.Objects;

/**
 * The default {@link HandleObservationConvention} of durable subscriptions: {@code runestone.subscription.handle},
 * span {@code process <event type>}.
 */
public class DefaultSubscriptionHandleObservationConvention implements HandleObservationConvention {

    /** The one instance. */
    public static final DefaultSubscriptionHandleObservationConvention INSTANCE =
            new DefaultSubscriptionHandleObservationConvention();

    @Override
    public String getName() {
        return RunestoneObservation.SUBSCRIPTION_HANDLE.getName();
    }

    @Override
    public String getContextualName(HandleContext context) {
        return "process " + context.eventType();
    }

    @Override
    public KeyValues getLowCardinalityKeyValues(HandleContext context) {
        return KeyValues.of(
                LowCardinalityKeys.ADAPTER.withValue(context.adapter()),
                LowCardinalityKeys.SUBSCRIPTION.withValue(Objects.requireNonNullElse(context.subscription(), "")),
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
