package dev.runestone.micrometer;

import dev.runestone.EventRecord;
import dev.runestone.micrometer.RunestoneObservation.HighCardinalityKeys;
import io.micrometer.common.KeyValues;

/** The span attributes both handle conventions give a handled event. */
final class HandleKeyValues {

    private HandleKeyValues() {
    }

    static KeyValues of(HandleContext context) {
        if (context.batchKey() != null) {
            return KeyValues.of(HighCardinalityKeys.BATCH_KEY.withValue(context.batchKey()),
                    HighCardinalityKeys.EVENT_COUNT.withValue(Integer.toString(context.records().size())));
        }
        EventRecord<?> record = context.records().getFirst();
        KeyValues values = KeyValues.of(
                HighCardinalityKeys.STREAM.withValue(record.stream()),
                HighCardinalityKeys.EVENT_ID.withValue(record.id().toString()),
                HighCardinalityKeys.POSITION.withValue(Long.toString(record.position())),
                HighCardinalityKeys.STATUS.withValue(String.valueOf(context.status())));
        return context.subscription() == null ? values
                : values.and(HighCardinalityKeys.ATTEMPT.withValue(Integer.toString(context.attempt())));
    }
}
