package dev.runestone.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * One pair's figures: the rates of each side per round, and the per-round ratio {@code a / b}.
 *
 * @param target the least median ratio the issue asks for, if it names one
 */
record Result(String database, String benchmark, String unit, int threads, String a, String b,
        List<Double> ratesA, List<Double> ratesB, @Nullable Double target) {

    List<Double> ratios() {
        List<Double> ratios = new ArrayList<>();
        for (int i = 0; i < ratesA.size(); i++) {
            ratios.add(ratesA.get(i) / ratesB.get(i));
        }
        return ratios;
    }

    double medianRatio() {
        return median(ratios());
    }

    double minRatio() {
        return ratios().stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
    }

    double maxRatio() {
        return ratios().stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
    }

    double medianA() {
        return median(ratesA);
    }

    double medianB() {
        return median(ratesB);
    }

    /**
     * {@code met} when every round's ratio reaches the target, {@code missed} when none does, {@code inside the noise}
     * when the range crosses it, and empty when there is no target.
     */
    String verdict() {
        if (target == null) {
            return "";
        }
        return minRatio() >= target ? "met" : maxRatio() < target ? "missed" : "inside the noise";
    }

    String line() {
        return String.format(Locale.ROOT, "%-10s %-52s %d thr  %s %,.0f  %s %,.0f %s  ratio %.2f (%.2f–%.2f) %s",
                database, benchmark, threads, a, medianA(), b, medianB(), unit, medianRatio(), minRatio(),
                maxRatio(), target == null ? "" : "target ≥ " + target + " " + verdict());
    }

    static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n == 0 ? Double.NaN : n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }
}
