package io.github.dsw.cli;

import io.github.dsw.report.Comparison;
import io.github.dsw.report.RunResults;
import io.github.dsw.report.Table;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** {@code ./dsw compare A B}: two result folders side by side with speed ratios and intervals. */
final class CompareCommand implements Command {

    @Override
    public String name() {
        return "compare";
    }

    @Override
    public String summary() {
        return "put two result folders side by side: speed ratio B/A with its interval";
    }

    @Override
    public String help() {
        return """
                usage: ./dsw compare RUN_A RUN_B [--only REGEX] [--markdown FILE] [--chart FILE] [--allow-incomplete]

                For every measurement in both runs (same benchmark, mode, threads and params) prints the
                scores, the speed ratio B/A (above 1: B faster, whatever the mode) and a conservative
                interval from the two 99.9 % confidence intervals; "faster"/"slower" only when the interval
                excludes 1 (those rows are flagged with *).

                options:
                  --only REGEX      only benchmarks whose full name matches REGEX
                  --markdown FILE   also write the table as Markdown to FILE (checked before anything is read)
                  --chart FILE      also draw the ratios as a PNG chart: each ratio with its interval,
                                    a line at 1.0, coloured where the interval excludes 1 (checked first too)
                  --allow-incomplete  accept a run without the 'complete' marker (interrupted or still running)
                """;
    }

    @Override
    public int run(List<String> argv) throws Exception {
        Args a = Args.forCommand(name()).option("only").option("markdown").option("chart").flag("allow-incomplete").parse(argv)
                .expectPositional(2, 2, "two run folders, RUN_A RUN_B");
        Path pa = Workbench.userPath(a.positional().get(0));
        Path pb = Workbench.userPath(a.positional().get(1));
        OutputPaths outputs = OutputPaths.forCommand(name())
                .input("RUN_A's " + RunResults.RESULTS_FILE, pa.resolve(RunResults.RESULTS_FILE))
                .input("RUN_A's " + RunResults.PROVENANCE_FILE, pa.resolve(RunResults.PROVENANCE_FILE))
                .input("RUN_B's " + RunResults.RESULTS_FILE, pb.resolve(RunResults.RESULTS_FILE))
                .input("RUN_B's " + RunResults.PROVENANCE_FILE, pb.resolve(RunResults.PROVENANCE_FILE));
        Path md = outputs.file("--markdown", a.get("markdown"));
        Path png = outputs.file("--chart", a.get("chart"));
        RunFolder.requireComplete(name(), pa, a.has("allow-incomplete"), System.err);
        RunFolder.requireComplete(name(), pb, a.has("allow-incomplete"), System.err);
        RunResults ra = RunResults.load(pa);
        RunResults rb = RunResults.load(pb);
        var rows = Comparison.of(ra, rb);
        if (a.get("only") != null) {
            java.util.regex.Pattern p;
            try {
                p = java.util.regex.Pattern.compile(a.get("only"));
            } catch (java.util.regex.PatternSyntaxException e) {
                throw new UsageException("compare: --only is not a valid regular expression: " + e.getDescription());
            }
            rows = rows.stream().filter(r -> p.matcher(r.b().benchmark()).find()).toList();
        }
        if (rows.isEmpty()) { // nothing to compare is an input problem, not a verdict
            throw new UsageException(name() + ": the two runs share no measurement (same benchmark, mode, threads, params)");
        }
        System.out.println("A = " + pa.getFileName() + ": " + ra.provenance().summary());
        System.out.println("B = " + pb.getFileName() + ": " + rb.provenance().summary());
        Table t = Comparison.table(rows, "A", "B");
        System.out.print(t.text());
        if (md != null) {
            Files.writeString(md, "A = " + pa.getFileName() + ", B = " + pb.getFileName() + "\n\n" + t.markdown());
            System.out.println("markdown: " + md);
        }
        if (png != null) {
            io.github.dsw.report.CompareChart.draw(rows, pa.getFileName().toString(), pb.getFileName().toString(), png);
            System.out.println("chart: " + png + " (measurements numbered on its axis:)");
            io.github.dsw.report.CompareChart.keyOf(rows).forEach(k -> System.out.println("  " + k));
        }
        return 0;
    }
}
