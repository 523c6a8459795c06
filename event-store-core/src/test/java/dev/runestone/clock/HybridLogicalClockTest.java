package dev.runestone.clock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runestone.RunestoneException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class HybridLogicalClockTest {

    private static final long T = Instant.parse("2026-11-26T05:35:58.123Z").toEpochMilli();

    private final ManualTime wall = new ManualTime(T);

    private HybridLogicalClock.Builder clock() {
        return HybridLogicalClock.builder().timeSource(wall);
    }

    @Nested
    class Now {

        @Test
        void is_strictly_increasing_while_the_wall_clock_advances_stalls_and_steps_back() {
            HybridLogicalClock clock = clock().build();
            Random random = new Random(42);
            HlcTimestamp previous = clock.last();

            for (int i = 0; i < 10_000; i++) {
                wall.advance(random.nextInt(7) - 3);
                HlcTimestamp next = clock.now();

                assertThat(next).isGreaterThan(previous);
                assertThat(next.toString()).isGreaterThan(previous.toString());
                previous = next;
            }
        }

        @Test
        void is_later_than_every_timestamp_handed_out_so_far_as_last_reports_it() {
            HybridLogicalClock clock = clock().build();

            HlcTimestamp stamped = clock.now();

            assertThat(clock.last()).isEqualTo(stamped);
            assertThat(clock.now()).isGreaterThan(stamped);
        }

        @Test
        void follows_the_wall_clock_when_it_is_ahead() {
            HybridLogicalClock clock = clock().build();
            wall.advance(250);

            HlcTimestamp stamped = clock.now();

            assertThat(stamped).isEqualTo(new HlcTimestamp(T + 250, 0));
            assertThat(stamped.instant()).isEqualTo(Instant.ofEpochMilli(T + 250));
        }

        @Test
        void counts_logically_on_the_last_time_while_the_wall_clock_stalls() {
            HybridLogicalClock clock = clock().build();

            HlcTimestamp first = clock.now();
            HlcTimestamp second = clock.now();
            HlcTimestamp third = clock.now();

            assertThat(first.time()).isEqualTo(T);
            assertThat(second).isEqualTo(new HlcTimestamp(T, first.logical() + 1));
            assertThat(third).isEqualTo(new HlcTimestamp(T, first.logical() + 2));
        }

        @Test
        void counts_logically_on_the_last_time_when_the_wall_clock_steps_back() {
            HybridLogicalClock clock = clock().build();
            wall.set(T + 100);
            HlcTimestamp ahead = clock.now();
            wall.set(T);

            HlcTimestamp afterStepBack = clock.now();

            assertThat(ahead).isEqualTo(new HlcTimestamp(T + 100, 0));
            assertThat(afterStepBack).isEqualTo(new HlcTimestamp(T + 100, 1));
        }

        @Test
        void resets_the_logical_counter_to_zero_when_wall_time_advances() {
            HybridLogicalClock clock = clock().build();
            clock.now();
            clock.now();
            HlcTimestamp counted = clock.now();
            wall.advance(1);

            HlcTimestamp next = clock.now();

            assertThat(counted.logical()).isPositive();
            assertThat(next).isEqualTo(new HlcTimestamp(T + 1, 0));
        }

        @Test
        void rolls_a_full_logical_counter_over_to_the_next_millisecond() {
            HybridLogicalClock clock = clock().last(new HlcTimestamp(T, HlcTimestamp.MAX_LOGICAL)).build();

            HlcTimestamp rolled = clock.now();
            HlcTimestamp next = clock.now();

            assertThat(rolled).isEqualTo(new HlcTimestamp(T + 1, 0));
            assertThat(next).isEqualTo(new HlcTimestamp(T + 1, 1));
        }

        @Test
        void hands_out_distinct_increasing_timestamps_to_many_threads_at_once() throws Exception {
            HybridLogicalClock clock = clock().build();
            int threads = 8;
            int perThread = 5_000;
            CountDownLatch start = new CountDownLatch(1);
            List<Future<List<HlcTimestamp>>> results = new ArrayList<>();

            try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
                for (int t = 0; t < threads; t++) {
                    Callable<List<HlcTimestamp>> stamping = () -> {
                        start.await();
                        List<HlcTimestamp> stamps = new ArrayList<>(perThread);
                        for (int i = 0; i < perThread; i++) {
                            if (i % 100 == 0) {
                                wall.advance(1);
                            }
                            stamps.add(clock.now());
                        }
                        return stamps;
                    };
                    results.add(pool.submit(stamping));
                }
                start.countDown();

                Set<HlcTimestamp> all = new HashSet<>();
                for (Future<List<HlcTimestamp>> result : results) {
                    List<HlcTimestamp> stamps = result.get(10, TimeUnit.SECONDS);
                    assertThat(stamps).isSorted().doesNotHaveDuplicates();
                    all.addAll(stamps);
                }
                assertThat(all).hasSize(threads * perThread);
            }
        }
    }

    @Nested
    class Update {

        @Test
        void returns_a_timestamp_after_a_remote_one_ahead_of_the_wall_clock() {
            HybridLogicalClock clock = clock().build();
            HlcTimestamp remote = new HlcTimestamp(T + 500, 7);

            HlcTimestamp merged = clock.update(remote);

            assertThat(merged).isEqualTo(new HlcTimestamp(T + 500, 8));
            assertThat(clock.last()).isEqualTo(merged);
        }

        @Test
        void makes_later_local_timestamps_order_after_the_remote_one() {
            HybridLogicalClock clock = clock().build();
            HlcTimestamp remote = new HlcTimestamp(T + 500, 7);
            clock.update(remote);

            HlcTimestamp local = clock.now();

            assertThat(local).isGreaterThan(remote).isEqualTo(new HlcTimestamp(T + 500, 9));
        }

        @Test
        void stays_after_its_own_last_timestamp_when_the_remote_one_is_older() {
            HybridLogicalClock clock = clock().build();
            wall.set(T + 100);
            HlcTimestamp local = clock.now();
            wall.set(T + 50);

            HlcTimestamp merged = clock.update(new HlcTimestamp(T + 10, 999));

            assertThat(merged).isEqualTo(new HlcTimestamp(local.time(), local.logical() + 1));
        }

        @Test
        void follows_the_wall_clock_when_both_timestamps_are_behind_it() {
            HybridLogicalClock clock = clock().build();
            wall.set(T + 10);

            HlcTimestamp merged = clock.update(new HlcTimestamp(T + 5, 42));

            assertThat(merged).isEqualTo(new HlcTimestamp(T + 10, 0));
        }

        @Test
        void rejects_a_null_remote_timestamp() {
            HybridLogicalClock clock = clock().build();

            assertThatNullPointerException().isThrownBy(() -> clock.update(null)).withMessage("remote");
        }
    }

    @Nested
    class Tolerated_forward_jump {

        @Test
        void refuses_a_wall_clock_that_leaps_further_ahead_than_tolerated() {
            HybridLogicalClock clock = clock().toleratedForwardJump(Duration.ofMillis(100)).build();
            HlcTimestamp before = clock.now();
            wall.advance(101);

            assertThatThrownBy(clock::now)
                    .isExactlyInstanceOf(ClockForwardJumpException.class)
                    .hasMessageContaining("101 ms")
                    .hasMessageContaining("100 ms");
            assertThat(clock.last()).isEqualTo(before);
        }

        @Test
        void refuses_the_leap_in_update_as_well() {
            HybridLogicalClock clock = clock().toleratedForwardJump(Duration.ofMillis(100)).build();
            HlcTimestamp before = clock.now();
            wall.advance(1_000);

            assertThatThrownBy(() -> clock.update(new HlcTimestamp(T + 1, 0)))
                    .isExactlyInstanceOf(ClockForwardJumpException.class);
            assertThat(clock.last()).isEqualTo(before);
        }

        @Test
        void accepts_a_leap_of_exactly_the_tolerated_size() {
            HybridLogicalClock clock = clock().toleratedForwardJump(Duration.ofMillis(100)).build();
            clock.now();
            wall.advance(100);

            assertThat(clock.now()).isEqualTo(new HlcTimestamp(T + 100, 0));
        }

        @Test
        void hands_out_timestamps_again_once_the_wall_clock_is_back_within_tolerance() {
            HybridLogicalClock clock = clock().toleratedForwardJump(Duration.ofMillis(100)).build();
            HlcTimestamp before = clock.now();
            wall.advance(5_000);
            assertThatThrownBy(clock::now).isInstanceOf(ClockForwardJumpException.class);
            wall.set(T + 60);

            assertThat(clock.now()).isEqualTo(new HlcTimestamp(T + 60, 0)).isGreaterThan(before);
        }

        @Test
        void is_off_when_set_to_zero() {
            HybridLogicalClock clock = clock().toleratedForwardJump(Duration.ZERO).build();
            clock.now();
            wall.advance(Duration.ofDays(365).toMillis());

            assertThat(clock.now()).isEqualTo(new HlcTimestamp(T + Duration.ofDays(365).toMillis(), 0));
        }
    }

    @Nested
    class Max_offset {

        @Test
        void refuses_a_remote_timestamp_further_ahead_of_the_wall_clock_than_allowed() {
            HybridLogicalClock clock = clock().maxOffset(Duration.ofSeconds(1)).build();
            HlcTimestamp before = clock.now();

            assertThatThrownBy(() -> clock.update(new HlcTimestamp(T + 1_001, 0)))
                    .isExactlyInstanceOf(ClockOffsetException.class)
                    .hasMessageContaining("1001 ms")
                    .hasMessageContaining("1000 ms");
            assertThat(clock.last()).isEqualTo(before);
        }

        @Test
        void accepts_a_remote_timestamp_exactly_the_allowed_offset_ahead() {
            HybridLogicalClock clock = clock().maxOffset(Duration.ofSeconds(1)).build();

            HlcTimestamp merged = clock.update(new HlcTimestamp(T + 1_000, 3));

            assertThat(merged).isEqualTo(new HlcTimestamp(T + 1_000, 4));
        }

        @Test
        void refuses_to_stamp_when_the_last_timestamp_runs_too_far_ahead_of_a_wall_clock_that_stepped_back() {
            HybridLogicalClock clock = clock().maxOffset(Duration.ofSeconds(1)).build();
            HlcTimestamp merged = clock.update(new HlcTimestamp(T + 900, 0));
            wall.set(T - 200);

            assertThatThrownBy(clock::now)
                    .isExactlyInstanceOf(ClockOffsetException.class)
                    .hasMessageContaining("1100 ms");
            assertThat(clock.last()).isEqualTo(merged);
        }

        @Test
        void refuses_to_stamp_after_a_restart_from_a_last_timestamp_too_far_ahead() {
            HlcTimestamp persisted = new HlcTimestamp(T + 5_000, 0);
            HybridLogicalClock clock = clock().maxOffset(Duration.ofSeconds(1)).last(persisted).build();

            assertThatThrownBy(clock::now).isExactlyInstanceOf(ClockOffsetException.class);
            assertThat(clock.last()).isEqualTo(persisted);
        }

        @Test
        void is_off_when_set_to_zero() {
            HybridLogicalClock clock = clock().maxOffset(Duration.ZERO).build();
            HlcTimestamp remote = new HlcTimestamp(T + Duration.ofDays(30).toMillis(), 0);

            assertThat(clock.update(remote)).isEqualTo(new HlcTimestamp(remote.time(), 1));
        }
    }

    @Nested
    class Wall_time_upper_bound {

        @Test
        void refuses_a_timestamp_at_the_bound() {
            HybridLogicalClock clock = clock().wallTimeUpperBound(T + 10).build();
            HlcTimestamp before = clock.now();
            wall.set(T + 10);

            assertThatThrownBy(clock::now)
                    .isExactlyInstanceOf(WallTimeOverflowException.class)
                    .hasMessageContaining(Long.toString(T + 10));
            assertThat(clock.last()).isEqualTo(before);
        }

        @Test
        void hands_out_timestamps_just_below_the_bound() {
            HybridLogicalClock clock = clock().wallTimeUpperBound(T + 10).build();
            wall.set(T + 9);

            assertThat(clock.now()).isEqualTo(new HlcTimestamp(T + 9, 0));
        }

        @Test
        void refuses_a_logical_rollover_that_would_reach_the_bound() {
            HlcTimestamp full = new HlcTimestamp(T + 9, HlcTimestamp.MAX_LOGICAL);
            HybridLogicalClock clock = clock().wallTimeUpperBound(T + 10).last(full).build();
            wall.set(T + 9);

            assertThatThrownBy(clock::now).isExactlyInstanceOf(WallTimeOverflowException.class);
            assertThat(clock.last()).isEqualTo(full);
        }

        @Test
        void refuses_a_remote_timestamp_at_the_bound() {
            HybridLogicalClock clock = clock().wallTimeUpperBound(T + 10).build();
            HlcTimestamp before = clock.now();

            assertThatThrownBy(() -> clock.update(new HlcTimestamp(T + 10, 0)))
                    .isExactlyInstanceOf(WallTimeOverflowException.class);
            assertThat(clock.last()).isEqualTo(before);
        }

        @Test
        void is_off_when_set_to_zero() {
            HybridLogicalClock clock = clock().wallTimeUpperBound(0).build();
            wall.advance(Duration.ofDays(3650).toMillis());

            assertThat(clock.now().time()).isEqualTo(T + Duration.ofDays(3650).toMillis());
        }

        @Test
        void refuses_to_go_past_the_largest_time_the_string_form_can_hold_even_when_off() {
            HlcTimestamp full = new HlcTimestamp(HlcTimestamp.MAX_TIME, HlcTimestamp.MAX_LOGICAL);
            HybridLogicalClock clock = clock().last(full).build();

            assertThatThrownBy(clock::now).isExactlyInstanceOf(WallTimeOverflowException.class);
            assertThat(clock.last()).isEqualTo(full);
        }

        @Test
        void refuses_a_remote_timestamp_with_a_full_counter_at_the_largest_time() {
            HybridLogicalClock clock = clock().build();
            HlcTimestamp before = clock.now();

            assertThatThrownBy(() -> clock.update(new HlcTimestamp(HlcTimestamp.MAX_TIME, HlcTimestamp.MAX_LOGICAL)))
                    .isExactlyInstanceOf(WallTimeOverflowException.class);
            assertThat(clock.last()).isEqualTo(before);
        }
    }

    @Nested
    class Configuration {

        @Test
        void starts_after_the_given_last_timestamp_when_it_is_ahead_of_the_wall_clock() {
            HlcTimestamp persisted = new HlcTimestamp(T + 1_000, 5);
            HybridLogicalClock clock = clock().last(persisted).build();

            assertThat(clock.last()).isEqualTo(persisted);
            assertThat(clock.now()).isEqualTo(new HlcTimestamp(T + 1_000, 6));
        }

        @Test
        void starts_at_the_wall_clock_when_the_given_last_timestamp_is_behind_it() {
            HlcTimestamp persisted = new HlcTimestamp(T - 1_000, 5);
            HybridLogicalClock clock = clock().last(persisted).build();

            assertThat(clock.last()).isEqualTo(new HlcTimestamp(T, 0));
            assertThat(clock.now()).isGreaterThan(persisted).extracting(HlcTimestamp::time).isEqualTo(T);
        }

        @Test
        void rejects_negative_guards() {
            HybridLogicalClock.Builder builder = clock();

            assertThatIllegalArgumentException().isThrownBy(() -> builder.maxOffset(Duration.ofMillis(-1)))
                    .withMessageContaining("maxOffset");
            assertThatIllegalArgumentException().isThrownBy(() -> builder.toleratedForwardJump(Duration.ofMillis(-1)))
                    .withMessageContaining("toleratedForwardJump");
            assertThatIllegalArgumentException().isThrownBy(() -> builder.wallTimeUpperBound(-1))
                    .withMessageContaining("wallTimeUpperBound");
        }

        @Test
        void rejects_null_settings() {
            HybridLogicalClock.Builder builder = clock();

            assertThatNullPointerException().isThrownBy(() -> builder.timeSource(null)).withMessage("time");
            assertThatNullPointerException().isThrownBy(() -> builder.maxOffset(null)).withMessage("maxOffset");
            assertThatNullPointerException().isThrownBy(() -> builder.toleratedForwardJump(null))
                    .withMessage("toleratedForwardJump");
            assertThatNullPointerException().isThrownBy(() -> builder.last(null)).withMessage("last");
        }

        @Test
        void makes_a_system_clock_that_follows_real_time() {
            long before = System.currentTimeMillis();

            HlcTimestamp stamped = HybridLogicalClock.system().now();

            assertThat(stamped.time()).isBetween(before, System.currentTimeMillis());
        }
    }

    @Test
    void every_guard_failure_is_a_clock_exception_and_a_runestone_exception() {
        HybridLogicalClock clock = clock().maxOffset(Duration.ofMillis(1)).build();

        assertThatThrownBy(() -> clock.update(new HlcTimestamp(T + 2, 0)))
                .isInstanceOf(ClockException.class)
                .isInstanceOf(RunestoneException.class);
    }
}
