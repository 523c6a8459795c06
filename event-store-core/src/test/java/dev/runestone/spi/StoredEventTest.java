package dev.runestone.spi;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class StoredEventTest {

    private static final UUID ID = UUID.fromString("0192f0c4-5e9a-7c3b-8d2e-4f5a6b7c8d9e");
    private static final String CREATED = "2026-11-26T05:35:58.123Z-000002";

    private static final NewEvent EVENT =
            new NewEvent(ID, "user-1", "user:created", "{\"name\":\"Ada\"}", "{\"by\":\"admin\"}", CREATED);

    private static StoredEvent stored(NewEvent event) {
        return new StoredEvent(event.id(), event.stream(), event.type(), event.data(), event.meta(), event.created(),
                Instant.parse("2026-11-26T05:36:00Z"), 3, 17);
    }

    @Test
    void is_the_same_event_when_every_field_written_matches() {
        assertThat(stored(EVENT).sameEventAs(EVENT)).isTrue();
    }

    @Test
    void ignores_where_and_when_this_store_recorded_it() {
        StoredEvent elsewhere = new StoredEvent(ID, "user-1", "user:created", EVENT.data(), EVENT.meta(), CREATED,
                Instant.EPOCH, 99, 12_345);

        assertThat(elsewhere.sameEventAs(EVENT)).isTrue();
    }

    @Test
    void is_the_same_event_when_both_lack_data_and_meta() {
        NewEvent bare = new NewEvent(ID, "user-1", "user:deleted", null, null, CREATED);

        assertThat(stored(bare).sameEventAs(bare)).isTrue();
    }

    @Test
    void is_another_event_when_any_field_written_differs() {
        StoredEvent row = stored(EVENT);

        assertThat(row.sameEventAs(new NewEvent(UUID.randomUUID(), "user-1", "user:created", EVENT.data(),
                EVENT.meta(), CREATED))).as("id").isFalse();
        assertThat(row.sameEventAs(new NewEvent(ID, "user-2", "user:created", EVENT.data(), EVENT.meta(), CREATED)))
                .as("stream").isFalse();
        assertThat(row.sameEventAs(new NewEvent(ID, "user-1", "user:renamed", EVENT.data(), EVENT.meta(), CREATED)))
                .as("type").isFalse();
        assertThat(row.sameEventAs(new NewEvent(ID, "user-1", "user:created", "{\"name\":\"Bo\"}", EVENT.meta(),
                CREATED))).as("data").isFalse();
        assertThat(row.sameEventAs(new NewEvent(ID, "user-1", "user:created", EVENT.data(), "{}", CREATED)))
                .as("meta").isFalse();
        assertThat(row.sameEventAs(new NewEvent(ID, "user-1", "user:created", EVENT.data(), EVENT.meta(),
                "2026-11-26T05:35:58.123Z-000003"))).as("created").isFalse();
    }

    @Test
    void is_another_event_when_only_one_side_has_data_or_meta() {
        StoredEvent row = stored(EVENT);

        assertThat(row.sameEventAs(new NewEvent(ID, "user-1", "user:created", null, EVENT.meta(), CREATED)))
                .as("data missing from the new event").isFalse();
        assertThat(row.sameEventAs(new NewEvent(ID, "user-1", "user:created", EVENT.data(), null, CREATED)))
                .as("meta missing from the new event").isFalse();
        NewEvent bare = new NewEvent(ID, "user-1", "user:created", null, null, CREATED);
        assertThat(stored(bare).sameEventAs(EVENT)).as("data and meta missing from the stored row").isFalse();
    }
}
