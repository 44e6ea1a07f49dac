package io.github.dsw.cli;

import io.github.dsw.report.References;
import io.github.dsw.report.Report;
import io.github.dsw.report.RunResults;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/** {@code ./dsw report}: re-renders report.md and the charts of an existing run folder. */
final class ReportCommand implements Command {

    @Override
    public String name() {
        return "report";
    }

    @Override
    public String summary() {
        return "re-render report.md and charts of a run folder (default: your newest run)";
    }

    @Override
    public String help() {
        return """
                usage: ./dsw report [RUN_DIR] [--allow-incomplete]

                Reads RUN_DIR/results.json and RUN_DIR/provenance.json and rewrites RUN_DIR/report.md and
                RUN_DIR/charts/*.png, beside the reference results committed in datasets/results/.
                Without RUN_DIR: the newest folder under datasets/runs/. A run without the 'complete' marker
                (its bench was interrupted or is still running) is refused unless --allow-incomplete.
                """;
    }

    @Override
    public int run(List<String> argv) throws Exception {
        Args a = Args.forCommand(name()).flag("allow-incomplete").parse(argv).expectPositional(0, 1, "at most one run folder");
        Path dir = a.positional().isEmpty() ? newestRun() : Workbench.userPath(a.positional().get(0));
        RunFolder.requireComplete(name(), dir, a.has("allow-incomplete"), System.err);
        RunResults run = RunResults.load(dir);
        OutputPaths outputs = OutputPaths.forCommand(name())
                .input("the run's " + RunResults.RESULTS_FILE, dir.resolve(RunResults.RESULTS_FILE))
                .input("the run's " + RunResults.PROVENANCE_FILE, dir.resolve(RunResults.PROVENANCE_FILE));
        outputs.file("the report", dir.resolve("report.md"));
        outputs.folder("the charts folder", dir.resolve("charts"));
        System.out.print(Report.write(run, References.load(Workbench.referenceResults(), dir)));
        System.out.println("report: " + dir.resolve("report.md"));
        return 0;
    }

    private static Path newestRun() throws java.io.IOException {
        Path runs = Workbench.runs();
        if (Files.isDirectory(runs)) {
            try (Stream<Path> s = Files.list(runs)) {
                var newest = s.filter(d -> Files.isRegularFile(d.resolve(RunResults.RESULTS_FILE)))
                        .max(Comparator.comparing(d -> d.toFile().lastModified()));
                if (newest.isPresent()) {
                    return newest.get();
                }
            }
        }
        throw new UsageException("report: no run under " + runs + " yet; run ./dsw bench first or name a folder");
    }
}
