package dev.runestone.registry;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.StreamWriteConstraints;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DeserializationConfig;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.deser.BeanDeserializerModifier;
import com.fasterxml.jackson.databind.deser.std.DelegatingDeserializer;
import com.fasterxml.jackson.databind.introspect.AnnotatedMember;
import com.fasterxml.jackson.databind.introspect.AnnotatedParameter;
import com.fasterxml.jackson.databind.introspect.JacksonAnnotationIntrospector;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.time.temporal.TemporalAccessor;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * The Jackson configuration events are written and read with: java.time as ISO-8601 strings, floating-point numbers
 * as {@code BigDecimal} so no digit is lost; and reading strictly, as the log demands: within the limits, no coercion
 * between JSON types ({@code 42} is not a string, {@code 1.5} not an integer, a number not a date), no unknown or
 * duplicate properties, nothing after the value, every primitive component present, numbers within reach of their
 * Java type.
 */
final class EventJson {

    private EventJson() {
    }

    /** A mapper held to {@code limits}. */
    static ObjectMapper mapper(EventLimits limits) {
        JsonFactory factory = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(limits.maxNestingDepth())
                        .maxNumberLength(limits.maxNumberLength())
                        .maxNameLength(limits.maxNameLength())
                        .maxStringLength(limits.maxStringLength())
                        .build())
                // The boundary check stops deeper writes itself, with a path; this only must not stop them first.
                .streamWriteConstraints(StreamWriteConstraints.builder()
                        .maxNestingDepth(EventLimits.MOST_NESTING_DEPTH + 1).build())
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .build();
        SimpleModule strict = new SimpleModule("runestone-strict");
        strict.setDeserializerModifier(new StrictScalars(limits));
        ObjectMapper mapper = JsonMapper.builder(factory)
                .addModule(new JavaTimeModule())
                .addModule(strict)
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
                .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .annotationIntrospector(new PrimitivesRequired())
                .build();
        mapper.coercionConfigFor(LogicalType.Textual)
                .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
        return mapper;
    }

    /**
     * A primitive component has no "absent": without this, a missing {@code long} would read as 0 and a missing
     * {@code boolean} as false, and the record's own checks could not tell.
     */
    private static final class PrimitivesRequired extends JacksonAnnotationIntrospector {
        private static final long serialVersionUID = 1L;

        @Override
        public @Nullable Boolean hasRequiredMarker(AnnotatedMember member) {
            if (member instanceof AnnotatedParameter parameter && parameter.getRawType().isPrimitive()) {
                return Boolean.TRUE;
            }
            return super.hasRequiredMarker(member);
        }
    }

    /**
     * Closes what Jackson's coercion settings leave open: dates, times, UUIDs and URIs only from strings (the
     * java.time readers also take numbers and arrays), decimals no longer than the limit written out in full
     * ({@code 1e999999} is short as text), and floating-point numbers that fit a double.
     */
    private static final class StrictScalars extends BeanDeserializerModifier {
        private static final long serialVersionUID = 1L;

        private final EventLimits limits;

        StrictScalars(EventLimits limits) {
            this.limits = limits;
        }

        @Override
        public JsonDeserializer<?> modifyDeserializer(DeserializationConfig config, BeanDescription description,
                JsonDeserializer<?> deserializer) {
            Class<?> type = description.getBeanClass();
            if (TemporalAccessor.class.isAssignableFrom(type) || type == UUID.class || type == URI.class) {
                return new Checked(deserializer, Check.FROM_STRING, limits);
            }
            if (type == BigDecimal.class) {
                return new Checked(deserializer, Check.DECIMAL_LENGTH, limits);
            }
            if (type == double.class || type == Double.class || type == float.class || type == Float.class) {
                return new Checked(deserializer, Check.FLOATING_POINT_RANGE, limits);
            }
            return deserializer;
        }
    }

    private enum Check { FROM_STRING, DECIMAL_LENGTH, FLOATING_POINT_RANGE }

    private static final class Checked extends DelegatingDeserializer {
        private static final long serialVersionUID = 1L;

        private final Check check;
        private final EventLimits limits;

        Checked(JsonDeserializer<?> delegate, Check check, EventLimits limits) {
            super(delegate);
            this.check = check;
            this.limits = limits;
        }

        @Override
        protected JsonDeserializer<?> newDelegatingInstance(JsonDeserializer<?> delegate) {
            return new Checked(delegate, check, limits);
        }

        @Override
        public @Nullable Object deserialize(JsonParser parser, DeserializationContext context) throws IOException {
            JsonToken token = parser.currentToken();
            if (check == Check.FROM_STRING && token != JsonToken.VALUE_STRING && token != JsonToken.VALUE_NULL) {
                throw DecodingErrors.typeMismatch(parser, handledType(), "a string");
            }
            Object value = super.deserialize(parser, context);
            if (check == Check.DECIMAL_LENGTH && value instanceof BigDecimal decimal
                    && Numbers.writtenLength(decimal) > limits.maxNumberLength()) {
                throw DecodingErrors.rule(parser, "maxNumberLength", "is a number of "
                        + Numbers.writtenLength(decimal) + " characters written out in full, more than the limit of "
                        + limits.maxNumberLength());
            }
            if (check == Check.FLOATING_POINT_RANGE && token == JsonToken.VALUE_NUMBER_FLOAT
                    && value instanceof Number number && outOfRange(number.doubleValue(), parser)) {
                throw DecodingErrors.rule(parser, "type", "is " + parser.getText() + ", beyond the range of "
                        + handledType().getSimpleName());
            }
            return value;
        }

        /** Too large becomes infinity, too small becomes zero: either way not the number stored. */
        private static boolean outOfRange(double value, JsonParser parser) throws IOException {
            return Double.isInfinite(value) || (value == 0 && parser.getDecimalValue().signum() != 0);
        }
    }
}
