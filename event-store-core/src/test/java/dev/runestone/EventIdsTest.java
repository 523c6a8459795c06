package dev.runestone;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class EventIdsTest {

    private static final long T = Instant.parse("2026-11-26T05:35:58.123Z").toEpochMilli();

    @Test
    void sets_version_7_and_the_ietf_variant() {
        for (int i = 0; i < 1_000; i++) {
            UUID id = EventIds.next();

            assertThat(id.version()).isEqualTo(7);
            assertThat(id.variant()).isEqualTo(2);
            assertThat(id.toString().charAt(14)).isEqualTo('7');
            assertThat(id.toString().charAt(19)).isIn('8', '9', 'a', 'b');
        }
    }

    @Test
    void carries_the_unix_milliseconds_in_its_first_48_bits() {
        UUID id = EventIds.at(T);

        assertThat(id.getMostSignificantBits() >>> 16).isEqualTo(T);
        assertThat(id.toString()).startsWith(String.format("%08x-%04x", T >>> 16, T & 0xFFFF));
    }

    @Test
    void stamps_the_current_time() {
        long before = System.currentTimeMillis();

        UUID id = EventIds.next();

        assertThat(id.getMostSignificantBits() >>> 16).isBetween(before, System.currentTimeMillis());
    }

    @Test
    void sorts_ids_made_in_later_milliseconds_later() {
        List<UUID> ids = new ArrayList<>();
        for (long millis = T; millis < T + 2_000; millis++) {
            ids.add(EventIds.at(millis));
        }

        for (int i = 1; i < ids.size(); i++) {
            UUID earlier = ids.get(i - 1);
            UUID later = ids.get(i);
            assertThat(later).isGreaterThan(earlier);
            assertThat(later.toString()).isGreaterThan(earlier.toString());
            assertThat(later.getMostSignificantBits()).isGreaterThan(earlier.getMostSignificantBits());
        }
    }

    @Test
    void makes_distinct_ids_within_one_millisecond() {
        Set<UUID> ids = new HashSet<>();
        for (int i = 0; i < 100_000; i++) {
            ids.add(EventIds.at(T));
        }

        assertThat(ids).hasSize(100_000);
    }

    @Test
    void makes_distinct_ids_in_quick_succession() {
        Set<UUID> ids = new HashSet<>();
        for (int i = 0; i < 100_000; i++) {
            ids.add(EventIds.next());
        }

        assertThat(ids).hasSize(100_000);
    }
}
