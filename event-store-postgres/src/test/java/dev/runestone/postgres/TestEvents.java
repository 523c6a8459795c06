package dev.runestone.postgres;

import dev.runestone.ExpectedVersion;
import dev.runestone.spi.AppendRequest;
import dev.runestone.spi.NewEvent;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Builds the rows the adapter tests append. */
final class TestEvents {

    /** A recorded time with nanoseconds, which PostgreSQL keeps to the microsecond. */
    static final Instant RECORDED = Instant.parse("2025-03-04T05:06:07.123456789Z");

    private TestEvents() {
    }

    /** An event with a fresh id, some JSON data and no meta. */
    static NewEvent event(String stream, String type, String created) {
        return new NewEvent(UUID.randomUUID(), stream, type, "{\"value\":42}", null, created);
    }

    /** An event of type {@code t} with a fresh id, created at {@code created(n)}. */
    static NewEvent event(String stream, int n) {
        return event(stream, "t", created(n));
    }

    /** The {@code n}th {@code created} value: sortable text, as the hybrid logical clock makes. */
    static String created(int n) {
        return String.format("2025-01-01T00:00:00.000Z-%06d", n);
    }

    static AppendRequest request(NewEvent... events) {
        return new AppendRequest(List.of(events), Map.of(), RECORDED);
    }

    static AppendRequest request(List<NewEvent> events) {
        return new AppendRequest(events, Map.of(), RECORDED);
    }

    static AppendRequest request(Map<String, ExpectedVersion> expectations, NewEvent... events) {
        return new AppendRequest(List.of(events), expectations, RECORDED);
    }
}
