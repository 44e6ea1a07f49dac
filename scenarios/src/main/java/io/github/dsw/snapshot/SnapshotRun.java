package io.github.dsw.snapshot;

import io.github.dsw.snapshot.BankNode.LocalSnapshot;
import io.github.dsw.sim.Latency;
import io.github.dsw.sim.LinkModel;
import io.github.dsw.sim.SimConfig;
import io.github.dsw.sim.Simulator;
import io.github.dsw.sim.Trace;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * One simulated run of the bank with a Chandy–Lamport snapshot, and the cut checker. Links are log-normal
 * (median 1 ms) and reorder 30% of messages by up to 5 ms, so a channel is FIFO only if {@link BankNode}
 * makes it so. Process 0 starts the snapshot at 20 ms while every branch sends a transfer every 0.5 ms on
 * average.
 *
 * <p>The checker, from the recorded parts alone: (1) every process reported; (2) the cut is consistent: no
 * transfer is recorded as received before the receiver's cut unless it was sent before the sender's cut;
 * (3) each channel's recorded state is exactly the transfers sent before the cut and not received before it;
 * (4) the recorded balances plus the recorded in-flight money equal the bank's total.
 */
public final class SnapshotRun {

    /** Opening balance of each branch. */
    public static final long OPENING = 1_000;

    /** What a run recorded and what the checker found wrong (empty: a consistent global state). */
    public record Result(List<LocalSnapshot> parts, long total, long recordedTotal, List<String> problems) {
        public boolean ok() {
            return problems.isEmpty();
        }
    }

    private SnapshotRun() {
    }

    public static Result run(long seed, int processes, boolean fifo) {
        LinkModel links = LinkModel.reliable(new Latency.LogNormal(1_000_000, 0.5)).withReorder(0.3, 5_000_000);
        SimConfig config = new SimConfig(seed, processes, links, LinkModel.reliable(new Latency.Constant(500_000)), 0, Trace.Level.COUNTS,
                false);
        Simulator<BankMessage> sim = new Simulator<>(config, id -> new BankNode(OPENING, fifo, 20_000_000, 500_000));
        Map<Integer, LocalSnapshot> parts = new TreeMap<>();
        sim.onOutput((node, event) -> {
            if (event instanceof LocalSnapshot s) {
                parts.put(node, s);
            }
        });
        sim.runUntil(200_000_000, () -> parts.size() == processes);
        return check(new ArrayList<>(parts.values()), processes, processes * OPENING);
    }

    /** The cut checker (see the class comment); {@code total} is what the bank holds in all. */
    public static Result check(List<LocalSnapshot> parts, int processes, long total) {
        List<String> problems = new ArrayList<>();
        Map<Integer, LocalSnapshot> by = new TreeMap<>();
        parts.forEach(p -> by.put(p.process(), p));
        if (by.size() != processes) {
            problems.add("only processes " + by.keySet() + " of " + processes + " recorded their part");
            return new Result(parts, total, -1, problems);
        }
        long recorded = 0;
        for (LocalSnapshot q : by.values()) {
            recorded += q.balance();
            for (int p = 0; p < processes; p++) {
                if (p == q.process()) {
                    continue;
                }
                int sentUpTo = by.get(p).sentUpTo().get(q.process());
                TreeSet<Integer> before = new TreeSet<>(q.receivedBefore().get(p));
                for (int seq : before) {
                    if (seq > sentUpTo) {
                        problems.add("inconsistent cut: transfer " + p + "->" + q.process() + " #" + seq + " is received before "
                                + q.process() + "'s cut but sent after " + p + "'s (it sent " + sentUpTo + " before its cut)");
                    }
                }
                List<Integer> expected = new ArrayList<>();
                for (int seq = 1; seq <= sentUpTo; seq++) {
                    if (!before.contains(seq)) {
                        expected.add(seq);
                    }
                }
                List<Integer> got = new ArrayList<>(q.channelSeqs().get(p));
                got.sort(null);
                if (!got.equals(expected)) {
                    problems.add("channel " + p + "->" + q.process() + " recorded transfers " + got + " but the cut says " + expected);
                }
                for (long a : q.channel().get(p)) {
                    recorded += a;
                }
            }
        }
        if (recorded != total) {
            problems.add("the recorded state holds " + recorded + " but the bank holds " + total);
        }
        return new Result(parts, total, recorded, problems);
    }
}
