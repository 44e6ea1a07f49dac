package io.github.dsw.cli;

import io.github.dsw.consistency.CapRun;
import io.github.dsw.consistency.CausalRun;
import io.github.dsw.consistency.CopsRun;
import io.github.dsw.consistency.DynamoRun;
import io.github.dsw.consistency.MarkedHistory;
import io.github.dsw.sim.Nemesis;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.LongFunction;

/**
 * Chapter 12's verdict table: each system's histories (seeds 1..S) judged by {@code ./dsw check-history} for every
 * model, counted as satisfied / violated / unknown (exit 0 / 1 / 3; anything else is "error" and listed). The
 * checker runs in-process exactly as the CLI would on the written file (final reads and sibling values included),
 * (through {@link Main}, as {@code ./dsw check-history}) with a wall-clock limit per check: a check that does not finish is "unknown", an honest verdict.
 *
 * <p>Usage: {@code java -cp benchmarks/target/benchmarks.jar io.github.dsw.cli.VerdictTable OUT_DIR [SEEDS]
 * [LIMIT_S]}; writes {@code OUT_DIR/verdicts.csv} and the seed-1 history of each system under
 * {@code OUT_DIR/histories/}.
 */
public final class VerdictTable {

    /** A system: how to produce the marked history of one seed. */
    record SystemRun(String name, LongFunction<MarkedHistory> run) {
    }

    static final List<String> MODELS = List.of("kv", "sequential", "causal", "cc", "ccv", "ryw", "mr", "mw", "wfr", "convergence");

    static List<SystemRun> systems() {
        EnumSet<Nemesis.Kind> faults = EnumSet.of(Nemesis.Kind.PARTITION, Nemesis.Kind.REORDER, Nemesis.Kind.LOSS, Nemesis.Kind.DUPLICATE);
        List<SystemRun> out = new ArrayList<>();
        out.add(new SystemRun("raft-kv (partition)", seed -> new MarkedHistory(CapRun.run(CapRun.Store.RAFT, seed, true).history(),
                Map.of(), Map.of())));
        out.add(new SystemRun("dynamo N3R2W2 vv", seed -> DynamoRun.run(DynamoRun.Settings.defaults(seed)).marked()));
        out.add(new SystemRun("dynamo N3R2W2 vv (partition)", seed -> DynamoRun.run(DynamoRun.Settings.defaults(seed)
                .withNemesis(EnumSet.of(Nemesis.Kind.PARTITION))).marked()));
        out.add(new SystemRun("dynamo N3R1W1 lww (skew 50 ms)", seed -> DynamoRun.run(DynamoRun.Settings.defaults(seed)
                .withConfig(io.github.dsw.consistency.dynamo.DynamoConfig.defaults().withQuorums(3, 1, 1)
                        .withResolution(io.github.dsw.consistency.dynamo.Resolution.LWW)).withSkewNs(50_000_000L)).marked()));
        out.add(new SystemRun("causal broadcast (faults)", seed -> CausalRun.run(CausalRun.Settings.defaults(seed).withNemesis(faults)).marked()));
        out.add(new SystemRun("causal broadcast BROKEN (partition)", seed -> CausalRun.run(CausalRun.Settings.defaults(seed)
                .withNemesis(EnumSet.of(Nemesis.Kind.PARTITION)).broken()).marked()));
        out.add(new SystemRun("cops (faults)", seed -> CopsRun.run(CopsRun.Settings.defaults(seed).withNemesis(faults)).marked()));
        out.add(new SystemRun("cops BROKEN (faults)", seed -> CopsRun.run(CopsRun.Settings.defaults(seed).withNemesis(faults).broken()).marked()));
        return out;
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            System.err.println("usage: VerdictTable OUT_DIR [SEEDS] [LIMIT_S]");
            System.exit(2);
        }
        Path dir = Path.of(args[0]);
        int seeds = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        String limit = args.length > 2 ? args[2] : "3";
        Files.createDirectories(dir.resolve("histories"));
        Path tmp = Files.createTempFile("dsw-verdicts", ".jsonl");
        StringBuilder tsv = new StringBuilder("system,model,seeds,satisfied,violated,unknown,error,check_s,sibling_reads\n");
        PrintStream out = System.out;
        PrintStream err = System.err;
        PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
        try {
            for (SystemRun sys : systems()) {
                Map<String, int[]> counts = new LinkedHashMap<>();
                Map<String, Double> secs = new LinkedHashMap<>();
                for (String m : MODELS) {
                    counts.put(m, new int[5]);
                    secs.put(m, 0.0);
                }
                int siblingReads = 0;
                for (long seed = 1; seed <= seeds; seed++) {
                    MarkedHistory h = sys.run().apply(seed);
                    siblingReads += h.siblings().size();
                    write(h, tmp);
                    if (seed == 1) {
                        write(h, dir.resolve("histories").resolve(sys.name().replaceAll("[^A-Za-z0-9]+", "-")
                                .replaceAll("-$", "").toLowerCase(Locale.ROOT) + "-seed1.jsonl"));
                    }
                    for (String m : MODELS) {
                        if (m.equals("convergence") && h.finals().isEmpty()) {
                            counts.get(m)[4]++; // no final reads: not applicable
                            continue;
                        }
                        long t0 = System.nanoTime();
                        System.setOut(quiet);
                        System.setErr(quiet);
                        int code;
                        try {
                            code = Main.run(List.of("check-history", "--model", m, "--time-limit-s", limit, "--shrink-limit-s", "0.5", tmp.toString()), quiet, quiet);
                        } finally {
                            System.setOut(out);
                            System.setErr(err);
                        }
                        secs.merge(m, (System.nanoTime() - t0) / 1e9, Double::sum);
                        int slot = switch (code) {
                            case 0 -> 0;
                            case 1 -> 1;
                            case 3 -> 2;
                            default -> 3;
                        };
                        counts.get(m)[slot]++;
                        if (slot == 3) {
                            out.println("  " + sys.name() + " seed " + seed + " model " + m + ": exit " + code);
                        }
                    }
                }
                for (String m : MODELS) {
                    int[] c = counts.get(m);
                    if (c[4] == seeds) {
                        tsv.append(String.format(Locale.ROOT, "%s,%s,%d,n/a,n/a,n/a,n/a,0,%d%n", sys.name(), m, seeds, siblingReads));
                        continue;
                    }
                    tsv.append(String.format(Locale.ROOT, "%s,%s,%d,%d,%d,%d,%d,%.1f,%d%n", sys.name(), m, seeds, c[0], c[1], c[2], c[3],
                            secs.get(m), siblingReads));
                }
                Files.writeString(dir.resolve("verdicts.csv"), tsv.toString(), StandardCharsets.UTF_8); // partial table if cut short
                out.println(sys.name() + " done");
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
        Files.writeString(dir.resolve("verdicts.csv"), tsv.toString(), StandardCharsets.UTF_8);
        out.print(tsv);
    }

    static void write(MarkedHistory h, Path p) throws IOException {
        try (Writer w = Files.newBufferedWriter(p, StandardCharsets.UTF_8)) {
            h.write(w);
        }
    }
}
