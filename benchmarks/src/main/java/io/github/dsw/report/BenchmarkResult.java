package io.github.dsw.report;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * One row of a JMH JSON result file: a benchmark method with one combination of {@code @Param} values.
 *
 * @param benchmark  fully qualified method name, e.g. {@code io.github.dsw.bench.measuring.DeadCode.measureRight}
 * @param mode       JMH mode: {@code thrpt}, {@code avgt}, {@code sample}, {@code ss}
 * @param threads    benchmark threads
 * @param forks      JVM forks the score aggregates
 * @param params     the {@code @Param} values (sorted by name; empty when the benchmark has none)
 * @param score      the primary metric's score
 * @param scoreError half-width of JMH's 99.9 % confidence interval ({@code NaN} when it could not be computed)
 * @param ciLow      lower end of that interval
 * @param ciHigh     upper end of that interval
 * @param unit       the score's unit, e.g. {@code ops/s} or {@code ns/op}
 * @param rawData    per fork, the score of each measurement iteration (the variance between forks lives here)
 */
public record BenchmarkResult(String benchmark, String mode, int threads, int forks, Map<String, String> params,
                              double score, double scoreError, double ciLow, double ciHigh, String unit,
                              List<List<Double>> rawData) {

    public BenchmarkResult {
        Objects.requireNonNull(benchmark, "benchmark");
        params = java.util.Collections.unmodifiableMap(new TreeMap<>(params));
        rawData = rawData.stream().map(List::copyOf).toList();
    }

    /** {@code Class.method} without the package. */
    public String shortName() {
        String[] parts = benchmark.split("\\.");
        return parts.length >= 2 ? parts[parts.length - 2] + "." + parts[parts.length - 1] : benchmark;
    }

    /** The simple class name of the benchmark. */
    public String className() {
        String[] parts = benchmark.split("\\.");
        return parts.length >= 2 ? parts[parts.length - 2] : benchmark;
    }

    /** The method name of the benchmark. */
    public String method() {
        return benchmark.substring(benchmark.lastIndexOf('.') + 1);
    }

    /** Params as {@code a=1,b=x}, or the empty string. */
    public String paramString() {
        return params.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(","));
    }

    /** Identifies the same measurement across runs: benchmark, mode, threads and params. */
    public String key() {
        return benchmark + "|" + mode + "|" + threads + "|" + paramString();
    }

    /** True when a higher score is better (throughput modes). */
    public boolean higherIsBetter() {
        return mode.equals("thrpt");
    }

    /** Mean score of each fork (its measurement iterations averaged): what run-to-run variance looks like. */
    public List<Double> forkMeans() {
        return rawData.stream().map(f -> f.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN)).toList();
    }
}
