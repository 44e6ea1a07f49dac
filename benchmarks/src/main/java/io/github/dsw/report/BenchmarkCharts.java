package io.github.dsw.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import javax.imageio.ImageIO;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.CategorySeries;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Draws a {@link ChartPlan}: one line per series over the x axis, the JMH 99.9 % confidence interval of each
 * point as a whisker (clipped at zero: a throughput or a time is never negative), the reference run's value
 * of the same measurement as a faded, dashed line of the same colour, values in the class's
 * {@link NaturalUnits natural unit}; panels (small multiples) side by side in one PNG.
 */
public final class BenchmarkCharts {

    /** What was drawn, for the report and for tests: file, axis titles, panel and category counts. */
    public record Drawn(String file, String title, String xTitle, String yTitle, int panels, int maxCategories,
                        boolean hasReference, boolean whiskersClipped, boolean logY) {
    }

    /**
     * Values (this run's and the reference's) spanning more than this factor put the y axis on a log scale, so
     * that a reference measured on a slower or loaded machine does not squash this run's points onto zero.
     */
    static final double LOG_SPAN = 20;

    /**
     * How far above the largest value (this run's or the reference's) a whisker may reach on a linear axis before
     * it is cut at the panel's top edge. A run taken on a loaded machine can have a 99.9 % interval tens of times
     * its score; drawn in full, it would set the axis and squash every point onto the zero line.
     */
    static final double WHISKER_CAP = 2.5;
    /** The same cap on a logarithmic axis (a factor, so a decade). */
    static final double WHISKER_CAP_LOG = 10;

    /** Twelve colours a reader can tell apart (Tableau 10 and two darker ones). */
    static final Color[] PALETTE = {
        new Color(0x4E79A7), new Color(0xF28E2B), new Color(0xE15759), new Color(0x76B7B2), new Color(0x59A14F),
        new Color(0xEDC948), new Color(0xB07AA1), new Color(0xFF9DA7), new Color(0x9C755F), new Color(0xBAB0AC),
        new Color(0x1B3A5C), new Color(0x7A3E00)};

    private static final int PANEL_W = 700;
    private static final int PANEL_H = 420;
    private static final int MAX_COLUMNS = 3;

    private BenchmarkCharts() {
    }

    /** Draws the plan into {@code dir/fileName}; {@code refs} gives the reference values (may find none). */
    public static Drawn draw(ChartPlan plan, References refs, Path dir, String fileName) throws IOException {
        List<BufferedImage> images = new ArrayList<>();
        boolean anyRef = false;
        boolean anyClipped = false;
        boolean anyLog = false;
        String yTitle = "";
        for (ChartPlan.Panel panel : plan.panels()) {
            BenchmarkResult first = panel.lines().get(0).points().get(0).result();
            NaturalUnits.NaturalUnit unit = NaturalUnits.of(first);
            yTitle = unit.label();
            boolean single = plan.panels().size() == 1;
            if (!plan.xNumeric()) {
                boolean[] flags = new boolean[2];
                CategoryChart cc = categories(plan, panel, unit, refs, single, flags);
                anyRef |= cc.getSeriesMap().size() > 1;
                anyClipped |= flags[0];
                anyLog |= flags[1];
                images.add(BitmapEncoder.getBufferedImage(cc));
                continue;
            }
            String title = plan.className() + (panel.title().isEmpty() ? "" : " — " + panel.title());
            XYChart chart = new XYChart(single ? Charts.WIDTH : PANEL_W, single ? Charts.HEIGHT : PANEL_H);
            chart.setTitle(title);
            chart.setXAxisTitle(plan.xTitle());
            chart.setYAxisTitle(unit.label());
            var st = chart.getStyler();
            st.setChartBackgroundColor(Color.WHITE);
            st.setPlotGridLinesVisible(true);
            st.setAntiAlias(true);
            st.setLegendPosition(Styler.LegendPosition.OutsideE); // up to 12 names: a column beside the plot
            st.setLegendLayout(Styler.LegendLayout.Vertical);
            st.setXAxisLogarithmic(plan.xLog());
            // The axis is set by the values (this run's and the reference's), not by the whiskers: both are
            // clipped to the panel (at zero or the bottom of a log axis, and at a cap above the largest value).
            List<Double> vals = new ArrayList<>();
            List<Double> refVals = new ArrayList<>(); // NaN where a point has no reference
            panel.lines().forEach(l -> l.points().forEach(p -> {
                vals.add(unit.of(p.result(), p.result().score()));
                refVals.add(refs.find(p.result()).map(ref -> unit.of(ref.result(), ref.result().score())).orElse(Double.NaN));
            }));
            Range range = Range.of(vals, refVals);
            boolean yLog = logAxis(vals, refVals, range);
            anyLog |= yLog;
            st.setYAxisLogarithmic(yLog);
            double floor = yLog ? range.bottom() / 4 : 0; // whiskers are clipped here: zero, or a log axis's bottom
            double ceiling = range.top() > 0 ? range.top() * (yLog ? WHISKER_CAP_LOG : WHISKER_CAP)
                    : Double.POSITIVE_INFINITY;
            boolean[] clipped = new boolean[1];
            if (!yLog) {
                st.setYAxisMin(0.0);
            } else {
                chart.setYAxisTitle(unit.label() + " (log scale)");
            }
            if (yLog) {
                st.setYAxisDecimalPattern("#,##0.######");
            }
            if (plan.xNumeric() && plan.xLog()) {
                st.setXAxisDecimalPattern("#,##0"); // XChart's own decade ticks: 10, 100, 1,000 (a custom formatter would lose them)
            } else if (plan.xNumeric()) {
                boolean integers = panel.lines().stream().flatMap(l -> l.points().stream()).allMatch(p -> p.x() == Math.rint(p.x()));
                // Thread or node counts: no "1.50" ticks. XChart 3.8.8 drops every tick when labels are empty or
                // repeat, so between integers a unique run of figure spaces (invisible) stands in.
                chart.setCustomXAxisTickLabelsFormatter(v -> !integers || v == Math.rint(v) ? compact(v)
                        : "\u2007".repeat(1 + (int) Math.abs(Math.round(v * 100) % 7)));
            } else {
                List<String> labels = panel.lines().get(0).points().stream().map(ChartPlan.Point::xLabel).toList();
                List<String> all = panel.lines().stream().flatMap(l -> l.points().stream())
                        .sorted(java.util.Comparator.comparingDouble(ChartPlan.Point::x)).map(ChartPlan.Point::xLabel)
                        .distinct().toList();
                int n = all.size();
                st.setXAxisMin(0.5);
                st.setXAxisMax(n + 0.5);
                Function<Double, String> f = v -> {
                    long i = Math.round(v);
                    return Math.abs(v - i) < 1e-6 && i >= 1 && i <= n ? all.get((int) i - 1) : "";
                };
                chart.setCustomXAxisTickLabelsFormatter(f);
                st.setXAxisLabelRotation(all.stream().mapToInt(String::length).sum() > 70 ? 30 : 0);
                st.setXAxisTickMarkSpacingHint(20); // ticks at least every category; labels only at integers
                if (labels.isEmpty()) {
                    throw new IllegalStateException("empty panel");
                }
            }
            int w = 0;
            for (int i = 0; i < panel.lines().size(); i++) {
                ChartPlan.Line line = panel.lines().get(i);
                Color c = PALETTE[i % PALETTE.length];
                double shift = plan.xNumeric() ? 0 : 0.0;
                double[] xs = line.points().stream().mapToDouble(p -> p.x() + shift).toArray();
                double[] vs = line.points().stream().mapToDouble(p -> unit.of(p.result(), p.result().score())).toArray();
                XYSeries s = chart.addSeries(line.name(), xs, vs);
                s.setLineColor(c);
                s.setMarkerColor(c);
                s.setMarker(SeriesMarkers.CIRCLE);
                s.setLineStyle(new BasicStroke(2f));
                if (!plan.xNumeric()) {
                    s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
                }
                for (ChartPlan.Point p : line.points()) {
                    clipped[0] |= whisker(chart, "ci" + w++, p.x() + shift, unit, p.result(), floor, ceiling, c, false);
                }
                // The reference run: the same measurement, faded, dashed, a little to the right on categories.
                List<double[]> refPts = new ArrayList<>();
                for (ChartPlan.Point p : line.points()) {
                    Optional<References.Reference> ref = refs.find(p.result());
                    if (ref.isPresent()) {
                        double rx = plan.xNumeric() ? p.x() : p.x() + 0.2;
                        refPts.add(new double[] {rx, unit.of(ref.get().result(), ref.get().result().score())});
                        clipped[0] |= whisker(chart, "ci" + w++, rx, unit, ref.get().result(), floor, ceiling, fade(c), true);
                    }
                }
                if (!refPts.isEmpty()) {
                    anyRef = true;
                    XYSeries r = chart.addSeries(line.name() + " (reference)",
                            refPts.stream().mapToDouble(a -> a[0]).toArray(), refPts.stream().mapToDouble(a -> a[1]).toArray());
                    r.setLineColor(fade(c));
                    r.setMarkerColor(fade(c));
                    r.setMarker(SeriesMarkers.DIAMOND);
                    r.setLineStyle(new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10f, new float[] {6f, 4f}, 0f));
                    r.setShowInLegend(false);
                    if (!plan.xNumeric()) {
                        r.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
                    }
                }
            }
            if (panel.lines().size() == 1 && plan.seriesDim() == null) {
                st.setLegendVisible(false);
            }
            if (clipped[0]) {
                st.setYAxisMax(ceiling);
                if (yLog) {
                    st.setYAxisMin(floor);
                }
                anyClipped = true;
            }
            String notes = (anyRef ? "faded: reference run" : "")
                    + (clipped[0] ? (anyRef ? "; " : "") + "whiskers cut at the top edge" : "");
            if (!notes.isEmpty()) {
                chart.setTitle(title + "  (" + notes + ")");
            }
            images.add(BitmapEncoder.getBufferedImage(chart));
        }
        Files.createDirectories(dir);
        ImageIO.write(grid(images), "png", dir.resolve(fileName).toFile());
        return new Drawn(fileName, plan.className(), plan.xTitle(), yTitle, plan.panels().size(), plan.maxCategories(), anyRef,
                anyClipped, anyLog);
    }

    /**
     * A categorical panel: this run's value per category as a dot with its interval as an error bar (the axis
     * starts at zero, so an interval reaching below zero is clipped there), the reference faded beside it. An
     * error bar reaching above {@link #WHISKER_CAP} times the largest value is shortened to end there (XChart's
     * category error bars are symmetric, so its lower half is shortened too) and {@code flags[0]} is set. Values
     * spanning more than {@link #LOG_SPAN} (a reference from a much slower machine) put the axis on a log scale
     * ({@code flags[1]}); there no error bars are drawn (XChart 3.8.8 misplaces them) and the table keeps them.
     */
    private static CategoryChart categories(ChartPlan plan, ChartPlan.Panel panel, NaturalUnits.NaturalUnit unit,
                                            References refs, boolean single, boolean[] flags) {
        ChartPlan.Line line = panel.lines().get(0);
        String title = plan.className() + (panel.title().isEmpty() ? "" : " — " + panel.title());
        CategoryChart chart = new CategoryChartBuilder().width(single ? Charts.WIDTH : PANEL_W)
                .height(single ? Charts.HEIGHT : PANEL_H).title(title).xAxisTitle(plan.xTitle()).yAxisTitle(unit.label()).build();
        var st = chart.getStyler();
        st.setChartBackgroundColor(Color.WHITE);
        st.setPlotGridLinesVisible(true);
        st.setAntiAlias(true);
        st.setLegendPosition(Styler.LegendPosition.OutsideS);
        st.setLegendLayout(Styler.LegendLayout.Horizontal);
        st.setDefaultSeriesRenderStyle(CategorySeries.CategorySeriesRenderStyle.Scatter);
        st.setErrorBarsColorSeriesColor(true);
        st.setYAxisMin(0.0);
        st.setOverlapped(false);
        List<String> labels = line.points().stream().map(ChartPlan.Point::xLabel).toList();
        st.setXAxisLabelRotation(labels.stream().mapToInt(String::length).sum() > 70 ? 30 : 0);
        List<Double> vs = new ArrayList<>();
        List<Double> es = new ArrayList<>();
        List<Double> rv = new ArrayList<>();
        List<Double> re = new ArrayList<>();
        for (ChartPlan.Point p : line.points()) {
            BenchmarkResult r = p.result();
            vs.add(unit.of(r, r.score()));
            es.add(halfWidth(unit, r));
            Optional<References.Reference> ref = refs.find(r);
            rv.add(ref.map(x -> unit.of(x.result(), x.result().score())).orElse(Double.NaN));
            re.add(ref.map(x -> halfWidth(unit, x.result())).orElse(0.0));
        }
        Range range = Range.of(vs, rv);
        boolean yLog = logAxis(vs, rv, range);
        if (range.top() > 0) {
            double ceiling = range.top() * (yLog ? WHISKER_CAP_LOG : WHISKER_CAP);
            double floor = yLog ? range.bottom() / 4 : 0;
            for (int i = 0; i < vs.size(); i++) {
                flags[0] |= capError(vs, es, i, floor, ceiling) | capError(rv, re, i, floor, ceiling);
            }
            if (yLog) {
                // XChart 3.8.8 draws a category chart's error bars wrongly on a log axis (they run off the panel),
                // so on a log axis the intervals stay in the table beside the chart and are not drawn.
                java.util.Collections.fill(es, 0.0);
                java.util.Collections.fill(re, 0.0);
                flags[1] = true;
                st.setYAxisLogarithmic(true);
                st.setYAxisMin(floor);
                st.setYAxisMax(ceiling);
                st.setYAxisDecimalPattern("#,##0.######");
                chart.setYAxisTitle(unit.label() + " (log scale)");
                chart.setTitle(title + "  (log scale; intervals in the table)");
            } else if (flags[0]) {
                st.setYAxisMax(ceiling);
                chart.setTitle(title + "  (error bars shortened at the panel's edge)");
            }
        }
        CategorySeries s = chart.addSeries("this run", labels, vs, es);
        s.setMarkerColor(PALETTE[0]);
        s.setLineColor(PALETTE[0]);
        s.setFillColor(PALETTE[0]);
        s.setMarker(SeriesMarkers.CIRCLE);
        if (rv.stream().noneMatch(v -> v.isNaN())) {
            CategorySeries r = chart.addSeries("reference run (faded)", labels, rv, re);
            r.setMarkerColor(fade(PALETTE[0]));
            r.setLineColor(fade(PALETTE[0]));
            r.setFillColor(fade(PALETTE[0]));
            r.setMarker(SeriesMarkers.DIAMOND);
        }
        return chart;
    }

    /**
     * The largest value and the smallest positive one over this run's values and the reference's (NaN where a point
     * has none); both 0 when there are none. The axis, the whisker cap and the log-axis test all start from it.
     */
    record Range(double top, double bottom) {
        static Range of(List<Double> values, List<Double> refValues) {
            double top = 0;
            double bottom = Double.POSITIVE_INFINITY;
            for (List<Double> list : List.of(values, refValues)) {
                for (double v : list) {
                    if (!Double.isNaN(v)) {
                        top = Math.max(top, v);
                    }
                    if (v > 0) {
                        bottom = Math.min(bottom, v);
                    }
                }
            }
            return new Range(top, bottom == Double.POSITIVE_INFINITY ? 0 : bottom);
        }
    }

    /**
     * A log axis when the values (this run's and the reference's, all positive) span more than two decades, or
     * when the reference and this run differ by more than {@link #LOG_SPAN} on some measurement: on a linear
     * axis the smaller side would sit on the zero line.
     */
    static boolean logAxis(List<Double> values, List<Double> refValues, Range range) {
        if (values.isEmpty() || values.stream().anyMatch(v -> v.isNaN() || v <= 0)
                || refValues.stream().anyMatch(v -> v <= 0)) {
            return false;
        }
        if (range.top() / range.bottom() > 100) {
            return true;
        }
        for (int i = 0; i < values.size() && i < refValues.size(); i++) {
            double r = refValues.get(i) / values.get(i);
            if (!Double.isNaN(r) && (r > LOG_SPAN || r < 1 / LOG_SPAN)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Shortens error {@code i} so that value ± error stays within [floor, ceiling] (a floor of 0 clips nothing: the
     * linear axis starts at zero and cuts there); true when it did.
     */
    private static boolean capError(List<Double> values, List<Double> errors, int i, double floor, double ceiling) {
        double v = values.get(i);
        double e = errors.get(i);
        if (Double.isNaN(v)) {
            return false;
        }
        double capped = Math.min(e, Math.max(0, ceiling - v));
        if (floor > 0) {
            capped = Math.min(capped, Math.max(0, v - floor));
        }
        errors.set(i, capped);
        return capped < e;
    }

    /** Half the interval in the natural unit; 0 when JMH has none (one iteration). */
    private static double halfWidth(NaturalUnits.NaturalUnit unit, BenchmarkResult r) {
        double lo = unit.of(r, r.ciLow());
        double hi = unit.of(r, r.ciHigh());
        return Double.isNaN(lo) || Double.isNaN(hi) ? 0 : Math.abs(hi - lo) / 2;
    }

    /** Draws one whisker, clipped to [floor, ceiling]; true when its top was cut at the ceiling. */
    private static boolean whisker(XYChart chart, String name, double x, NaturalUnits.NaturalUnit unit, BenchmarkResult r,
                                   double floor, double ceiling, Color c, boolean dashed) {
        double lo = unit.of(r, r.ciLow());
        double hi = unit.of(r, r.ciHigh());
        if (Double.isNaN(lo) || Double.isNaN(hi)) {
            return false; // one iteration: JMH has no interval
        }
        lo = Math.min(Math.max(lo, floor), ceiling);
        boolean cut = hi > ceiling;
        hi = Math.min(hi, ceiling);
        XYSeries s = chart.addSeries(name, new double[] {x, x}, new double[] {lo, hi});
        s.setLineColor(c);
        s.setMarker(SeriesMarkers.NONE);
        s.setShowInLegend(false);
        s.setLineStyle(new BasicStroke(dashed ? 1.5f : 2f));
        return cut;
    }

    static Color fade(Color c) {
        // Blend towards white rather than using alpha: XChart's legend and PNG export keep it opaque.
        return new Color((c.getRed() + 2 * 255) / 3, (c.getGreen() + 2 * 255) / 3, (c.getBlue() + 2 * 255) / 3);
    }

    /** 1, 16, 1k, 64k, 1M: short tick labels for sizes and counts. */
    static String compact(double v) {
        double a = Math.abs(v);
        if (a >= 1e9 && a % 1e9 == 0) {
            return (long) (v / 1e9) + "G";
        }
        if (a >= 1e6 && a % 1e6 == 0) {
            return (long) (v / 1e6) + "M";
        }
        if (a >= 1e3 && a % 1e3 == 0) {
            return (long) (v / 1e3) + "k";
        }
        if (v == Math.rint(v)) {
            return Long.toString((long) v);
        }
        return String.format("%.3g", v);
    }

    /** The panels in rows of up to three, on white. */
    static BufferedImage grid(List<BufferedImage> images) {
        if (images.size() == 1) {
            return images.get(0);
        }
        int cols = Math.min(MAX_COLUMNS, images.size());
        int rows = (images.size() + cols - 1) / cols;
        int w = images.stream().mapToInt(BufferedImage::getWidth).max().orElse(PANEL_W);
        int h = images.stream().mapToInt(BufferedImage::getHeight).max().orElse(PANEL_H);
        BufferedImage out = new BufferedImage(cols * w, rows * h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, out.getWidth(), out.getHeight());
        for (int i = 0; i < images.size(); i++) {
            g.drawImage(images.get(i), (i % cols) * w, (i / cols) * h, null);
        }
        g.dispose();
        return out;
    }
}
