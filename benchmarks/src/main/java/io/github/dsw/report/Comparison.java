package io.github.dsw.report;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Two runs side by side: for every measurement present in both, the speed ratio of B to A with an
 * interval from the two confidence intervals (lowest B over highest A, highest B over lowest A, so it is
 * conservative), and a verdict: "faster"/"slower" only when the interval excludes 1.
 */
public final class Comparison {

    /** One line of the comparison; ratio &gt; 1 means B was faster. */
    public record Row(BenchmarkResult a, BenchmarkResult b, double ratio, double ratioLow, double ratioHigh) {

        public String verdict() {
            if (Double.isNaN(ratioLow) || Double.isNaN(ratioHigh)) {
                // No interval (e.g. a single iteration): say which way, with a question mark.
                return ratio == 1 ? "same?" : ratio > 1 ? "faster?" : "slower?";
            }
            if (ratioLow > 1) {
                return "faster";
            }
            if (ratioHigh < 1) {
                return "slower";
            }
            return "same (within CI)";
        }
    }

    private Comparison() {
    }

    public static List<Row> of(RunResults a, RunResults b) {
        Map<String, BenchmarkResult> inA = new HashMap<>();
        a.results().forEach(r -> inA.put(r.key(), r));
        List<Row> rows = new ArrayList<>();
        for (BenchmarkResult rb : b.results()) {
            BenchmarkResult ra = inA.get(rb.key());
            if (ra == null) {
                continue;
            }
            rows.add(row(ra, rb));
        }
        return rows;
    }

    /** The speed ratio of {@code rb} to {@code ra} (same measurement) with its conservative interval. */
    public static Row row(BenchmarkResult ra, BenchmarkResult rb) {
        double ratio;
        double lo;
        double hi;
        if (rb.higherIsBetter()) {
            ratio = rb.score() / ra.score();
            lo = rb.ciLow() / ra.ciHigh();
            hi = rb.ciHigh() / ra.ciLow();
        } else {
            ratio = ra.score() / rb.score();
            lo = ra.ciLow() / rb.ciHigh();
            hi = ra.ciHigh() / rb.ciLow();
        }
        // A confidence interval reaching zero or below (noisy, few iterations) bounds the ratio on one side
        // only: no interval then, rather than a negative end that would read as a significant change.
        if (!(lo > 0) || !(hi > 0) || Double.isInfinite(hi)) {
            lo = Double.NaN;
            hi = Double.NaN;
        }
        return new Row(ra, rb, ratio, lo, hi);
    }

    public static Table table(List<Row> rows, String nameA, String nameB) {
        Table t = new Table("benchmark", "params", "unit", nameA, nameB, "speed B/A", "interval", "verdict");
        for (Row r : rows) {
            t.row(r.b().shortName(), r.b().paramString().isEmpty() ? "-" : r.b().paramString(), r.b().unit(),
                    Table.num(r.a().score()) + " ± " + Table.num(r.a().scoreError()),
                    Table.num(r.b().score()) + " ± " + Table.num(r.b().scoreError()),
                    String.format("%.3f", r.ratio()),
                    Double.isNaN(r.ratioLow()) ? "n/a" : String.format("[%.3f, %.3f]", r.ratioLow(), r.ratioHigh()),
                    r.verdict() + (r.ratioLow() > 1 || r.ratioHigh() < 1 ? " *" : ""));
        }
        return t;
    }
}
