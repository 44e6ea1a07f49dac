package io.github.dsw.hunt;

import io.github.dsw.sim.Adversary;
import io.github.dsw.sim.WorkloadBias;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The experiment of issue 25: for every protocol x mutation x nemesis ({@code adversarial}, {@code random}),
 * the seeds a {@link Hunt} needs to the first detection, on several seed streams, with a budget of
 * {@link #BUDGET} seeds. Writes {@code hunt.csv} (one row per hunt: protocol, mutation, nemesis, stream,
 * budget, seeds_to_detection empty when not found, checker) into the folder {@code args[0]}; {@code args[1]}
 * is the number of streams (default 5). Bugs no hunt can reach (see {@code HuntTest.REACHABLE}) are run on
 * stream 0 only, to show it. Virtual time: the table depends on the code and the seeds, not on the machine.
 */
public final class HuntTable {

    /** The target budget. */
    public static final int BUDGET = 50;

    /** Bugs that these runs cannot reach, run on one stream only (why: {@code HuntTest.REACHABLE}); none since the membership attack. */
    static final List<String> UNREACHABLE = List.of();

    /**
     * Extra rows beside adversarial and random (protocol, mutation, nemesis): the bugs the random nemesis finds as fast
     * as the adversarial mix, with the one attack that aims at them ({@code isolate-leader} for skip-recovery: every
     * leader change with a slot in flight exposes it) and with no nemesis at all (no-backoff is a liveness bug of
     * competing proposers: it needs no fault).
     */
    static final List<String[]> EXTRA = List.of(
            new String[] {"paxos-kv", "skip-recovery", "isolate-leader"},
            new String[] {"paxos-kv", "skip-recovery", "none"},
            new String[] {"paxos", "no-backoff", "none"});

    private HuntTable() {
    }

    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args.length > 0 ? args[0] : ".");
        int streams = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        Files.createDirectories(dir);
        try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(dir.resolve("hunt.csv"), StandardCharsets.UTF_8))) {
            w.println("protocol,mutation,nemesis,stream,budget,seeds_to_detection,checker");
            List<String[]> rows = new java.util.ArrayList<>();
            for (Hunt.Protocol p : Hunt.Protocol.values()) {
                for (String m : p.mutations()) {
                    for (String nemesis : List.of("adversarial", "random")) {
                        rows.add(new String[] {p.cliName(), m, nemesis});
                    }
                }
            }
            rows.addAll(EXTRA);
            for (String[] row : rows) {
                Hunt.Protocol p = Hunt.Protocol.parse(row[0]);
                String m = row[1];
                String nemesis = row[2];
                {
                    {
                        int n = UNREACHABLE.contains(m) ? 1 : streams;
                        for (int s = 0; s < n; s++) {
                            long t0 = System.nanoTime();
                            Hunt.Result r = Hunt.hunt(p, m, Adversary.Plan.parse(nemesis), WorkloadBias.NORMAL, BUDGET, s, 0, Hunt.Schedule.FULL, false,
                                    (k, seed, f) -> { }, () -> false);
                            Hunt.Finding f = r.finding();
                            w.printf("%s,%s,%s,%d,%d,%s,%s%n", p.cliName(), m, nemesis, s, BUDGET, f == null ? "" : String.valueOf(f.position()),
                                    f == null ? "" : f.checker().split(":")[0]);
                            w.flush();
                            System.err.printf("%s %s %s stream %d: %s (%.0f s)%n", p.cliName(), m, nemesis, s,
                                    f == null ? "not found in " + BUDGET : "found at " + f.position(), (System.nanoTime() - t0) / 1e9);
                        }
                    }
                }
            }
        }
    }
}
