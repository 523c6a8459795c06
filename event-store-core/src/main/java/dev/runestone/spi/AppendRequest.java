package dev.runestone.spi;

import dev.runestone.ExpectedVersion;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A batch of events to write in one transaction; see {@link EventStorage#append(AppendRequest)}.
 *
 * @param events       the events in the order they are to be stored; ids are distinct
 * @param expectations the expected version of each stream that has one; streams not named accept any version
 * @param recorded     the time to store as every event's {@code recorded}, in whole microseconds; adapters store it
 *                     exactly and return it unchanged
 */
public record AppendRequest(List<NewEvent> events, Map<String, ExpectedVersion> expectations, Instant recorded) {

    public AppendRequest {
        events = List.copyOf(events);
        expectations = Map.copyOf(expectations);
        Objects.requireNonNull(recorded, "recorded");
    }
}
