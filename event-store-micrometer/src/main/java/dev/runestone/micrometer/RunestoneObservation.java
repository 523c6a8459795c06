package dev.runestone.micrometer;

import io.micrometer.common.docs.KeyName;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;
import io.micrometer.observation.docs.ObservationDocumentation;

/**
 * The observations of a Runestone store: their names, default conventions and key values. With Micrometer's
 * {@code DefaultMeterObservationHandler} each becomes a timer of its name (plus a long task timer
 * {@code <name>.active}), tagged with its low-cardinality key values and {@code error}; with Micrometer Tracing each
 * becomes a span, with the high-cardinality key values as attributes too. Spans follow OpenTelemetry's messaging
 * conventions where they fit: an append is a {@code send} of kind PRODUCER, a handled event a {@code process} of kind
 * CONSUMER, whose parent is the append's span when the event carries its trace context.
 */
public enum RunestoneObservation implements ObservationDocumentation {

    /** An append: validation, encoding and the transaction that writes the events. */
    APPEND {
        @Override
        public String getName() {
            return "runestone.append";
        }

        @Override
        public Class<? extends ObservationConvention<? extends Observation.Context>> getDefaultConvention() {
            return DefaultAppendObservationConvention.class;
        }

        @Override
        public KeyName[] getLowCardinalityKeyNames() {
            return new KeyName[] {LowCardinalityKeys.ADAPTER, LowCardinalityKeys.EVENT_TYPE,
                LowCardinalityKeys.OUTCOME, LowCardinalityKeys.MESSAGING_SYSTEM,
                LowCardinalityKeys.MESSAGING_OPERATION_TYPE};
        }

        @Override
        public KeyName[] getHighCardinalityKeyNames() {
            return new KeyName[] {HighCardinalityKeys.STREAM, HighCardinalityKeys.EVENT_ID,
                HighCardinalityKeys.EVENT_COUNT};
        }
    },

    /** A read: of streams, relations, the whole log by time, a page of the log, or one event by id. */
    READ {
        @Override
        public String getName() {
            return "runestone.read";
        }

        @Override
        public Class<? extends ObservationConvention<? extends Observation.Context>> getDefaultConvention() {
            return DefaultReadObservationConvention.class;
        }

        @Override
        public KeyName[] getLowCardinalityKeyNames() {
            return new KeyName[] {LowCardinalityKeys.ADAPTER, LowCardinalityKeys.READ};
        }
    },

    /** A reduce: the snapshot and the events after it, folded into state. */
    REDUCE {
        @Override
        public String getName() {
            return "runestone.reduce";
        }

        @Override
        public Class<? extends ObservationConvention<? extends Observation.Context>> getDefaultConvention() {
            return DefaultReduceObservationConvention.class;
        }

        @Override
        public KeyName[] getLowCardinalityKeyNames() {
            return new KeyName[] {LowCardinalityKeys.ADAPTER, LowCardinalityKeys.REDUCER,
                LowCardinalityKeys.SNAPSHOT};
        }

        @Override
        public KeyName[] getHighCardinalityKeyNames() {
            return new KeyName[] {HighCardinalityKeys.TARGET};
        }
    },

    /** One handler of the in-process projector run for one event (or, for a batch handler, one append). */
    PROJECTOR_HANDLE {
        @Override
        public String getName() {
            return "runestone.projector.handle";
        }

        @Override
        public Class<? extends ObservationConvention<? extends Observation.Context>> getDefaultConvention() {
            return DefaultProjectorHandleObservationConvention.class;
        }

        @Override
        public KeyName[] getLowCardinalityKeyNames() {
            return new KeyName[] {LowCardinalityKeys.ADAPTER, LowCardinalityKeys.HANDLER,
                LowCardinalityKeys.EVENT_TYPE, LowCardinalityKeys.OUTCOME, LowCardinalityKeys.MESSAGING_SYSTEM,
                LowCardinalityKeys.MESSAGING_OPERATION_TYPE};
        }

        @Override
        public KeyName[] getHighCardinalityKeyNames() {
            return new KeyName[] {HighCardinalityKeys.STREAM, HighCardinalityKeys.EVENT_ID,
                HighCardinalityKeys.POSITION, HighCardinalityKeys.STATUS, HighCardinalityKeys.EVENT_COUNT,
                HighCardinalityKeys.BATCH_KEY};
        }
    },

    /** One attempt of a durable subscription at handling one event. */
    SUBSCRIPTION_HANDLE {
        @Override
        public String getName() {
            return "runestone.subscription.handle";
        }

        @Override
        public Class<? extends ObservationConvention<? extends Observation.Context>> getDefaultConvention() {
            return DefaultSubscriptionHandleObservationConvention.class;
        }

        @Override
        public KeyName[] getLowCardinalityKeyNames() {
            return new KeyName[] {LowCardinalityKeys.ADAPTER, LowCardinalityKeys.SUBSCRIPTION,
                LowCardinalityKeys.EVENT_TYPE, LowCardinalityKeys.OUTCOME, LowCardinalityKeys.MESSAGING_SYSTEM,
                LowCardinalityKeys.MESSAGING_OPERATION_TYPE};
        }

        @Override
        public KeyName[] getHighCardinalityKeyNames() {
            return new KeyName[] {HighCardinalityKeys.STREAM, HighCardinalityKeys.EVENT_ID,
                HighCardinalityKeys.POSITION, HighCardinalityKeys.STATUS, HighCardinalityKeys.ATTEMPT};
        }
    };

    /** Key values with few values each: tags of meters, and attributes of spans. */
    public enum LowCardinalityKeys implements KeyName {
        /** The store's adapter: {@code sqlite}, {@code postgres}. */
        ADAPTER("adapter"),
        /**
         * The event's type string; for an append or batch of several types, {@code mixed}. Types come from the
         * registry, so they are few.
         */
        EVENT_TYPE("event.type"),
        /**
         * How it ended. An append: {@code ok}, {@code conflict} (an expected version did not hold),
         * {@code invalid} (an event broke its type's rules, or an argument was refused), {@code duplicate} (every
         * event was stored already, or an id is stored with other content) or {@code error}. A handler: {@code ok}
         * or {@code failed}.
         */
        OUTCOME("outcome"),
        /** The kind of read: {@code streams}, {@code relations}, {@code all}, {@code log}, {@code find}. */
        READ("read"),
        /** The reducer's name, which the code gives: few. */
        REDUCER("reducer"),
        /**
         * Whether a reduce started from a snapshot: {@code hit}, {@code miss}, or {@code unknown} if it failed first.
         */
        SNAPSHOT("snapshot"),
        /** The projector handler's kind: {@code once}, {@code on}, {@code all}, {@code batch}. */
        HANDLER("handler"),
        /** The durable subscription's name. */
        SUBSCRIPTION("subscription"),
        /** Always {@code runestone}: OpenTelemetry's {@code messaging.system}. */
        MESSAGING_SYSTEM("messaging.system"),
        /** {@code send} for an append, {@code process} for a handled event: OpenTelemetry's operation type. */
        MESSAGING_OPERATION_TYPE("messaging.operation.type");

        private final String key;

        LowCardinalityKeys(String key) {
            this.key = key;
        }

        @Override
        public String asString() {
            return key;
        }
    }

    /** Key values with unbounded values: span attributes only, never meter tags. */
    public enum HighCardinalityKeys implements KeyName {
        /** The event's stream id, or the first stream's of an append to several. */
        STREAM("messaging.destination.name"),
        /** The event's id; for an append, when it holds one event. */
        EVENT_ID("messaging.message.id"),
        /** How many events an append or a batch handler holds. */
        EVENT_COUNT("messaging.batch.message_count"),
        /** The event's position in the log. */
        POSITION("runestone.position"),
        /** How the event reached the handler: {@code live}, {@code hydrated}, {@code outdated}. */
        STATUS("runestone.status"),
        /** Which attempt at the event this is, from 1. */
        ATTEMPT("runestone.attempt"),
        /** The stream id or relation key a reduce folds. */
        TARGET("runestone.target"),
        /** A batch handler's batch key. */
        BATCH_KEY("runestone.batch.key");

        private final String key;

        HighCardinalityKeys(String key) {
            this.key = key;
        }

        @Override
        public String asString() {
            return key;
        }
    }
}
