package dev.runestone.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator.ReplaceUnderscores;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs every benchmark at a tiny size, so that the harness keeps compiling and working; it asserts that the work was
 * done and the results written, never how fast. PostgreSQL and Axon run when {@code RUNESTONE_POSTGRES_URL} names a
 * server.
 */
@DisplayNameGeneration(ReplaceUnderscores.class)
class BenchmarksTest {

    @Test
    void every_benchmark_does_its_work_and_the_results_are_written(@TempDir Path directory) throws Exception {
        String url = System.getenv("RUNESTONE_POSTGRES_URL");
        Benchmarks benchmarks = new Benchmarks(Size.TINY, directory, "", "bench_smoke");

        Report report = benchmarks.run(url);

        int databases = url == null ? 1 : 2;
        assertThat(benchmarks.results()).hasSize(20 * databases + (url == null ? 0 : 3));
        assertThat(benchmarks.results()).allSatisfy(result -> {
            assertThat(result.ratesA()).hasSize(Size.TINY.rounds()).allSatisfy(rate -> assertThat(rate).isPositive());
            assertThat(result.ratesB()).hasSize(Size.TINY.rounds()).allSatisfy(rate -> assertThat(rate).isPositive());
        });
        assertThat(benchmarks.figures()).hasSize(6 * databases)
                .noneMatch(figure -> figure.unit().equals("no"));
        assertThat(report.markdown()).contains("| sqlite | 100-event append | 8 |");
        assertThat(report.markdown()).contains("| sqlite | log scan, half the events upcast from version 1 | 1 |");
        assertThat(report.markdown()).contains("| sqlite | subscription catch-up of the log, 8 partitions vs 1 | 1 |");
        assertThat(report.markdown()).contains("| sqlite | single-event append, Micrometer with meters | 1 |");
        assertThat(report.markdown()).contains("| sqlite | single-event append, coalesced vs uncoalesced | 32 |");
        assertThat(report.markdown())
                .contains("| sqlite | 32 writers, 16 racing on 8 shared streams, coalesced vs uncoalesced | 32 |");
        assertThat(Files.readString(directory.resolve("results.csv"))).contains("sqlite,\"single-event append\",1,");
    }
}
