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
                        boolean hasReference) {
    }

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
        String yTitle = "";
        for (ChartPlan.Panel panel : plan.panels()) {
            BenchmarkResult first = panel.lines().get(0).points().get(0).result();
            NaturalUnits.NaturalUnit unit = NaturalUnits.of(first);
            yTitle = unit.label();
            boolean single = plan.panels().size() == 1;
            if (!plan.xNumeric()) {
                CategoryChart cc = categories(plan, panel, unit, refs, single);
                anyRef |= cc.getSeriesMap().size() > 1;
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
            List<Double> ys = new ArrayList<>();
            panel.lines().forEach(l -> l.points().forEach(p -> ys.add(unit.of(p.result(), p.result().score()))));
            double minY = ys.stream().filter(v -> v > 0).mapToDouble(Double::doubleValue).min().orElse(1);
            double maxY = ys.stream().mapToDouble(Double::doubleValue).max().orElse(1);
            boolean yLog = minY > 0 && maxY / minY > 100;
            st.setYAxisLogarithmic(yLog);
            double floor = yLog ? minY / 4 : 0; // whiskers are clipped here: zero, or the bottom of a log axis
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
                    whisker(chart, "ci" + w++, p.x() + shift, unit, p.result(), floor, c, false);
                }
                // The reference run: the same measurement, faded, dashed, a little to the right on categories.
                List<double[]> refPts = new ArrayList<>();
                for (ChartPlan.Point p : line.points()) {
                    Optional<References.Reference> ref = refs.find(p.result());
                    if (ref.isPresent()) {
                        double rx = plan.xNumeric() ? p.x() : p.x() + 0.2;
                        refPts.add(new double[] {rx, unit.of(ref.get().result(), ref.get().result().score())});
                        whisker(chart, "ci" + w++, rx, unit, ref.get().result(), floor, fade(c), true);
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
            if (anyRef) {
                chart.setTitle(title + "  (faded: reference run)");
            }
            images.add(BitmapEncoder.getBufferedImage(chart));
        }
        Files.createDirectories(dir);
        ImageIO.write(grid(images), "png", dir.resolve(fileName).toFile());
        return new Drawn(fileName, plan.className(), plan.xTitle(), yTitle, plan.panels().size(), plan.maxCategories(), anyRef);
    }

    /**
     * A categorical panel: this run's value per category as a dot with its interval as an error bar (the axis
     * starts at zero, so an interval reaching below zero is clipped there), the reference faded beside it.
     */
    private static CategoryChart categories(ChartPlan plan, ChartPlan.Panel panel, NaturalUnits.NaturalUnit unit,
                                            References refs, boolean single) {
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

    /** Half the interval in the natural unit; 0 when JMH has none (one iteration). */
    private static double halfWidth(NaturalUnits.NaturalUnit unit, BenchmarkResult r) {
        double lo = unit.of(r, r.ciLow());
        double hi = unit.of(r, r.ciHigh());
        return Double.isNaN(lo) || Double.isNaN(hi) ? 0 : Math.abs(hi - lo) / 2;
    }

    private static void whisker(XYChart chart, String name, double x, NaturalUnits.NaturalUnit unit, BenchmarkResult r,
                                double floor, Color c, boolean dashed) {
        double lo = unit.of(r, r.ciLow());
        double hi = unit.of(r, r.ciHigh());
        if (Double.isNaN(lo) || Double.isNaN(hi)) {
            return; // one iteration: JMH has no interval
        }
        lo = Math.max(lo, floor);
        XYSeries s = chart.addSeries(name, new double[] {x, x}, new double[] {lo, hi});
        s.setLineColor(c);
        s.setMarker(SeriesMarkers.NONE);
        s.setShowInLegend(false);
        s.setLineStyle(new BasicStroke(dashed ? 1.5f : 2f));
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
