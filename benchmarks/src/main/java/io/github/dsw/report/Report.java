package io.github.dsw.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Renders a run folder: {@code report.md} (provenance, one table per benchmark class with the
 * reference machine's score and the ratio to it) and {@code charts/<Class>.png} (this run beside the
 * reference, with 99.9 % confidence half-widths as error bars). Ratios are "this run / reference" for
 * throughput and "reference / this run" for time per operation, so above 1 always means this machine
 * was faster.
 */
public final class Report {

    private Report() {
    }

    /** Writes report.md and charts into {@code run.dir()}; returns the console table. */
    public static String write(RunResults run, References refs) throws IOException {
        Map<String, List<BenchmarkResult>> byClass = new TreeMap<>();
        for (BenchmarkResult r : run.results()) {
            byClass.computeIfAbsent(r.benchmark().substring(0, r.benchmark().lastIndexOf('.')), k -> new ArrayList<>()).add(r);
        }
        StringBuilder md = new StringBuilder();
        md.append("# Benchmark report: ").append(run.dir().getFileName()).append("\n\n");
        Provenance p = run.provenance();
        md.append("- Machine: ").append(p.host()).append(" — ").append(p.summary()).append('\n');
        md.append("- OS: ").append(p.os()).append("; VM: ").append(p.vm()).append('\n');
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
            }
        }
        md.append("\nScores carry JMH's 99.9 % confidence half-width. \"vs ref\" is the speed ratio of this run to ")
          .append("the reference run (above 1: this machine was faster). Numbers from one run on a shared machine ")
          .append("are noisy: compare ratios measured in the same run, not absolute scores across machines.\n");
        StringBuilder console = new StringBuilder();
        Path charts = run.dir().resolve("charts");
        for (var e : byClass.entrySet()) {
            String cls = e.getKey().substring(e.getKey().lastIndexOf('.') + 1);
            Table t = new Table("benchmark", "params", "mode", "score", "± error", "unit", "reference", "vs ref");
            List<String> labels = new ArrayList<>();
            List<Double> mine = new ArrayList<>();
            List<Double> mineErr = new ArrayList<>();
            List<Double> ref = new ArrayList<>();
            List<Double> refErr = new ArrayList<>();
            String unit = e.getValue().get(0).unit();
            boolean mixedUnits = false;
            for (BenchmarkResult r : e.getValue()) {
                var reference = refs.find(r);
                double refScore = reference.map(x -> x.result().score()).orElse(Double.NaN);
                t.row(r.method(), r.paramString().isEmpty() ? "-" : r.paramString(), r.mode(), Table.num(r.score()),
                        Table.num(r.scoreError()), r.unit(), Table.num(refScore),
                        Double.isNaN(refScore) ? "-" : String.format("%.2fx", speedRatio(r, refScore)));
                mixedUnits |= !r.unit().equals(unit);
                labels.add(r.method() + (r.paramString().isEmpty() ? "" : " " + r.paramString()));
                mine.add(r.score());
                mineErr.add(r.scoreError());
                ref.add(refScore);
                refErr.add(reference.map(x -> x.result().scoreError()).orElse(Double.NaN));
            }
            md.append("\n## ").append(cls).append("\n\n").append(t.markdown());
            console.append('\n').append(cls).append('\n').append(t.text());
            if (!mixedUnits) {
                Map<String, List<Double>> series = new LinkedHashMap<>();
                Map<String, List<Double>> errors = new LinkedHashMap<>();
                series.put("this run (" + p.host() + ")", mine);
                errors.put("this run (" + p.host() + ")", mineErr);
                if (ref.stream().anyMatch(v -> !v.isNaN())) {
                    series.put("reference", ref);
                    errors.put("reference", refErr);
                }
                Charts.savePng(Charts.bars(cls, unit, labels, series, errors), charts.resolve(cls + ".png"));
                md.append("\n![").append(cls).append("](charts/").append(cls).append(".png)\n");
            }
        }
        Files.writeString(run.dir().resolve("report.md"), md.toString());
        return console.toString();
    }

    /** Above 1 when {@code r} is faster than a score of {@code other} in the same mode. */
    static double speedRatio(BenchmarkResult r, double other) {
        return r.higherIsBetter() ? r.score() / other : other / r.score();
    }
}
