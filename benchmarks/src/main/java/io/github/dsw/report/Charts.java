package io.github.dsw.report;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.Styler;

/**
 * The chart helpers shared by reports and notebooks, so every chart in the workbench looks alike.
 * In a notebook: {@code display(Charts.image(chart))}.
 */
public final class Charts {

    public static final int WIDTH = 900;
    public static final int HEIGHT = 500;

    private Charts() {
    }

    /**
     * Grouped bars with error bars: one group per label, one bar per series.
     *
     * @param series name to values (one per label, {@code NaN} for "no value")
     * @param errors name to half-widths of the error bars (may lack a series: no error bars for it)
     */
    public static CategoryChart bars(String title, String yTitle, List<String> labels,
                                     Map<String, List<Double>> series, Map<String, List<Double>> errors) {
        CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(HEIGHT).title(title)
                .yAxisTitle(yTitle).build();
        style(chart.getStyler());
        chart.getStyler().setXAxisLabelRotation(labels.size() > 4 ? 30 : 0);
        chart.getStyler().setErrorBarsColor(Color.DARK_GRAY);
        for (var e : series.entrySet()) {
            List<Double> ys = e.getValue().stream().map(v -> v == null || v.isNaN() ? 0.0 : v).toList();
            List<Double> err = errors.get(e.getKey());
            if (err != null) {
                chart.addSeries(e.getKey(), labels, ys, err.stream().map(v -> v == null || v.isNaN() ? 0.0 : v).toList());
            } else {
                chart.addSeries(e.getKey(), labels, ys);
            }
        }
        return chart;
    }

    /** An empty line chart with the workbench's style; add series with {@code chart.addSeries}. */
    public static XYChart lines(String title, String xTitle, String yTitle) {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle(xTitle)
                .yAxisTitle(yTitle).build();
        style(chart.getStyler());
        return chart;
    }

    private static void style(Styler s) {
        s.setLegendPosition(Styler.LegendPosition.InsideNE);
        s.setChartBackgroundColor(Color.WHITE);
        if (s instanceof org.knowm.xchart.style.AxesChartStyler a) {
            a.setPlotGridLinesVisible(true);
        }
        s.setAntiAlias(true);
    }

    /** The chart as an image ({@code display(...)} in a notebook shows it). */
    public static BufferedImage image(Chart<?, ?> chart) {
        return BitmapEncoder.getBufferedImage(chart);
    }

    /** Writes the chart as a PNG file, creating folders as needed. */
    public static void savePng(Chart<?, ?> chart, Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
    }
}
