package io.github.dsw.bench;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * One benchmark method with one combination of parameter values: the unit the suite runner runs,
 * counts for progress, and records.
 *
 * @param benchmark fully qualified method name
 * @param mode      JMH mode short label ({@code thrpt}, {@code avgt}, {@code sample}, {@code ss})
 * @param params    parameter values, in declaration order
 * @param forks     forks demanded by the benchmark for this suite ({@code null}: the suite's setting)
 * @param declaredIterations true to keep the class's own warm-up and measurement iterations
 */
public record BenchmarkCase(String benchmark, String mode, Map<String, String> params, Integer forks,
                            boolean declaredIterations) {

    public BenchmarkCase {
        params = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(params));
    }

    /** A case that follows the suite's settings. */
    public BenchmarkCase(String benchmark, String mode, Map<String, String> params) {
        this(benchmark, mode, params, null, false);
    }

    /** {@code Class.method {a=1, b=2}} for progress lines. */
    public String label() {
        String[] parts = benchmark.split("\\.");
        String name = parts.length >= 2 ? parts[parts.length - 2] + "." + parts[parts.length - 1] : benchmark;
        if (params.isEmpty()) {
            return name;
        }
        return name + " " + params.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining(", ", "{", "}"));
    }
}
