package dev.runestone.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/** Writes a run's figures as a Markdown table ({@code results.md}) and as CSV ({@code results.csv}). */
final class Report {

    /** A single measured value that has no pair: a latency, a catch-up rate, a heap size. */
    record Figure(String database, String what, double value, String unit, @Nullable String target,
            @Nullable Boolean met) {
    }

    private final List<Result> results;
    private final List<Figure> figures;
    private final Size size;
    private final @Nullable String postgresVersion;
    private final double seconds;

    Report(List<Result> results, List<Figure> figures, Size size, @Nullable String postgresVersion, double seconds) {
        this.results = results;
        this.figures = figures;
        this.size = size;
        this.postgresVersion = postgresVersion;
        this.seconds = seconds;
    }

    void write(Path directory) throws IOException {
        Files.writeString(directory.resolve("results.md"), markdown());
        Files.writeString(directory.resolve("results.csv"), csv());
    }

    String markdown() {
        StringBuilder md = new StringBuilder();
        md.append(String.format(Locale.ROOT, "Run: JDK %s (%s), %d processors, SQLite %s, PostgreSQL %s; %d rounds of "
                        + "%d ms per side after %d ms warm-up; log of %,d events; %.0f s in all.%n%n",
                System.getProperty("java.version"), System.getProperty("java.vm.name"),
                Runtime.getRuntime().availableProcessors(), sqliteVersion(),
                postgresVersion == null ? "not run" : postgresVersion, size.rounds(), size.roundMillis(),
                size.warmupMillis(), size.logEvents(), seconds));
        md.append("| database | benchmark | threads | Runestone | other side | ratio, median (min–max) | target | |\n");
        md.append("| --- | --- | ---: | ---: | ---: | --- | --- | --- |\n");
        for (Result r : results) {
            md.append(String.format(Locale.ROOT,
                    "| %s | %s | %d | %,.0f %s | %s %,.0f | **%.2f** (%.2f–%.2f) | %s | %s |%n",
                    r.database(), r.benchmark(), r.threads(), r.medianA(), r.unit(), r.b(), r.medianB(),
                    r.medianRatio(), r.minRatio(), r.maxRatio(), r.target() == null ? "" : "≥ " + r.target(),
                    r.verdict()));
        }
        md.append("\n| database | figure | value | target | |\n| --- | --- | ---: | --- | --- |\n");
        for (Figure f : figures) {
            md.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s |%n", f.database(), f.what(),
                    f.unit().equals("no") ? "no" : String.format(Locale.ROOT, "%,.1f %s", f.value(), f.unit()),
                    f.target() == null ? "" : f.target(), f.met() == null ? "" : f.met() ? "met" : "missed"));
        }
        return md.toString();
    }

    String csv() {
        StringBuilder csv = new StringBuilder("database,benchmark,threads,unit,side_a,side_b,rate_a_median,"
                + "rate_b_median,ratio_median,ratio_min,ratio_max,target,verdict,rates_a,rates_b\n");
        for (Result r : results) {
            csv.append(String.format(Locale.ROOT,
                    "%s,\"%s\",%d,%s,%s,%s,%.1f,%.1f,%.3f,%.3f,%.3f,%s,%s,\"%s\",\"%s\"%n",
                    r.database(), r.benchmark(), r.threads(), r.unit(), r.a(), r.b(), r.medianA(), r.medianB(),
                    r.medianRatio(), r.minRatio(), r.maxRatio(), r.target() == null ? "" : r.target(), r.verdict(),
                    join(r.ratesA()), join(r.ratesB())));
        }
        for (Figure f : figures) {
            csv.append(String.format(Locale.ROOT, "%s,\"%s\",,%s,runestone,,%.3f,,,,,\"%s\",%s,,%n", f.database(),
                    f.what(), f.unit(), f.value(), f.target() == null ? "" : f.target(),
                    f.met() == null ? "" : f.met() ? "met" : "missed"));
        }
        return csv.toString();
    }

    private static String join(List<Double> values) {
        return String.join(";", values.stream().map(v -> String.format(Locale.ROOT, "%.1f", v)).toList());
    }

    private static String sqliteVersion() {
        try (var connection = java.sql.DriverManager.getConnection("jdbc:sqlite::memory:");
                var statement = connection.createStatement();
                var row = statement.executeQuery("SELECT sqlite_version()")) {
            row.next();
            return row.getString(1);
        } catch (java.sql.SQLException e) {
            return "unknown";
        }
    }
}
