package io.github.dsw.notebook;

import java.util.ArrayList;
import java.util.List;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;

/**
 * A latency histogram as the points of its CDF, ready for {@code chart.addSeries(name, x, y)}: HdrHistogram's
 * percentile iteration ({@code ticksPerHalfDistance} points per halving of the remaining tail), values divided by
 * {@code unitsPerX} (1000 for a histogram in µs drawn in ms) and floored at {@code minX} so that a log axis can show
 * a zero.
 */
public final class HistogramCdf {

    /** The points: x (value) and y (fraction at or below it, 0 to 1), same length. */
    public record Points(List<Double> x, List<Double> y) {
    }

    private HistogramCdf() {
    }

    public static Points of(Histogram h, int ticksPerHalfDistance, double unitsPerX, double minX) {
        List<Double> x = new ArrayList<>();
        List<Double> y = new ArrayList<>();
        for (HistogramIterationValue v : h.percentiles(ticksPerHalfDistance)) {
            if (v.getPercentileLevelIteratedTo() == 0) {
                continue; // the 0 % step is the minimum, not a quantile
            }
            x.add(Math.max(v.getValueIteratedTo() / unitsPerX, minX));
            y.add(v.getPercentileLevelIteratedTo() / 100);
        }
        return new Points(x, y);
    }
}
