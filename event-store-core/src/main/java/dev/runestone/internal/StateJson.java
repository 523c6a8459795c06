package dev.runestone.internal;

import com.fasterxml.jackson.annotation.JsonAutoDetect.Visibility;
import com.fasterxml.jackson.annotation.PropertyAccessor;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.UncheckedIOException;

/**
 * JSON for snapshot states. Plain states (records, beans) go through Jackson's usual property rules; aggregates go
 * field by field, since their state lives in fields that rarely have getters, and {@code transient} fields are left
 * out. Everything outside ASCII is written as JSON's hexadecimal escapes, so text the database could not store as it
 * is (a lone surrogate left by cutting a string between the halves of an emoji) reads back unchanged.
 */
public final class StateJson {

    private static final ObjectMapper STATES = Jackson.stateMapper();
    private static final ObjectMapper AGGREGATES = Jackson.stateMapper()
            .setVisibility(PropertyAccessor.ALL, Visibility.NONE)
            .setVisibility(PropertyAccessor.FIELD, Visibility.ANY);

    private StateJson() {
    }

    /** Writes a state as JSON; {@code fieldwise} for aggregates. */
    public static String write(Object state, boolean fieldwise) {
        try {
            return (fieldwise ? AGGREGATES : STATES).writeValueAsString(state);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("Cannot write " + state.getClass().getName() + " as JSON: "
                    + e.getOriginalMessage(), e);
        }
    }

    /** Reads a plain state. */
    public static <S> S read(Class<S> type, String json) {
        try {
            return STATES.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e.getOriginalMessage(), e);
        }
    }

    /** Reads an aggregate's fields into a fresh instance. */
    public static <S> S readInto(S fresh, String json) {
        try {
            return AGGREGATES.readerForUpdating(fresh).readValue(json);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e.getOriginalMessage(), e);
        }
    }
}
