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
                usage: ./dsw report [RUN_DIR] [--allow-incomplete] [--open]

                Reads RUN_DIR/results.json and RUN_DIR/provenance.json and rewrites RUN_DIR/report.md,
                RUN_DIR/report.html (self-contained: charts inlined, opens without a network) and
                RUN_DIR/charts/*.png, beside the reference results committed in datasets/results/.
                Without RUN_DIR: the newest folder under datasets/runs/. A run without the 'complete' marker
                (its bench was interrupted or is still running) is refused unless --allow-incomplete.

                options:
                  --allow-incomplete  render a run without the 'complete' marker (one warning line)
                  --open              open report.html in the desktop's browser (xdg-open, or open on macOS)
                """;
    }

    @Override
    public int run(List<String> argv) throws Exception {
        Args a = Args.forCommand(name()).flag("allow-incomplete").flag("open").parse(argv).expectPositional(0, 1, "at most one run folder");
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
        Path html = dir.resolve("report.html");
        System.out.println("html:   " + html.toUri());
        if (a.has("open")) {
            open(html);
        }
        return 0;
    }

    /** Hands the page to the desktop's opener; says so, with the URL, when there is none. */
    private static void open(Path html) {
        for (String opener : java.util.List.of("xdg-open", "open")) {
            try {
                Process p = new ProcessBuilder(opener, html.toUri().toString()).redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
                if (p.waitFor(10, java.util.concurrent.TimeUnit.SECONDS) && p.exitValue() == 0) {
                    System.out.println("report: opened " + html.toUri() + " with " + opener);
                    return;
                }
            } catch (java.io.IOException e) {
                // no such opener: try the next
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        System.out.println("report: no desktop opener (xdg-open) here; open " + html.toUri() + " in a browser");
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
