package io.github.dsw.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Renders a run folder: {@code report.md} and {@code report.html} (the same content, self-contained, see
 * {@link HtmlReport}) and {@code charts/<Class>.png}. Per benchmark class: a table with JMH's raw score and
 * interval, the value in the class's {@link NaturalUnits natural unit}, the reference machine's value and the
 * speed ratio to it with an interval; and a chart laid out by {@link ChartPlan} (numeric parameter on x,
 * methods as series, other parameters as panels, the reference faded). Ratios are "this run / reference" for
 * throughput and "reference / this run" for time per operation, so above 1 always means this machine was
 * faster.
 */
public final class Report {

    /** The rendered report: the console table, and per class its section (for the HTML and for tests). */
    public record Rendered(String console, List<Section> sections) {
    }

    /**
     * One benchmark class: its topic (the package under {@code bench}), table, unit note and charts.
     */
    public record Section(String topic, String className, String unitNote, Table table, List<BenchmarkCharts.Drawn> charts) {
    }

    private Report() {
    }

    /** Writes report.md, report.html and charts into {@code run.dir()}; returns the console table. */
    public static String write(RunResults run, References refs) throws IOException {
        return render(run, refs).console();
    }

    /** Like {@link #write} and returns what it wrote. */
    public static Rendered render(RunResults run, References refs) throws IOException {
        Map<String, Map<String, List<BenchmarkResult>>> byTopic = new TreeMap<>();
        for (BenchmarkResult r : run.results()) {
            byTopic.computeIfAbsent(topic(r), k -> new TreeMap<>()).computeIfAbsent(r.className(), k -> new ArrayList<>()).add(r);
        }
        StringBuilder md = new StringBuilder();
        md.append("# Benchmark report: ").append(run.dir().getFileName()).append("\n\n");
        provenance(md, run, refs);
        md.append("\nScores carry JMH's 99.9 % confidence interval. \"vs ref\" is the speed ratio of this run to ")
          .append("the reference run, with an interval from both runs' confidence intervals (above 1: this machine ")
          .append("was faster; a ratio is marked * when its interval excludes 1). Numbers from one run on a shared ")
          .append("machine are noisy: compare ratios measured in the same run, not absolute scores across machines.\n");
        StringBuilder console = new StringBuilder();
        Path charts = run.dir().resolve("charts");
        List<Section> sections = new ArrayList<>();
        for (var topic : byTopic.entrySet()) {
            md.append("\n## ").append(topic.getKey()).append("\n");
            for (var e : topic.getValue().entrySet()) {
                String cls = e.getKey();
                BenchmarkResult first = e.getValue().get(0);
                NaturalUnits.NaturalUnit nu = NaturalUnits.of(first);
                boolean converts = NaturalUnits.converts(first);
                Table t = converts
                        ? new Table("benchmark", "params", "mode", nu.label(), "JMH score", "± error", "JMH unit", "reference (" + nu.label() + ")", "vs ref", "interval")
                        : new Table("benchmark", "params", "mode", "JMH score", "± error", "JMH unit", "reference", "vs ref", "interval");
                for (BenchmarkResult r : e.getValue()) {
                    var reference = refs.find(r);
                    NaturalUnits.NaturalUnit u = NaturalUnits.of(r);
                    String refCell = reference.map(x -> Table.num(converts ? u.of(x.result(), x.result().score()) : x.result().score())).orElse("-");
                    String vs = "-";
                    String interval = "-";
                    if (reference.isPresent()) {
                        Comparison.Row row = Comparison.row(reference.get().result(), r);
                        boolean excludes = row.ratioLow() > 1 || row.ratioHigh() < 1;
                        vs = String.format("%.2fx", row.ratio()) + (excludes ? " *" : "");
                        interval = Double.isNaN(row.ratioLow()) ? "n/a" : String.format("[%.2f, %.2f]", row.ratioLow(), row.ratioHigh());
                    }
                    String params = r.paramString().isEmpty() ? "-" : r.paramString();
                    if (converts) {
                        t.row(r.method(), params, r.mode(), Table.num(u.of(r, r.score())), Table.num(r.score()),
                                Table.num(r.scoreError()), r.unit(), refCell, vs, interval);
                    } else {
                        t.row(r.method(), params, r.mode(), Table.num(r.score()), Table.num(r.scoreError()), r.unit(),
                                refCell, vs, interval);
                    }
                }
                String unitNote = converts ? "Values in " + nu.label() + ": " + nu.meaning() + ". JMH's raw score is beside them."
                        : "Values in JMH's unit (" + first.unit() + ").";
                md.append("\n### ").append(cls).append("\n\n").append(unitNote).append("\n\n").append(t.markdown());
                console.append('\n').append(cls).append('\n').append(t.text());
                List<BenchmarkCharts.Drawn> drawn = new ArrayList<>();
                List<ChartPlan> plans = ChartPlan.of(cls, e.getValue());
                for (ChartPlan plan : plans) {
                    if (plan.panels().isEmpty()) {
                        continue; // nothing to draw (e.g. a class whose benchmarks take disjoint parameters); the table has it
                    }
                    String file = cls + (plans.size() > 1 ? "-" + plan.mode() : "") + ".png";
                    BenchmarkCharts.Drawn d = BenchmarkCharts.draw(plan, refs, charts, file);
                    drawn.add(d);
                    md.append("\n![").append(cls).append(": ").append(d.yTitle()).append(" by ").append(d.xTitle())
                      .append("](charts/").append(file).append(")\n");
                }
                sections.add(new Section(topic.getKey(), cls, unitNote, t, drawn));
            }
        }
        Files.writeString(run.dir().resolve("report.md"), md.toString());
        HtmlReport.write(run, refs, sections, run.dir().resolve("report.html"));
        return new Rendered(console.toString(), sections);
    }

    private static void provenance(StringBuilder md, RunResults run, References refs) {
        Provenance p = run.provenance();
        md.append("- Machine: ").append(p.host()).append(" — ").append(p.summary()).append('\n');
        md.append("- OS: ").append(p.os()).append("; VM: ").append(p.vm()).append('\n');
        md.append("- CPU features: ").append(p.cpuFeaturesText()).append('\n');
        md.append("- Suite: ").append(p.suite()).append("; JMH options: ").append(p.jmhOptions()).append('\n');
        if (!p.note().isBlank()) {
            md.append("- Note: ").append(p.note()).append('\n');
        }
        List<RunResults> refRuns = refs.runs();
        if (refRuns.isEmpty()) {
            md.append("- Reference: none found under datasets/results/\n");
        } else {
            md.append("- Reference runs compared with (datasets/results/):\n");
            for (RunResults rr : refRuns) {
                md.append("  - ").append(rr.dir().getFileName()).append(": ").append(rr.provenance().summary()).append('\n');
                if (p.differentCpuFeatures(rr.provenance())) {
                    md.append("    - **other CPU features** (").append(rr.provenance().cpuFeaturesText())
                      .append("): its ratios compare hardware, not code\n");
                }
            }
        }
    }

    /** The package under {@code bench.} ({@code checksum}, {@code lock}, ...), or "other". */
    static String topic(BenchmarkResult r) {
        String[] parts = r.benchmark().split("\\.");
        for (int i = 0; i + 3 < parts.length + 1; i++) {
            if (parts[i].equals("bench") && i + 2 < parts.length) {
                return parts[i + 1];
            }
        }
        return "other";
    }

    /** Above 1 when {@code r} is faster than a score of {@code other} in the same mode. */
    static double speedRatio(BenchmarkResult r, double other) {
        return r.higherIsBetter() ? r.score() / other : other / r.score();
    }
}
