package dev.runestone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ExpectedVersionTest {

    @Nested
    class Any {

        @Test
        void matches_every_version() {
            ExpectedVersion any = ExpectedVersion.any();

            assertThat(any.matches(0)).isTrue();
            assertThat(any.matches(1)).isTrue();
            assertThat(any.matches(Long.MAX_VALUE)).isTrue();
        }

        @Test
        void reads_as_any() {
            assertThat(ExpectedVersion.any()).hasToString("any").isSameAs(ExpectedVersion.Any.INSTANCE);
        }
    }

    @Nested
    class No_stream {

        @Test
        void matches_only_a_stream_without_events() {
            ExpectedVersion noStream = ExpectedVersion.noStream();

            assertThat(noStream.matches(0)).isTrue();
            assertThat(noStream.matches(1)).isFalse();
        }

        @Test
        void is_the_same_as_exactly_zero() {
            assertThat(ExpectedVersion.noStream()).isEqualTo(ExpectedVersion.exactly(0)).hasToString("no stream");
        }
    }

    @Nested
    class Exactly {

        @Test
        void matches_only_its_version() {
            ExpectedVersion three = ExpectedVersion.exactly(3);

            assertThat(three.matches(3)).isTrue();
            assertThat(three.matches(2)).isFalse();
            assertThat(three.matches(4)).isFalse();
            assertThat(three.matches(0)).isFalse();
        }

        @Test
        void reads_as_the_version_number() {
            assertThat(ExpectedVersion.exactly(42)).hasToString("42");
        }

        @Test
        void rejects_a_negative_version() {
            assertThatIllegalArgumentException().isThrownBy(() -> ExpectedVersion.exactly(-1))
                    .withMessageContaining("-1");
        }
    }
}
