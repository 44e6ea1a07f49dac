package io.github.dsw.notebook;

import java.util.Arrays;
import java.util.Collection;

/**
 * Empirical distributions as plottable points. {@link #points} puts the i-th smallest of n values at height
 * (i + 0.5) / n, the middle of its step, so that two samples of different sizes compare fairly; {@link #stepHeight}
 * puts a published statistic of n trials at the same height its trial has on such a curve; {@link #tail} is the
 * fraction of values above each value, for a log-scale tail plot.
 */
public final class Ecdf {

    /** Points of a curve: x and y, same length. */
    public record Points(double[] x, double[] y) {
    }

    private Ecdf() {
    }

    /** The sorted values against (i + 0.5) / n. */
    public static Points points(double[] values) {
        return points(values, values.length);
    }

    /**
     * The sorted values against (i + 0.5) / {@code outOf}: the curve of {@code outOf} trials of which only these
     * finished (the censored ones are above every value and never reached), so it stops below 1.
     */
    public static Points points(double[] values, int outOf) {
        if (outOf < values.length) {
            throw new IllegalArgumentException(values.length + " values out of " + outOf);
        }
        double[] x = values.clone();
        Arrays.sort(x);
        double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = (i + 0.5) / outOf;
        }
        return new Points(x, y);
    }

    /** As {@link #points(double[])}, for boxed values. */
    public static Points points(Collection<? extends Number> values) {
        return points(values.stream().mapToDouble(Number::doubleValue).toArray());
    }

    /** The sorted values (all but the largest) against the fraction of values strictly after them, 1 - (i + 1) / n. */
    public static Points tail(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        int m = Math.max(0, v.length - 1);
        double[] y = new double[m];
        for (int i = 0; i < m; i++) {
            y[i] = 1 - (i + 1.0) / v.length;
        }
        return new Points(Arrays.copyOf(v, m), y);
    }

    /**
     * The height on a curve of {@link #points} of n trials at which a published statistic sits: {@code min} is the
     * first step, {@code max} the last, {@code median}/{@code p90}/{@code p99} the ceil(q n)-th; NaN for any other
     * statistic (a mean is no point of a CDF).
     */
    public static double stepHeight(String statistic, int n) {
        return switch (statistic) {
            case "min" -> 0.5 / n;
            case "median" -> (Math.ceil(0.5 * n) - 0.5) / n;
            case "p90" -> (Math.ceil(0.9 * n) - 0.5) / n;
            case "p99" -> (Math.ceil(0.99 * n) - 0.5) / n;
            case "max" -> (n - 0.5) / n;
            default -> Double.NaN;
        };
    }
}
