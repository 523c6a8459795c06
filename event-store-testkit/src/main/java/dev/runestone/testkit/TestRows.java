package dev.runestone.testkit;

import dev.runestone.EventOrigin;
import dev.runestone.ExpectedVersion;
import dev.runestone.spi.AppendRequest;
import dev.runestone.spi.NewEvent;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Builds the raw rows {@link StorageAdapterSuite} appends through the SPI. */
final class TestRows {

    /** A recorded time in whole microseconds, as the core sends it: an adapter stores and returns it exactly. */
    static final Instant RECORDED = Instant.parse("2025-03-04T05:06:07.123456Z");

    private TestRows() {
    }

    /**
     * An event with a fresh id, some JSON data and no meta. The JSON is spaced as PostgreSQL prints {@code jsonb},
     * so that an adapter that keeps JSON by value returns the very text it was given.
     */
    static NewEvent event(String stream, String type, String created) {
        return new NewEvent(UUID.randomUUID(), stream, type, "{\"value\": 42}", null, created);
    }

    /** An event of type {@code t} with a fresh id, created at {@code created(n)}. */
    static NewEvent event(String stream, int n) {
        return event(stream, "t", created(n));
    }

    /** Like {@link #event(String, int)}, following version {@code schemaVersion} of its type. */
    static NewEvent versioned(String stream, int n, int schemaVersion) {
        return new NewEvent(UUID.randomUUID(), stream, "t", "{\"value\": 42}", null, created(n), schemaVersion);
    }

    /** {@code event} with another origin. */
    static NewEvent withOrigin(NewEvent event, EventOrigin origin) {
        return new NewEvent(event.id(), event.stream(), event.type(), event.data(), event.meta(), event.created(),
                event.schemaVersion(), origin);
    }

    /** The {@code n}th {@code created} value: sortable text, as the hybrid logical clock makes. */
    static String created(int n) {
        return String.format("2025-01-01T00:00:00.000Z-%06d", n);
    }

    static AppendRequest request(NewEvent... events) {
        return request(List.of(events));
    }

    static AppendRequest request(List<NewEvent> events) {
        return new AppendRequest(events, Map.of(), RECORDED);
    }

    static AppendRequest request(Map<String, ExpectedVersion> expectations, NewEvent... events) {
        return new AppendRequest(List.of(events), expectations, RECORDED);
    }
}
