package io.github.dsw.bench.hashing;

import io.github.dsw.hashing.AnchorHash;
import io.github.dsw.hashing.ConsistentHash;
import io.github.dsw.hashing.Disruption;
import io.github.dsw.hashing.HashRing;
import io.github.dsw.hashing.JumpHash;
import io.github.dsw.hashing.KeyHash;
import io.github.dsw.hashing.LoadStats;
import io.github.dsw.hashing.MaglevHash;
import io.github.dsw.hashing.ModuloHash;
import io.github.dsw.hashing.MultiProbeHash;
import io.github.dsw.hashing.RendezvousHash;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Deterministic balance and disruption experiments behind chapter 2's tables and the papers' figures
 * (no timing, so not JMH): writes CSV files into a folder, by default {@code datasets/hashing/}.
 * Every key set comes from {@code SplittableRandom} with a fixed seed, so a rerun gives the same files.
 * <ul>
 *   <li>{@code ring-balance.csv}: ring arc shares at n = 1000 against the 1/sqrt(v) model and
 *       Lamping &amp; Veach's 99% intervals;</li>
 *   <li>{@code maglev-fig11.csv}: Eisenbud et al. Fig. 11, entries per backend for Maglev, the ring and
 *       rendezvous filling a table of M entries for N = 1000;</li>
 *   <li>{@code multiprobe-peak.csv}: Appleton &amp; O'Reilly, peak-to-mean against the number of probes;</li>
 *   <li>{@code disruption.csv}: keys moved on adding and removing one node, against the ideal;</li>
 *   <li>{@code load-histogram.csv}: keys per node for each algorithm, 20 nodes;</li>
 *   <li>{@code maglev-fig12.csv}: Eisenbud et al. Fig. 12, table entries that change when a fraction of 1000
 *       backends is removed.</li>
 * </ul>
 * How to run this: {@code java -cp benchmarks/target/benchmarks.jar io.github.dsw.bench.hashing.BalanceExperiments datasets/hashing}
 * (about a minute).
 */
public final class BalanceExperiments {
    private static final long SEED = 20261125L;

    private BalanceExperiments() {}

    public static void main(String[] args) throws IOException {
        Path out = Path.of(args.length > 0 ? args[0] : "datasets/hashing");
        Files.createDirectories(out);
        write(out.resolve("ring-balance.csv"), ringBalance());
        write(out.resolve("maglev-fig11.csv"), maglevFig11());
        write(out.resolve("multiprobe-peak.csv"), multiProbePeak());
        write(out.resolve("disruption.csv"), disruption());
        write(out.resolve("load-histogram.csv"), loadHistogram());
        write(out.resolve("maglev-fig12.csv"), maglevFig12());
    }

    static long[] keys(int count, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        long[] keys = new long[count];
        for (int i = 0; i < count; i++) {
            keys[i] = KeyHash.of(random.nextLong());
        }
        return keys;
    }

    static List<String> ringBalance() {
        List<String> rows = new ArrayList<>();
        rows.add("nodes,virtual_nodes,cv,cv_model,peak_to_mean,share_p0_5,share_p99_5");
        int n = 1000;
        for (int v : new int[] {1, 3, 10, 30, 100, 300, 1000}) {
            double[] share = new HashRing(Lookups.names(n), v).arcShares();
            LoadStats s = LoadStats.of(share);
            double[] relative = Arrays.stream(share).map(x -> x / s.mean()).sorted().toArray();
            rows.add(String.format(Locale.ROOT, "%d,%d,%.5f,%.5f,%.4f,%.4f,%.4f", n, v, s.coefficientOfVariation(),
                    Math.sqrt((n - 1.0) / (n * v + 1.0)), s.peakToMean(),
                    relative[(int) (0.005 * n)], relative[(int) (0.995 * n) - 1]));
        }
        return rows;
    }

    static List<String> maglevFig11() {
        List<String> rows = new ArrayList<>();
        rows.add("table_size,algorithm,min_entries_pct,max_entries_pct,overprovision_pct");
        int n = 1000;
        List<String> names = Lookups.names(n);
        for (int m : new int[] {65537, 655373}) {
            Map<String, ConsistentHash> algorithms = new LinkedHashMap<>();
            algorithms.put("maglev", new MaglevHash(names, m));
            algorithms.put("ring-1000", new HashRing(names, 1000));
            algorithms.put("rendezvous", new RendezvousHash(names));
            for (var e : algorithms.entrySet()) {
                long[] entries;
                if (e.getValue() instanceof MaglevHash maglev) {
                    entries = maglev.entriesPerNode();
                } else {
                    long[] tableKeys = new long[m];
                    for (int i = 0; i < m; i++) {
                        tableKeys[i] = KeyHash.of(i); // entry i of the table is filled by the node of hash(i)
                    }
                    entries = LoadStats.count(e.getValue(), tableKeys);
                }
                LoadStats s = LoadStats.of(entries);
                rows.add(String.format(Locale.ROOT, "%d,%s,%.4f,%.4f,%.2f", m, e.getKey(), 100 * s.min() / m,
                        100 * s.max() / m, 100 * (s.peakToMean() - 1)));
            }
        }
        return rows;
    }

    static List<String> multiProbePeak() {
        List<String> rows = new ArrayList<>();
        rows.add("nodes,probes,keys,peak_to_mean,cv,paper_bound,jump_peak_to_mean_same_keys");
        long[] keys = keys(2_000_000, SEED);
        for (int n : new int[] {10, 100}) {
            double jumpPeak = LoadStats.measure(new JumpHash(Lookups.names(n)), keys).peakToMean();
            for (int k : new int[] {1, 2, 3, 5, 8, 13, 21, 34}) {
                LoadStats s = LoadStats.measure(new MultiProbeHash(Lookups.names(n), k), keys);
                String bound = k == 1 ? "" : String.format(Locale.ROOT, "%.4f", 1 + 1.0 / (k - 1));
                rows.add(String.format(Locale.ROOT, "%d,%d,%d,%.4f,%.4f,%s,%.4f", n, k, keys.length,
                        s.peakToMean(), s.coefficientOfVariation(), bound, jumpPeak));
            }
        }
        return rows;
    }

    static Map<String, ConsistentHash> algorithms(int n) {
        List<String> names = Lookups.names(n);
        Map<String, ConsistentHash> map = new LinkedHashMap<>();
        map.put("modulo", new ModuloHash(names));
        map.put("ring-100", new HashRing(names, 100));
        map.put("jump", new JumpHash(names));
        map.put("rendezvous", new RendezvousHash(names));
        map.put("maglev", new MaglevHash(names, 65537));
        map.put("multiprobe-21", new MultiProbeHash(names, 21));
        map.put("anchor", new AnchorHash(names, 2 * n));
        return map;
    }

    static List<String> disruption() {
        List<String> rows = new ArrayList<>();
        rows.add("algorithm,nodes,change,fraction_moved,ideal_fraction,ratio_to_ideal,misplaced");
        long[] keys = keys(500_000, SEED + 1);
        for (int n : new int[] {10, 100}) {
            for (var e : algorithms(n).entrySet()) {
                ConsistentHash h = e.getValue();
                Disruption add = Disruption.measure(h, h.withNode("node-new"), keys);
                // Jump hash can only remove the last bucket; the others lose a node from the middle.
                String victim = e.getKey().equals("jump") ? "node-" + (n - 1) : "node-" + (n / 2);
                Disruption remove = Disruption.measure(h, h.withoutNode(victim), keys);
                for (var d : List.of(Map.entry("add", add), Map.entry("remove", remove))) {
                    rows.add(String.format(Locale.ROOT, "%s,%d,%s,%.5f,%.5f,%.3f,%d", e.getKey(), n, d.getKey(),
                            d.getValue().fractionMoved(), d.getValue().idealFraction(), d.getValue().ratioToIdeal(),
                            d.getValue().misplaced()));
                }
            }
        }
        return rows;
    }

    static List<String> loadHistogram() {
        List<String> rows = new ArrayList<>();
        rows.add("algorithm,node,keys");
        long[] keys = keys(1_000_000, SEED + 2);
        Map<String, ConsistentHash> map = algorithms(20);
        map.put("ring-10", new HashRing(Lookups.names(20), 10));
        for (var e : map.entrySet()) {
            long[] counts = LoadStats.count(e.getValue(), keys);
            for (int i = 0; i < counts.length; i++) {
                rows.add(e.getKey() + "," + i + "," + counts[i]);
            }
        }
        return rows;
    }

    /**
     * Fig. 12: remove a random fraction of N = 1000 backends and compare the tables entry by entry.
     * {@code changed_pct} counts every entry whose owner changed; {@code changed_survivors_pct} only the
     * entries that moved between two surviving backends (a consistent hash would have none).
     */
    static List<String> maglevFig12() {
        List<String> rows = new ArrayList<>();
        rows.add("table_size,removed_pct,trials,changed_pct,changed_survivors_pct");
        int n = 1000;
        List<String> names = Lookups.names(n);
        for (int m : new int[] {65537, 655373}) {
            String[] before = new MaglevHash(names, m).table();
            for (double removedPct : new double[] {0.1, 0.5, 1, 2, 3}) {
                int trials = 5;
                double changed = 0;
                double survivors = 0;
                SplittableRandom random = new SplittableRandom(SEED + m + (long) (removedPct * 10));
                for (int t = 0; t < trials; t++) {
                    List<String> kept = new ArrayList<>(names);
                    java.util.Set<String> removed = new java.util.HashSet<>();
                    int k = (int) Math.round(n * removedPct / 100);
                    while (removed.size() < k) {
                        removed.add(kept.remove(random.nextInt(kept.size())));
                    }
                    String[] after = new MaglevHash(kept, m).table();
                    for (int e = 0; e < m; e++) {
                        if (!before[e].equals(after[e])) {
                            changed++;
                            if (!removed.contains(before[e])) {
                                survivors++;
                            }
                        }
                    }
                }
                rows.add(String.format(Locale.ROOT, "%d,%.1f,%d,%.3f,%.3f", m, removedPct, trials,
                        100 * changed / trials / m, 100 * survivors / trials / m));
            }
        }
        return rows;
    }

    private static void write(Path file, List<String> rows) throws IOException {
        Files.write(file, rows);
        System.out.println("wrote " + file + " (" + (rows.size() - 1) + " rows)");
    }
}
