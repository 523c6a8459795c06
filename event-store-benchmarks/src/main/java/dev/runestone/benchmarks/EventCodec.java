package dev.runestone.benchmarks;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.runestone.EventRecord;
import dev.runestone.clock.HlcTimestamp;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.UUID;

/**
 * How the plain-JDBC baselines turn events into JSON and rows back into records, written the way an application
 * would by hand: one Jackson writer per part, a {@code switch} on the type string, and the records' constructors.
 * It writes the same JSON as Runestone (the same Jackson settings), so both sides store and read identical rows.
 */
final class EventCodec {

    static final String CREATED = "user:created";
    static final String EMAIL_SET = "user:email-set";

    /** Runestone's settings for events: dates as ISO-8601 strings, decimals exact, unknown properties refused. */
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();
    private static final ObjectWriter WRITER = MAPPER.writer();
    private static final ObjectReader CREATED_DATA = MAPPER.readerFor(UserEvent.UserCreated.Data.class);
    private static final ObjectReader META = MAPPER.readerFor(UserEvent.Meta.class);
    private static final ObjectReader STRING = MAPPER.readerFor(String.class);
    private static final ObjectReader STATE = MAPPER.readerFor(UserState.class);
    private static final String SNAPSHOT_FINGERPRINT = UserState.REDUCER.stateFingerprint();

    private EventCodec() {
    }

    static String type(UserEvent event) {
        return switch (event) {
            case UserEvent.UserCreated created -> CREATED;
            case UserEvent.UserEmailSet set -> EMAIL_SET;
        };
    }

    static String data(UserEvent event) {
        return json(switch (event) {
            case UserEvent.UserCreated created -> created.data();
            case UserEvent.UserEmailSet set -> set.data();
        });
    }

    static String meta(UserEvent event) {
        return json(switch (event) {
            case UserEvent.UserCreated created -> created.meta();
            case UserEvent.UserEmailSet set -> set.meta();
        });
    }

    static UserEvent event(String type, String data, String meta) {
        try {
            return switch (type) {
                case CREATED -> new UserEvent.UserCreated(CREATED_DATA.readValue(data), META.readValue(meta));
                case EMAIL_SET -> new UserEvent.UserEmailSet(STRING.readValue(data), META.readValue(meta));
                default -> throw new IllegalStateException("Unknown event type " + type);
            };
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A full record, as a hand-written row mapper would make it. */
    static EventRecord<UserEvent> record(String id, String stream, String type, String data, String meta,
            String created, Instant recorded, long version, long position) {
        return record(UUID.fromString(id), stream, type, data, meta, created, recorded, version, position);
    }

    static EventRecord<UserEvent> record(UUID id, String stream, String type, String data, String meta,
            String created, Instant recorded, long version, long position) {
        return new EventRecord<>(id, stream, type, event(type, data, meta), HlcTimestamp.parse(created), recorded,
                version, position);
    }

    /**
     * The state a snapshot row keeps, {@code {"fingerprint": …, "state": …}}, checked against the reducer's
     * fingerprint first as Runestone does, so both sides do the same work.
     */
    static UserState state(String json) {
        try (JsonParser parser = MAPPER.createParser(json)) {
            if (parser.nextToken() != JsonToken.START_OBJECT || !"fingerprint".equals(parser.nextFieldName())
                    || !SNAPSHOT_FINGERPRINT.equals(parser.nextTextValue())
                    || !"state".equals(parser.nextFieldName())) {
                throw new IllegalStateException("The snapshot is not of this state's shape: " + json);
            }
            parser.nextToken();
            return STATE.readValue(parser);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String json(Object value) {
        try {
            return WRITER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
