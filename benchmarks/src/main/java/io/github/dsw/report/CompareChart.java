package io.github.dsw.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The chart of {@code ./dsw compare}: per measurement, the speed ratio B/A as a point with its interval as a
 * whisker, and a line at 1.0 (no change). Points whose interval excludes 1 are coloured (green: B faster,
 * red: B slower); the others are grey. At most {@link ChartPlan#MAX_CATEGORIES} measurements per panel.
 */
public final class CompareChart {

    static final Color FASTER = new Color(0x2E7D32);
    static final Color SLOWER = new Color(0xC62828);
    static final Color SAME = new Color(0x757575);

    private CompareChart() {
    }

    /** Whether the row's interval excludes 1 (a change the intervals support). */
    public static boolean flagged(Comparison.Row r) {
        return r.ratioLow() > 1 || r.ratioHigh() < 1;
    }

    /** A short label: Class.method and the parameter values. */
    static String label(Comparison.Row r) {
        String params = String.join(",", r.b().params().values());
        String s = r.b().shortName() + (params.isEmpty() ? "" : " " + params);
        return s;
    }

    /** What each number on the chart's axis stands for, one line each: {@code #3 Class.method params}. */
    public static List<String> keyOf(List<Comparison.Row> rows) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            out.add("#" + (i + 1) + " " + label(rows.get(i)) + (flagged(rows.get(i)) ? "  *" : ""));
        }
        return out;
    }

    /** Draws the rows into {@code file}; returns the number of panels. */
    public static int draw(List<Comparison.Row> rows, String nameA, String nameB, Path file) throws IOException {
        List<BufferedImage> images = new ArrayList<>();
        int per = ChartPlan.MAX_CATEGORIES;
        int panels = (rows.size() + per - 1) / per;
        int size = (rows.size() + panels - 1) / panels;
        double lo = rows.stream().mapToDouble(r -> Double.isNaN(r.ratioLow()) ? r.ratio() : r.ratioLow()).min().orElse(1);
        double hi = rows.stream().mapToDouble(r -> Double.isNaN(r.ratioHigh()) ? r.ratio() : r.ratioHigh()).max().orElse(1);
        boolean log = lo > 0 && hi / lo > 10;
        for (int p = 0; p < panels; p++) {
            List<Comparison.Row> part = rows.subList(p * size, Math.min(rows.size(), (p + 1) * size));
            XYChart chart = new XYChart(Charts.WIDTH, Charts.HEIGHT + 100);
            chart.setTitle("Speed ratio B/A (above 1: B faster)" + (panels > 1 ? " — " + (p + 1) + "/" + panels : ""));
            chart.setXAxisTitle("measurement (A = " + nameA + ", B = " + nameB + ")");
            chart.setYAxisTitle("speed ratio B/A" + (log ? " (log scale)" : ""));
            var st = chart.getStyler();
            st.setChartBackgroundColor(Color.WHITE);
            st.setPlotGridLinesVisible(true);
            st.setAntiAlias(true);
            st.setLegendPosition(Styler.LegendPosition.OutsideS);
            st.setLegendLayout(Styler.LegendLayout.Horizontal);
            st.setYAxisLogarithmic(log);
            st.setXAxisMin(0.5);
            st.setXAxisMax(part.size() + 0.5);
            st.setXAxisLabelRotation(0);
            st.setXAxisTickMarkSpacingHint(20);
            if (!log) {
                st.setYAxisMin(Math.min(0.9, lo * 0.95));
                st.setYAxisMax(Math.max(1.1, hi * 1.05));
            }
            // Numbers on the axis (long names would be thinned out by XChart); keyOf() lists what each one is.
            int offset = p * size;
            List<String> labels = java.util.stream.IntStream.range(0, part.size()).mapToObj(i -> "#" + (offset + i + 1)).toList();
            chart.setCustomXAxisTickLabelsFormatter(v -> {
                long i = Math.round(v);
                // XChart 3.8.8 gives up on ticks whose labels are empty or repeat: between categories, a unique
                // run of figure spaces (invisible) stands in.
                return Math.abs(v - i) < 1e-6 && i >= 1 && i <= labels.size() ? labels.get((int) i - 1)
                        : "\u2007".repeat(1 + (int) Math.abs(Math.round(v * 100) % 7));
            });
            st.setPlotGridVerticalLinesVisible(false);
            XYSeries one = chart.addSeries("no change (1.0)", new double[] {0.5, part.size() + 0.5}, new double[] {1, 1});
            one.setLineColor(Color.BLACK);
            one.setMarker(SeriesMarkers.NONE);
            one.setLineStyle(new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10f, new float[] {6f, 4f}, 0f));
            for (String kind : List.of("B faster (interval above 1)", "B slower (interval below 1)", "within the interval")) {
                List<double[]> pts = new ArrayList<>();
                for (int i = 0; i < part.size(); i++) {
                    Comparison.Row r = part.get(i);
                    String k = r.ratioLow() > 1 ? "B faster (interval above 1)" : r.ratioHigh() < 1 ? "B slower (interval below 1)" : "within the interval";
                    if (k.equals(kind)) {
                        pts.add(new double[] {i + 1, r.ratio()});
                    }
                }
                if (pts.isEmpty()) {
                    continue;
                }
                Color c = kind.startsWith("B faster") ? FASTER : kind.startsWith("B slower") ? SLOWER : SAME;
                XYSeries s = chart.addSeries(kind, pts.stream().mapToDouble(a -> a[0]).toArray(), pts.stream().mapToDouble(a -> a[1]).toArray());
                s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
                s.setMarker(SeriesMarkers.CIRCLE);
                s.setMarkerColor(c);
            }
            for (int i = 0; i < part.size(); i++) {
                Comparison.Row r = part.get(i);
                if (Double.isNaN(r.ratioLow())) {
                    continue;
                }
                Color c = r.ratioLow() > 1 ? FASTER : r.ratioHigh() < 1 ? SLOWER : SAME;
                XYSeries w = chart.addSeries("interval " + i, new double[] {i + 1, i + 1}, new double[] {r.ratioLow(), r.ratioHigh()});
                w.setLineColor(c);
                w.setMarker(SeriesMarkers.NONE);
                w.setShowInLegend(false);
                w.setLineStyle(new BasicStroke(2f));
            }
            images.add(BitmapEncoder.getBufferedImage(chart));
        }
        Path parent = file.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        ImageIO.write(BenchmarkCharts.grid(images.size() > 1 ? images : images), "png", file.toFile());
        return panels;
    }
}
