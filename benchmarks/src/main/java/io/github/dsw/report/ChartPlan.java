package io.github.dsw.report;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * How one benchmark class's results are laid out in a chart, decided from the data's shape alone (the
 * idea of jmh-visualizer, done here as a pure function so tests can check it):
 * <ul>
 *   <li>the <b>x axis</b> is the numeric dimension with the most values (a {@code @Param} such as a size or a
 *       node count, or JMH's thread count when methods differ only in {@code @Threads}); logarithmic when it
 *       spans more than a decade. Without a numeric dimension, the categorical one with the most values;</li>
 *   <li><b>series</b> (one line each) are the values of the categorical dimension with the most values among
 *       the rest, usually the benchmark method or an algorithm parameter;</li>
 *   <li>every other dimension makes <b>small multiples</b>: one panel per combination of its values.</li>
 * </ul>
 * No axis or legend gets more than {@link #MAX_CATEGORIES} entries: larger sets are split over panels.
 *
 * @param className  the benchmark class (simple name)
 * @param mode       JMH mode shared by every result of the plan
 * @param xDim       the x dimension's name ({@code method}, {@code threads} or a parameter)
 * @param xNumeric   whether x is a numeric axis (else categories at 1, 2, ...)
 * @param xLog       whether the numeric x axis is logarithmic
 * @param seriesDim  the series dimension, or null (one series: this run)
 * @param panelDims  the dimensions that make panels (maybe empty)
 * @param panels     the panels, in order
 */
public record ChartPlan(String className, String mode, String xDim, boolean xNumeric, boolean xLog, String seriesDim,
                        List<String> panelDims, List<Panel> panels) {

    /** At most this many categories on an axis, series in a legend. */
    public static final int MAX_CATEGORIES = 12;

    /** One small multiple: a title (its panel dimensions' values) and its lines. */
    public record Panel(String title, List<Line> lines) {

        /** Distinct x positions in this panel (categories on a categorical axis). */
        public int xCount() {
            return (int) lines.stream().flatMap(l -> l.points().stream()).mapToDouble(Point::x).distinct().count();
        }
    }

    /** One series: its name (a value of the series dimension, or the class name) and its points by x. */
    public record Line(String name, List<Point> points) {
    }

    /** One measurement at position {@code x}, labelled {@code xLabel} (the dimension's value). */
    public record Point(double x, String xLabel, BenchmarkResult result) {
    }

    /** The plans of a class's results: one per JMH mode (a class rarely mixes modes). */
    public static List<ChartPlan> of(String className, List<BenchmarkResult> results) {
        Map<String, List<BenchmarkResult>> byMode = new LinkedHashMap<>();
        results.forEach(r -> byMode.computeIfAbsent(r.mode(), k -> new ArrayList<>()).add(r));
        return byMode.entrySet().stream().map(e -> plan(className, e.getKey(), e.getValue())).toList();
    }

    /** The dimensions of a result: method, each parameter, and the thread count. */
    static Map<String, String> dims(BenchmarkResult r) {
        Map<String, String> d = new LinkedHashMap<>();
        d.put("method", r.method());
        d.putAll(r.params());
        d.put("threads", Integer.toString(r.threads()));
        return d;
    }

    private static ChartPlan plan(String className, String mode, List<BenchmarkResult> rs) {
        Map<String, List<String>> values = new LinkedHashMap<>();
        for (BenchmarkResult r : rs) {
            dims(r).forEach((k, v) -> {
                List<String> vs = values.computeIfAbsent(k, x -> new ArrayList<>());
                if (!vs.contains(v)) {
                    vs.add(v);
                }
            });
        }
        values.replaceAll((k, vs) -> numeric(vs) ? vs.stream().sorted(Comparator.comparingDouble(Double::parseDouble)).toList() : vs);
        List<String> varying = new ArrayList<>(values.keySet().stream().filter(k -> values.get(k).size() > 1).toList());
        // Methods that differ only in @Threads (threads1, threads2, ...): the thread count says it all.
        if (varying.contains("threads") && varying.contains("method") && determines(rs, "method", "threads")) {
            varying.remove("method");
        }
        String x = varying.stream().filter(k -> numeric(values.get(k)))
                .max(Comparator.comparingInt(k -> values.get(k).size())).orElse(null);
        boolean xNumeric = x != null;
        if (x == null) {
            x = varying.stream().max(Comparator.comparingInt(k -> values.get(k).size())).orElse("method");
        }
        List<String> rest = new ArrayList<>(varying);
        rest.remove(x);
        String seriesChoice = null;
        if (xNumeric && !rest.isEmpty()) {
            seriesChoice = rest.stream().filter(k -> !numeric(values.get(k)))
                    .max(Comparator.comparingInt(k -> values.get(k).size()))
                    .orElse(rest.stream().max(Comparator.comparingInt(k -> values.get(k).size())).orElseThrow());
            rest.remove(seriesChoice);
        }
        final String series = seriesChoice;
        boolean xLog = false;
        if (xNumeric) {
            double min = Double.parseDouble(values.get(x).get(0));
            double max = Double.parseDouble(values.get(x).get(values.get(x).size() - 1));
            xLog = min > 0 && max / min > 10;
        }
        List<Panel> panels = new ArrayList<>();
        // Panels: every combination of the remaining dimensions, in the order of their values.
        List<Map<String, String>> combos = new ArrayList<>();
        combos.add(new LinkedHashMap<>());
        for (String d : rest) {
            List<Map<String, String>> next = new ArrayList<>();
            for (Map<String, String> c : combos) {
                for (String v : values.get(d)) {
                    Map<String, String> m = new LinkedHashMap<>(c);
                    m.put(d, v);
                    next.add(m);
                }
            }
            combos = next;
        }
        List<String> xValues = values.get(x);
        for (Map<String, String> combo : combos) {
            List<BenchmarkResult> in = rs.stream().filter(r -> matches(r, combo)).toList();
            if (in.isEmpty()) {
                continue;
            }
            String title = combo.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                    .reduce((a, b) -> a + ", " + b).orElse("");
            List<String> seriesValues = series == null ? List.of(className) : values.get(series).stream()
                    .filter(v -> in.stream().anyMatch(r -> v.equals(dims(r).get(series)))).toList();
            // Split categories over panels of at most MAX_CATEGORIES.
            final String fx0 = x;
            List<List<String>> xChunks = xNumeric ? List.of(xValues) : chunks(xValues.stream()
                    .filter(v -> in.stream().anyMatch(r -> v.equals(dims(r).get(fx0)))).toList());
            List<List<String>> sChunks = chunks(seriesValues);
            for (List<String> xc : xChunks) {
                for (List<String> sc : sChunks) {
                    List<Line> lines = new ArrayList<>();
                    for (String s : sc) {
                        List<Point> pts = new ArrayList<>();
                        for (int i = 0; i < xc.size(); i++) {
                            String xv = xc.get(i);
                            final String fx = x;
                            in.stream().filter(r -> xv.equals(dims(r).get(fx)))
                                    .filter(r -> series == null || s.equals(dims(r).get(series)))
                                    .findFirst()
                                    .ifPresent(r -> pts.add(new Point(0, xv, r)));
                        }
                        List<Point> placed = new ArrayList<>();
                        for (Point p : pts) {
                            double px = xNumeric ? Double.parseDouble(p.xLabel()) : xc.indexOf(p.xLabel()) + 1;
                            placed.add(new Point(px, p.xLabel(), p.result()));
                        }
                        if (!placed.isEmpty()) {
                            lines.add(new Line(s, placed));
                        }
                    }
                    String t = title;
                    if (xChunks.size() > 1) {
                        t = join(t, x + " " + (xChunks.indexOf(xc) + 1) + "/" + xChunks.size());
                    }
                    if (sChunks.size() > 1) {
                        t = join(t, (series == null ? "series" : series) + " " + (sChunks.indexOf(sc) + 1) + "/" + sChunks.size());
                    }
                    if (!lines.isEmpty()) {
                        panels.add(new Panel(t, lines));
                    }
                }
            }
        }
        return new ChartPlan(className, mode, x, xNumeric, xLog, series, List.copyOf(rest), List.copyOf(panels));
    }

    private static String join(String a, String b) {
        return a.isEmpty() ? b : a + ", " + b;
    }

    private static List<List<String>> chunks(List<String> vs) {
        List<List<String>> out = new ArrayList<>();
        int n = (vs.size() + MAX_CATEGORIES - 1) / MAX_CATEGORIES;
        if (n <= 1) {
            out.add(vs);
            return out;
        }
        int per = (vs.size() + n - 1) / n; // balanced: 13 becomes 7 + 6, not 12 + 1
        for (int i = 0; i < vs.size(); i += per) {
            out.add(vs.subList(i, Math.min(vs.size(), i + per)));
        }
        return out;
    }

    private static boolean matches(BenchmarkResult r, Map<String, String> combo) {
        Map<String, String> d = dims(r);
        return combo.entrySet().stream().allMatch(e -> Objects.equals(d.get(e.getKey()), e.getValue()));
    }

    /** Whether each value of {@code a} occurs with exactly one value of {@code b}, and vice versa. */
    private static boolean determines(List<BenchmarkResult> rs, String a, String b) {
        Map<String, Set<String>> ab = new LinkedHashMap<>();
        Map<String, Set<String>> ba = new LinkedHashMap<>();
        for (BenchmarkResult r : rs) {
            Map<String, String> d = dims(r);
            ab.computeIfAbsent(d.get(a), k -> new LinkedHashSet<>()).add(d.get(b));
            ba.computeIfAbsent(d.get(b), k -> new LinkedHashSet<>()).add(d.get(a));
        }
        return ab.values().stream().allMatch(s -> s.size() == 1) && ba.values().stream().allMatch(s -> s.size() == 1);
    }

    static boolean numeric(List<String> vs) {
        for (String v : vs) {
            try {
                double d = Double.parseDouble(v);
                if (Double.isNaN(d) || Double.isInfinite(d)) {
                    return false;
                }
            } catch (NumberFormatException e) {
                return false;
            }
        }
        return !vs.isEmpty();
    }

    /** The x axis title: the dimension, with "(log scale)" when logarithmic. */
    public String xTitle() {
        return xDim + (xLog ? " (log scale)" : "");
    }

    /** The largest number of x categories or series in any panel: what a reader has to tell apart. */
    public int maxCategories() {
        return panels.stream().mapToInt(p -> Math.max(p.lines().size(), xNumeric ? 0 : p.xCount())).max().orElse(0);
    }
}
