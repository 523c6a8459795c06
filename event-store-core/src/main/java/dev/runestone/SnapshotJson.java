package dev.runestone;

import com.fasterxml.jackson.annotation.JsonAutoDetect.Visibility;
import com.fasterxml.jackson.annotation.PropertyAccessor;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.UncheckedIOException;

/**
 * JSON for snapshot states. Plain states (records, beans) go through Jackson's usual property rules; aggregates go
 * field by field, since their state lives in fields that rarely have getters, and {@code transient} fields are left
 * out. java.time values are ISO-8601 strings, floating-point numbers {@code BigDecimal}s so no digit is lost, and
 * unknown properties refused, so a state whose class changed shape is an error rather than silently cut.
 * Everything outside ASCII is written as JSON's hexadecimal escapes, so text the database could not store as it is
 * (a lone surrogate left by cutting a string between the halves of an emoji) reads back unchanged.
 */
final class SnapshotJson {

    private static final ObjectMapper STATES = mapper();
    private static final ObjectMapper AGGREGATES = mapper()
            .setVisibility(PropertyAccessor.ALL, Visibility.NONE)
            .setVisibility(PropertyAccessor.FIELD, Visibility.ANY);

    private SnapshotJson() {
    }

    private static ObjectMapper mapper() {
        return JsonMapper.builder()
                .addModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
                .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(JsonWriteFeature.ESCAPE_NON_ASCII)
                .build();
    }

    /** Writes a state as JSON; {@code fieldwise} for aggregates. */
    static String write(Object state, boolean fieldwise) {
        try {
            return (fieldwise ? AGGREGATES : STATES).writeValueAsString(state);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("Cannot write " + state.getClass().getName() + " as JSON: "
                    + e.getOriginalMessage(), e);
        }
    }

    /** Reads a plain state. */
    static <S> S read(Class<S> type, String json) {
        try {
            return STATES.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e.getOriginalMessage(), e);
        }
    }

    /** Reads an aggregate's fields into a fresh instance. */
    static <S> S readInto(S fresh, String json) {
        try {
            return AGGREGATES.readerForUpdating(fresh).readValue(json);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e.getOriginalMessage(), e);
        }
    }
}
