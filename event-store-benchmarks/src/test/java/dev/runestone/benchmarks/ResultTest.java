package dev.runestone.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator.ReplaceUnderscores;
import org.junit.jupiter.api.Test;

@DisplayNameGeneration(ReplaceUnderscores.class)
class ResultTest {

    @Test
    void a_target_is_met_only_when_every_round_reaches_it() {
        assertThat(result(List.of(0.95, 1.0, 1.2), 0.9).verdict()).isEqualTo("met");
        assertThat(result(List.of(0.9, 1.0), 0.9).verdict()).isEqualTo("met");
    }

    @Test
    void a_range_that_crosses_the_target_is_inside_the_noise_whichever_side_the_median_falls() {
        assertThat(result(List.of(0.85, 1.0, 1.2), 0.9).verdict()).isEqualTo("inside the noise");
        assertThat(result(List.of(0.7, 0.8, 0.95), 0.9).verdict()).isEqualTo("inside the noise");
    }

    @Test
    void a_target_no_round_reaches_is_missed() {
        assertThat(result(List.of(0.7, 0.8, 0.89), 0.9).verdict()).isEqualTo("missed");
    }

    @Test
    void a_figure_without_a_target_has_no_verdict() {
        assertThat(result(List.of(0.7), null).verdict()).isEmpty();
    }

    /** Side b at 1 unit per second, so each round's ratio is side a's rate. */
    private static Result result(List<Double> ratios, Double target) {
        return new Result("sqlite", "figure", "events/s", 1, "a", "b", ratios,
                ratios.stream().map(ratio -> 1.0).toList(), target);
    }
}
