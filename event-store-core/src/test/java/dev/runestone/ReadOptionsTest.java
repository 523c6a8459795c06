package dev.runestone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import dev.runestone.clock.HlcTimestamp;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ReadOptionsTest {

    record Opened(String data) {
    }

    record Closed(String data) {
    }

    private static final HlcTimestamp CURSOR = new HlcTimestamp(1_000, 7);

    @Test
    void defaults_read_every_type_from_the_start_oldest_first_without_a_limit() {
        ReadOptions defaults = ReadOptions.defaults();

        assertThat(defaults.types()).isEmpty();
        assertThat(defaults.cursor()).isNull();
        assertThat(defaults.direction()).isEqualTo(Direction.ASCENDING);
        assertThat(defaults.limit()).isEqualTo(Integer.MAX_VALUE);
    }

    @Test
    void each_setting_returns_new_options_and_leaves_the_old_ones_alone() {
        ReadOptions defaults = ReadOptions.defaults();

        ReadOptions narrowed = defaults.types(Opened.class).after(CURSOR).descending().limit(5);

        assertThat(narrowed).isEqualTo(new ReadOptions(Set.of(Opened.class), CURSOR, Direction.DESCENDING, 5));
        assertThat(defaults).isEqualTo(new ReadOptions(Set.of(), null, Direction.ASCENDING, Integer.MAX_VALUE));
    }

    @Test
    void keeps_the_other_settings_when_one_changes() {
        ReadOptions options = ReadOptions.defaults().descending().limit(3).after(CURSOR);

        ReadOptions retyped = options.types(Opened.class, Closed.class);

        assertThat(retyped.types()).containsExactlyInAnyOrder(Opened.class, Closed.class);
        assertThat(retyped.cursor()).isEqualTo(CURSOR);
        assertThat(retyped.direction()).isEqualTo(Direction.DESCENDING);
        assertThat(retyped.limit()).isEqualTo(3);
    }

    @Test
    void accepts_a_type_named_twice() {
        assertThat(ReadOptions.defaults().types(Opened.class, Opened.class).types()).containsExactly(Opened.class);
    }

    @Test
    void copies_the_set_of_types_it_is_given() {
        Set<Class<?>> types = new HashSet<>(Set.of(Opened.class));
        ReadOptions options = new ReadOptions(types, null, Direction.ASCENDING, 10);

        types.add(Closed.class);

        assertThat(options.types()).containsExactly(Opened.class);
    }

    @Test
    void rejects_a_limit_below_one() {
        assertThatIllegalArgumentException().isThrownBy(() -> ReadOptions.defaults().limit(0))
                .withMessageContaining("limit").withMessageContaining("0");
        assertThatIllegalArgumentException().isThrownBy(() -> ReadOptions.defaults().limit(-5))
                .withMessageContaining("-5");
    }

    @Test
    void accepts_a_limit_of_one() {
        assertThat(ReadOptions.defaults().limit(1).limit()).isEqualTo(1);
    }

    @Test
    void rejects_missing_values() {
        assertThatNullPointerException().isThrownBy(() -> ReadOptions.defaults().after(null)).withMessage("cursor");
        assertThatNullPointerException()
                .isThrownBy(() -> new ReadOptions(Set.of(), null, null, 1)).withMessage("direction");
        assertThatNullPointerException().isThrownBy(() -> new ReadOptions(null, null, Direction.ASCENDING, 1));
        assertThatNullPointerException().isThrownBy(() -> ReadOptions.defaults().types(Opened.class, null));
    }
}
