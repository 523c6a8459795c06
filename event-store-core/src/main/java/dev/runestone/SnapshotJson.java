package dev.runestone;

import com.fasterxml.jackson.annotation.JsonAutoDetect.Visibility;
import com.fasterxml.jackson.annotation.PropertyAccessor;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.Optional;

/**
 * JSON for snapshot states. Plain states (records, beans) go through Jackson's usual property rules; aggregates go
 * field by field, since their state lives in fields that rarely have getters, and {@code transient} fields are left
 * out. java.time values are ISO-8601 strings, floating-point numbers {@code BigDecimal}s so no digit is lost, and
 * unknown properties refused, so a state whose class changed shape is an error rather than silently cut.
 * Everything outside ASCII is written as JSON's hexadecimal escapes, so text the database could not store as it is
 * (a lone surrogate left by cutting a string between the halves of an emoji) reads back unchanged. Each snapshot
 * carries its reducer's {@linkplain Reducer#stateFingerprint() state fingerprint}, read before the state.
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

    /**
     * The JSON a snapshot keeps: {@code {"fingerprint": …, "state": …}}, the state written field by field for an
     * aggregate ({@code fieldwise}).
     */
    static String write(Object state, boolean fieldwise, String fingerprint) {
        ObjectMapper mapper = fieldwise ? AGGREGATES : STATES;
        StringWriter json = new StringWriter();
        try (JsonGenerator generator = mapper.getFactory().createGenerator(json)) {
            generator.writeStartObject();
            generator.writeStringField("fingerprint", fingerprint);
            generator.writeFieldName("state");
            mapper.writeValue(generator, state);
            generator.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + state.getClass().getName() + " as JSON: "
                    + e.getMessage(), e);
        }
        return json.toString();
    }

    /**
     * The plain state {@code json} holds, if it was written with {@code fingerprint}; empty for a snapshot of another
     * shape, or one kept before snapshots had fingerprints.
     */
    static <S> Optional<S> read(Class<S> type, String json, String fingerprint) {
        return readState(STATES, json, fingerprint, (mapper, parser) -> mapper.readValue(parser, type));
    }

    /** The aggregate {@code json} holds, read into {@code fresh}, if it was written with {@code fingerprint}. */
    static <S> Optional<S> readInto(S fresh, String json, String fingerprint) {
        return readState(AGGREGATES, json, fingerprint,
                (mapper, parser) -> mapper.readerForUpdating(fresh).readValue(parser));
    }

    @FunctionalInterface
    private interface StateReader<S> {
        S read(ObjectMapper mapper, JsonParser parser) throws IOException;
    }

    /** Reads the fingerprint first, and the state only when it matches: never into a class of another shape. */
    private static <S> Optional<S> readState(ObjectMapper mapper, String json, String fingerprint,
            StateReader<S> reader) {
        try (JsonParser parser = mapper.createParser(json)) {
            if (parser.nextToken() != JsonToken.START_OBJECT || !"fingerprint".equals(parser.nextFieldName())
                    || !fingerprint.equals(parser.nextTextValue()) || !"state".equals(parser.nextFieldName())) {
                return Optional.empty();
            }
            parser.nextToken();
            return Optional.of(reader.read(mapper, parser));
        } catch (IOException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        }
    }
}
