package dev.runestone.clock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Random;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class HlcTimestampTest {

    private static final int SAMPLES = 20_000;

    /** Seeded, so a failure reproduces; the seed is arbitrary. */
    private final Random random = new Random(0x5EED_2026L);

    @Nested
    class String_form {

        @Test
        void is_the_iso_instant_in_milliseconds_then_a_six_digit_counter() {
            long time = Instant.parse("2026-11-26T05:35:58.123Z").toEpochMilli();

            assertThat(new HlcTimestamp(time, 2)).hasToString("2026-11-26T05:35:58.123Z-000002");
        }

        @Test
        void pads_every_field_at_the_smallest_values() {
            assertThat(new HlcTimestamp(0, 0)).hasToString("1970-01-01T00:00:00.000Z-000000");
        }

        @Test
        void holds_the_largest_values() {
            assertThat(new HlcTimestamp(HlcTimestamp.MAX_TIME, HlcTimestamp.MAX_LOGICAL))
                    .hasToString("9999-12-31T23:59:59.999Z-999999");
        }

        @Test
        void writes_the_wall_time_as_iso_8601_in_utc_with_milliseconds_then_the_counter() {
            DateTimeFormatter iso = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'")
                    .withZone(ZoneOffset.UTC);
            for (int i = 0; i < SAMPLES; i++) {
                HlcTimestamp timestamp = randomTimestamp();

                assertThat(timestamp.toString()).isEqualTo(iso.format(Instant.ofEpochMilli(timestamp.time()))
                        + String.format("-%06d", timestamp.logical()));
            }
        }

        @Test
        void has_the_same_width_for_every_timestamp() {
            for (int i = 0; i < SAMPLES; i++) {
                HlcTimestamp timestamp = randomTimestamp();

                assertThat(timestamp.toString()).as("%s", timestamp).hasSize(31);
            }
        }

        @Test
        void sorts_as_text_exactly_as_compare_to_orders() {
            for (int i = 0; i < SAMPLES; i++) {
                HlcTimestamp a = randomTimestamp();
                HlcTimestamp b = random.nextInt(4) == 0 ? sameTimeAs(a) : randomTimestamp();

                assertThat(Integer.signum(a.toString().compareTo(b.toString())))
                        .as("%s vs %s (time %d vs %d, logical %d vs %d)", a, b, a.time(), b.time(), a.logical(),
                                b.logical())
                        .isEqualTo(Integer.signum(a.compareTo(b)));
            }
        }

        @Test
        void sorts_a_later_millisecond_after_an_earlier_one_with_a_bigger_counter() {
            HlcTimestamp earlier = new HlcTimestamp(999, HlcTimestamp.MAX_LOGICAL);
            HlcTimestamp later = new HlcTimestamp(1_000, 0);

            assertThat(earlier).isLessThan(later);
            assertThat(earlier.toString()).isLessThan(later.toString());
        }

        @Test
        void sorts_counters_of_different_digit_counts_numerically() {
            HlcTimestamp nine = new HlcTimestamp(5, 9);
            HlcTimestamp ten = new HlcTimestamp(5, 10);

            assertThat(nine).isLessThan(ten);
            assertThat(nine.toString()).isLessThan(ten.toString());
        }
    }

    @Nested
    class Parse {

        @Test
        void reads_back_what_to_string_wrote() {
            for (int i = 0; i < SAMPLES; i++) {
                HlcTimestamp timestamp = randomTimestamp();

                assertThat(HlcTimestamp.parse(timestamp.toString())).isEqualTo(timestamp);
            }
        }

        @Test
        void reads_the_documented_example() {
            HlcTimestamp parsed = HlcTimestamp.parse("2026-11-26T05:35:58.123Z-000002");

            assertThat(parsed.instant()).isEqualTo(Instant.parse("2026-11-26T05:35:58.123Z"));
            assertThat(parsed.logical()).isEqualTo(2);
        }

        @ParameterizedTest
        @ValueSource(strings = {
                "",
                "not a timestamp",
                "2026-11-26T05:35:58.123Z",
                "2026-11-26T05:35:58.123Z-00002",
                "2026-11-26T05:35:58.123Z-0000002",
                "2026-11-26T05:35:58.123Z_000002",
                "2026-11-26 05:35:58.123Z-000002",
                "2026-11-26T05:35:58.123+00000002",
                "2026-13-26T05:35:58.123Z-000002",
                "2026-11-32T05:35:58.123Z-000002",
                "2026-02-30T05:35:58.123Z-000002",
                "2026-11-26T24:00:00.000Z-000000",
                "2026-11-26T05:60:58.123Z-000002",
                "2026-11-26T05:35:58.123Z-00000a",
                "2026-11-26T05:35:58.123Z--00001",
                "2026-11-26T05:35:58.123Z-+00001",
                "2026-11-26T05:35:58.123Z- 00001",
                "+999-11-26T05:35:58.123Z-000002",
                "1969-12-31T23:59:59.999Z-000000",
                "2026-11-26T05:35:58.123z-000002",
        })
        void rejects_malformed_text(String text) {
            assertThatIllegalArgumentException().isThrownBy(() -> HlcTimestamp.parse(text))
                    .withMessageContaining("'" + text + "'");
        }
    }

    @Nested
    class Construction {

        @Test
        void accepts_the_bounds_of_both_fields() {
            HlcTimestamp smallest = new HlcTimestamp(0, 0);
            HlcTimestamp largest = new HlcTimestamp(HlcTimestamp.MAX_TIME, HlcTimestamp.MAX_LOGICAL);

            assertThat(smallest).isLessThan(largest);
            assertThat(largest.instant()).isEqualTo(Instant.parse("9999-12-31T23:59:59.999Z"));
        }

        @Test
        void rejects_a_negative_time() {
            assertThatIllegalArgumentException().isThrownBy(() -> new HlcTimestamp(-1, 0))
                    .withMessageContaining("time").withMessageContaining("-1");
        }

        @Test
        void rejects_a_time_past_the_end_of_year_9999() {
            assertThatIllegalArgumentException().isThrownBy(() -> new HlcTimestamp(HlcTimestamp.MAX_TIME + 1, 0))
                    .withMessageContaining("time");
        }

        @Test
        void rejects_a_negative_counter() {
            assertThatIllegalArgumentException().isThrownBy(() -> new HlcTimestamp(0, -1))
                    .withMessageContaining("logical");
        }

        @Test
        void rejects_a_counter_wider_than_six_digits() {
            assertThatIllegalArgumentException().isThrownBy(() -> new HlcTimestamp(0, HlcTimestamp.MAX_LOGICAL + 1))
                    .withMessageContaining("logical");
        }
    }

    @Nested
    class Ordering {

        @Test
        void orders_by_time_then_by_counter() {
            HlcTimestamp a = new HlcTimestamp(10, 5);
            HlcTimestamp b = new HlcTimestamp(10, 6);
            HlcTimestamp c = new HlcTimestamp(11, 0);

            assertThat(a).isLessThan(b).isLessThan(c);
            assertThat(b.isAfter(a)).isTrue();
            assertThat(a.isAfter(b)).isFalse();
            assertThat(a.isAfter(a)).isFalse();
        }

        @Test
        void is_consistent_with_equals() {
            for (int i = 0; i < SAMPLES; i++) {
                HlcTimestamp a = randomTimestamp();
                HlcTimestamp b = random.nextBoolean() ? new HlcTimestamp(a.time(), a.logical()) : randomTimestamp();

                assertThat(a.compareTo(b) == 0).isEqualTo(a.equals(b));
            }
        }
    }

    /** Times and counters spread over every digit count, plus the bounds, so text order is tested where it could break. */
    private HlcTimestamp randomTimestamp() {
        long time = switch (random.nextInt(4)) {
            case 0 -> Math.floorMod(random.nextLong(), HlcTimestamp.MAX_TIME + 1);
            case 1 -> Math.min(HlcTimestamp.MAX_TIME, (long) Math.pow(10, random.nextInt(16)) - random.nextInt(2));
            case 2 -> random.nextBoolean() ? random.nextInt(1_000) : HlcTimestamp.MAX_TIME - random.nextInt(1_000);
            default -> Math.floorMod(random.nextLong(), (long) Math.pow(10, 1 + random.nextInt(14)));
        };
        return new HlcTimestamp(time, randomLogical());
    }

    private HlcTimestamp sameTimeAs(HlcTimestamp other) {
        return new HlcTimestamp(other.time(), randomLogical());
    }

    private int randomLogical() {
        return switch (random.nextInt(3)) {
            case 0 -> random.nextInt(HlcTimestamp.MAX_LOGICAL + 1);
            case 1 -> random.nextInt((int) Math.pow(10, random.nextInt(7)));
            default -> random.nextBoolean() ? 0 : HlcTimestamp.MAX_LOGICAL;
        };
    }
}
