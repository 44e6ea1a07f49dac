package io.github.dsw.report;

import java.util.Map;
import java.util.function.BiFunction;

/**
 * The one table of natural units: for a benchmark class whose JMH score is in a unit a reader has to
 * convert in their head (a checksum's ops/s, where bytes per second is what one compares with a disk or a
 * network), the unit its charts and tables use instead, and how to get there. Classes not listed keep JMH's
 * unit. The report prints both: the natural value and JMH's raw score with its unit.
 */
public final class NaturalUnits {

    /**
     * @param label   the unit as an axis title prints it, e.g. {@code GB/s}
     * @param meaning one sentence: what the number counts, and how it is derived from JMH's score
     * @param convert (result, a value in the result's JMH unit) to the natural unit; NaN when it cannot
     */
    public record NaturalUnit(String label, String meaning, BiFunction<BenchmarkResult, Double, Double> convert) {

        /** {@code v} (a score or an interval end in JMH's unit) in this unit. */
        public double of(BenchmarkResult r, double v) {
            return convert.apply(r, v);
        }
    }

    /** Class simple name to its natural unit. Add a line here when a new benchmark deserves one. */
    static final Map<String, NaturalUnit> TABLE = Map.of(
            "CrcThroughput", new NaturalUnit("GB/s",
                    "bytes checksummed per second (10^9 bytes): JMH's operations per second × the size parameter",
                    (r, v) -> perSecond(v, r.unit()) * param(r, "size") / 1e9),
            "LockThroughput", new NaturalUnit("acquisitions/µs",
                    "lock acquisitions per microsecond, all threads together (one operation = one acquire and release)",
                    (r, v) -> perSecond(v, r.unit()) / 1e6),
            "LockLatency", new NaturalUnit("acquisitions/µs",
                    "lock acquisitions per microsecond, both threads together",
                    (r, v) -> perSecond(v, r.unit()) / 1e6));

    private NaturalUnits() {
    }

    /** The natural unit of {@code r}'s class, or JMH's own unit (identity) when the table has none. */
    public static NaturalUnit of(BenchmarkResult r) {
        NaturalUnit u = TABLE.get(r.className());
        if (u != null && !Double.isNaN(u.of(r, r.score()))) {
            return u;
        }
        return raw(r.unit());
    }

    /** JMH's unit, unchanged ({@code us} printed as µs). */
    public static NaturalUnit raw(String jmhUnit) {
        return new NaturalUnit(jmhUnit.replace("us", "µs"), "JMH's score, unconverted", (r, v) -> v);
    }

    /** True when {@code r}'s class has a natural unit other than JMH's. */
    public static boolean converts(BenchmarkResult r) {
        return TABLE.containsKey(r.className()) && !Double.isNaN(TABLE.get(r.className()).of(r, r.score()));
    }

    /** A throughput value in JMH unit {@code ops/s}, {@code ops/ms}, {@code ops/us} or {@code ops/ns} per second; NaN otherwise. */
    static double perSecond(double v, String unit) {
        return switch (unit) {
            case "ops/s" -> v;
            case "ops/ms" -> v * 1e3;
            case "ops/us" -> v * 1e6;
            case "ops/ns" -> v * 1e9;
            default -> Double.NaN;
        };
    }

    private static double param(BenchmarkResult r, String name) {
        try {
            return Double.parseDouble(r.params().getOrDefault(name, "NaN"));
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }
}
