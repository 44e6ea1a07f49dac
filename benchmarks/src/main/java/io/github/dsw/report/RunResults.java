package io.github.dsw.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * A run folder: {@code results.json} (JMH's JSON result format) and {@code provenance.json} (the sidecar).
 * Notebooks load reference runs with {@link #load(Path)} and pick rows with {@link #find}.
 */
public record RunResults(Path dir, Provenance provenance, List<BenchmarkResult> results) {

    public static final String RESULTS_FILE = "results.json";
    public static final String PROVENANCE_FILE = "provenance.json";

    public RunResults {
        results = List.copyOf(results);
    }

    /** Reads a run folder; fails with the file and the reason when a file is missing or malformed. */
    public static RunResults load(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new IOException(dir + " is not a folder of results (expected " + RESULTS_FILE + " and "
                    + PROVENANCE_FILE + " inside)");
        }
        Path results = dir.resolve(RESULTS_FILE);
        Path provenance = dir.resolve(PROVENANCE_FILE);
        if (!Files.isRegularFile(results)) {
            throw new IOException(dir + ": no " + RESULTS_FILE);
        }
        if (!Files.isRegularFile(provenance)) {
            throw new IOException(dir + ": no " + PROVENANCE_FILE + " (every result needs its provenance)");
        }
        return new RunResults(dir, Provenance.read(provenance), parseJmhJson(results));
    }

    /** Parses a JMH {@code -rf json} file. */
    public static List<BenchmarkResult> parseJmhJson(Path file) throws IOException {
        JsonNode root;
        try {
            root = Provenance.JSON.readTree(file.toFile());
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            throw new IOException(file + ": not JSON: " + e.getOriginalMessage(), e);
        }
        if (root == null || !root.isArray()) {
            throw new IOException(file + ": expected a JSON array of JMH results");
        }
        List<BenchmarkResult> out = new ArrayList<>();
        int index = 0;
        for (JsonNode n : root) {
            String where = file + ": result #" + index++;
            JsonNode pm = n.get("primaryMetric");
            if (!n.hasNonNull("benchmark") || pm == null || !pm.has("score")) {
                throw new IOException(where + ": missing 'benchmark' or 'primaryMetric.score'");
            }
            Map<String, String> params = new LinkedHashMap<>();
            JsonNode p = n.get("params");
            if (p != null) {
                for (Iterator<Map.Entry<String, JsonNode>> it = p.fields(); it.hasNext(); ) {
                    var e = it.next();
                    params.put(e.getKey(), e.getValue().asText());
                }
            }
            double score = pm.get("score").asDouble();
            double error = number(pm.get("scoreError"));
            JsonNode ci = pm.get("scoreConfidence");
            double lo = ci != null && ci.size() == 2 ? number(ci.get(0)) : Double.NaN;
            double hi = ci != null && ci.size() == 2 ? number(ci.get(1)) : Double.NaN;
            List<List<Double>> raw = new ArrayList<>();
            JsonNode rd = pm.get("rawData");
            if (rd != null) {
                for (JsonNode fork : rd) {
                    List<Double> it = new ArrayList<>();
                    fork.forEach(v -> it.add(v.asDouble()));
                    raw.add(it);
                }
            }
            out.add(new BenchmarkResult(n.get("benchmark").asText(), n.path("mode").asText("thrpt"),
                    n.path("threads").asInt(1), n.path("forks").asInt(1), params, score, error, lo, hi,
                    pm.path("scoreUnit").asText(""), raw));
        }
        return out;
    }

    private static double number(JsonNode n) {
        // JMH writes "NaN" as a string when the error cannot be computed (one iteration).
        if (n == null || n.isNull()) {
            return Double.NaN;
        }
        return n.isNumber() ? n.asDouble() : parseOrNaN(n.asText());
    }

    private static double parseOrNaN(String s) {
        try {
            return Double.parseDouble(s);
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    /** The rows whose short name ({@code Class.method}) or full name contains {@code text}. */
    public List<BenchmarkResult> matching(String text) {
        return select(r -> r.benchmark().contains(text));
    }

    public List<BenchmarkResult> select(Predicate<BenchmarkResult> p) {
        return results.stream().filter(p).toList();
    }

    /** The row of method {@code Class.method} with exactly these params (given as name, value pairs). */
    public Optional<BenchmarkResult> find(String classDotMethod, String... paramPairs) {
        if (paramPairs.length % 2 != 0) {
            throw new IllegalArgumentException("paramPairs must be name, value pairs, got " + paramPairs.length + " strings");
        }
        return results.stream().filter(r -> r.shortName().equals(classDotMethod) || r.benchmark().equals(classDotMethod))
                .filter(r -> {
                    for (int i = 0; i < paramPairs.length; i += 2) {
                        if (!paramPairs[i + 1].equals(r.params().get(paramPairs[i]))) {
                            return false;
                        }
                    }
                    return true;
                }).findFirst();
    }

    /** Like {@link #find} but fails with a clear message when the row is absent. */
    public BenchmarkResult get(String classDotMethod, String... paramPairs) {
        return find(classDotMethod, paramPairs).orElseThrow(() -> new IllegalArgumentException(
                dir + ": no result for " + classDotMethod + " " + String.join(",", paramPairs)));
    }
}
