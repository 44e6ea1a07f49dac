package io.github.dsw.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The committed reference runs under {@code datasets/results/}: for any measurement key, the newest
 * reference result, so a report can show the user's machine beside ours.
 */
public final class References {

    /** A reference value and the run it came from. */
    public record Reference(BenchmarkResult result, RunResults run) {
    }

    private final Map<String, Reference> newestByKey = new HashMap<>();
    private final List<RunResults> runs;

    private References(List<RunResults> runs) {
        this.runs = runs;
        for (RunResults run : runs) { // oldest first, so newer runs overwrite
            for (BenchmarkResult r : run.results()) {
                newestByKey.put(r.key(), new Reference(r, run));
            }
        }
    }

    /**
     * Loads every run folder (a folder holding results.json) under {@code resultsRoot}, except
     * {@code exclude} (the run being reported, when it is itself a reference run). A missing root
     * gives no references.
     */
    public static References load(Path resultsRoot, Path exclude) throws IOException {
        List<RunResults> runs = new ArrayList<>();
        if (Files.isDirectory(resultsRoot)) {
            try (Stream<Path> s = Files.list(resultsRoot)) {
                for (Path dir : s.filter(Files::isDirectory).sorted().toList()) {
                    if (exclude != null && dir.toAbsolutePath().normalize().equals(exclude.toAbsolutePath().normalize())) {
                        continue;
                    }
                    if (Files.isRegularFile(dir.resolve(RunResults.RESULTS_FILE))) {
                        runs.add(RunResults.load(dir));
                    }
                }
            }
        }
        runs.sort(Comparator.comparing(r -> r.provenance().date()));
        return new References(runs);
    }

    public Optional<Reference> find(BenchmarkResult r) {
        return Optional.ofNullable(newestByKey.get(r.key()));
    }

    public List<RunResults> runs() {
        return List.copyOf(runs);
    }
}
