package io.github.dsw.consistency;

import io.github.dsw.consistency.dynamo.DynamoConfig;
import io.github.dsw.consistency.dynamo.Resolution;
import io.github.dsw.consistency.pbs.Pbs;
import io.github.dsw.runtime.SplitMix64;
import io.github.dsw.sim.Nemesis;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Locale;

/**
 * Writes chapter 12's measurements as CSV files into the folder given as the first argument (all virtual time from
 * the deterministic simulator: exact for their seeds, independent of the machine's load):
 * <ul>
 *   <li>{@code lost-updates.csv}: the shopping-cart workload on the Dynamo store, last-writer-wins vs version vectors,
 *       against the servers' clock skew (seeds 1-5; 4 clients, and 1 client for skew alone);</li>
 *   <li>{@code pbs.csv}: t-visibility, the PBS model beside the simulator's measurement (N=3, R=W=1 and R=1 W=2, log-normal
 *       server links, median 1 ms, sigma 0.3 and 1.0);</li>
 *   <li>{@code cap.csv}: the CAP/PACELC runs, Raft vs Dynamo R=W=2 vs Dynamo R=W=1, with and without the partition, seeds 1-5;</li>
 *   <li>{@code crdt.csv}: the CRDT store under every fault kind, seeds 1-20;</li>
 *   <li>{@code pbs-paper.csv}: our Monte Carlo on the PBS paper's production latency fits (alone: second argument
 *       {@code pbs-paper}).</li>
 * </ul>
 * Run: {@code java -cp benchmarks/target/benchmarks.jar io.github.dsw.consistency.ConsistencyExperiments datasets/results/FOLDER}.
 */
public final class ConsistencyExperiments {

    private ConsistencyExperiments() {
    }

    public static void main(String[] args) throws IOException {
        Path out = Path.of(args.length > 0 ? args[0] : "datasets/results/12-consistency");
        Files.createDirectories(out);
        if (args.length > 1 && args[1].equals("pbs-paper")) {
            writePbsPaper(out);
            return;
        }
        try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(out.resolve("lost-updates.csv"), StandardCharsets.UTF_8))) {
            w.println("resolution,clients,skew_ms,seed,acknowledged,lost");
            for (int clients : new int[] {1, 4}) {
                for (long skewMs : new long[] {0, 1, 2, 5, 10, 20, 50}) {
                    for (Resolution res : Resolution.values()) {
                        for (long seed = 1; seed <= 5; seed++) {
                            DynamoRun.Outcome o = DynamoRun.run(DynamoRun.Settings.defaults(seed)
                                    .withConfig(DynamoConfig.defaults().withResolution(res)).withWorkload(KvClient.Mode.CART, 4)
                                    .withSkewNs(skewMs * 1_000_000).withSize(5, clients, 200));
                            String row = String.format(Locale.ROOT, "%s,%d,%d,%d,%d,%d", res == Resolution.LWW ? "lww" : "vv", clients, skewMs,
                                    seed, o.acknowledged(), o.lost());
                            w.println(row);
                            System.out.println("lost-updates " + row);
                        }
                    }
                }
            }
        }
        try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(out.resolve("pbs.csv"), StandardCharsets.UTF_8))) {
            w.println("n,r,w,sigma,t_ms,measured,model,lower_bound,trials");
            double[] t = {0, 0.25, 0.5, 1, 1.5, 2, 3, 5, 10};
            for (double sigma : new double[] {0.3, 1.0}) {
                for (int[] rw : new int[][] {{1, 1}, {1, 2}, {2, 1}}) {
                    PbsRun.Curve c = PbsRun.run(1, 3, rw[0], rw[1], sigma, t, 2000);
                    for (int j = 0; j < t.length; j++) {
                        String row = String.format(Locale.ROOT, "3,%d,%d,%.1f,%.2f,%.5f,%.5f,%.5f,%d", rw[0], rw[1], sigma, t[j], c.measured()[j],
                                c.model()[j], c.lowerBound(), c.trialsPerPoint());
                        w.println(row);
                        System.out.println("pbs " + row);
                    }
                }
            }
        }
        try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(out.resolve("cap.csv"), StandardCharsets.UTF_8))) {
            w.println("system,partitioned,seed,minority_ok,minority_refused,minority_timeout,majority_ok,majority_refused,majority_timeout,"
                    + "p50_ms,p99_ms,divergent_at_heal,divergent_at_end,max_siblings,verdict");
            for (CapRun.Store s : CapRun.Store.values()) {
                for (boolean partitioned : new boolean[] {false, true}) {
                    for (long seed = 1; seed <= 5; seed++) {
                        CapRun.Outcome o = CapRun.run(s, seed, partitioned);
                        String row = String.format(Locale.ROOT, "%s,%b,%d,%d,%d,%d,%d,%d,%d,%.4f,%.4f,%d,%d,%d,%s", s.cliName, partitioned, seed,
                                o.minority().ok(), o.minority().refused(), o.minority().timedOut(), o.majority().ok(), o.majority().refused(),
                                o.majority().timedOut(), o.p50Ns() / 1e6, o.p99Ns() / 1e6, o.divergentAtHeal(), o.divergentAtEnd(),
                                o.maxSiblings(), o.verdict().outcome().name().toLowerCase(Locale.ROOT));
                        w.println(row);
                        System.out.println("cap " + row);
                    }
                }
            }
        }
        try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(out.resolve("crdt.csv"), StandardCharsets.UTF_8))) {
            w.println("seed,diverged_at_heal,converged,counter_ok,set_ok,counter,acknowledged_sum,unacknowledged");
            for (long seed = 1; seed <= 20; seed++) {
                CrdtRun.Outcome o = CrdtRun.run(CrdtRun.Settings.defaults(seed).withNemesis(EnumSet.allOf(Nemesis.Kind.class)));
                String row = String.format(Locale.ROOT, "%d,%d,%b,%b,%b,%d,%d,%d", seed, o.divergedAtHeal(), o.converged(), o.counterOk(),
                        o.setOk(), o.counter(), o.acknowledgedSum(), o.unacknowledged());
                w.println(row);
                System.out.println("crdt " + row);
            }
        }
        writePbsPaper(out);
        System.out.println("wrote " + out);
    }

    /** t-visibility of our WARS Monte Carlo on the PBS paper's production fits (N=3), for the comparison in section 12.6. */
    static void writePbsPaper(Path out) throws IOException {
        double[] t = {0, 0.5, 1, 2, 3, 5, 7, 10, 15, 20, 30, 45.5, 70, 100, 200, 500, 1000, 1364, 2000};
        try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(out.resolve("pbs-paper.csv"), StandardCharsets.UTF_8))) {
            w.println("fit,n,r,w,t_ms,consistent,trials,seed");
            for (Pbs.Production p : Pbs.Production.values()) {
                for (int[] rw : new int[][] {{1, 1}, {1, 2}, {2, 1}}) {
                    double[] c = Pbs.tVisibility(3, rw[0], rw[1], p.wars(), t, 200_000, new SplitMix64(7));
                    for (int j = 0; j < t.length; j++) {
                        String row = String.format(Locale.ROOT, "%s,3,%d,%d,%.1f,%.5f,200000,7", p.name().replace('_', '-'), rw[0], rw[1], t[j], c[j]);
                        w.println(row);
                        System.out.println("pbs-paper " + row);
                    }
                }
            }
        }
    }
}
