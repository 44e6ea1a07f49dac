package io.github.dsw.check.consistency;

import io.github.dsw.check.History;
import io.github.dsw.check.Operation;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Causal consistency of a read/write key-value history whose written values are unique per key, so that each
 * read's write is known (read-from, {@code rf}). The causal order is {@code co = (po ∪ rf)+}: program order and
 * read-from, transitively. Three variants, after Bouajjani, Enea, Guerraoui and Hamza, "On Verifying Causal
 * Consistency" (POPL 2017), each decided in polynomial time through the paper's "bad patterns":
 * <ul>
 *   <li>{@link Variant#CC} (weak causal consistency): every read can be explained by some order of the writes in
 *       its own causal past. Violated exactly by ThinAirRead (a value nobody wrote), CyclicCO ({@code co} has a
 *       cycle), WriteCOInitRead (a read of the initial value with a write of that key in its causal past) and
 *       WriteCORead (a read of w1 although a write w2 of the same key lies causally between: w1 co w2 co r).</li>
 *   <li>{@link Variant#CM}, causal memory (Ahamad, Neiger, Burns, Kohli and Hutto, Distributed Computing 1995),
 *       what {@code --model causal} means: each process has one serialization of all writes and of its own
 *       operations that respects {@code co} and is legal. Checked per process by saturation: starting from
 *       {@code co} restricted to the writes and the process's operations, the rules every legal serialization must
 *       follow are added (for a read r of w1 on key x and another write w2 of x: if w2 precedes r then w2
 *       precedes w1; if w1 precedes w2 then r precedes w2; a read of the initial value precedes every write of its
 *       key) until nothing changes; a cycle is a violation, named after the paper's patterns (WriteHBInitRead when the
 *       cycle closes on a read of the initial value, CyclicHB otherwise), and acyclicity is sufficient by the paper's characterisation of CM. The witness is the
 *       shrunk window of operations ({@link Windows}).</li>
 *   <li>{@link Variant#CCV}, causal convergence: one arbitration order of all writes, extending {@code co}, such
 *       that each read returns the last write of its key in its causal past. CC plus the pattern CyclicCF:
 *       {@code co ∪ cf} has a cycle, where w1 cf w2 when a read of w2 has w1 (same key) in its causal past.</li>
 * </ul>
 * Hierarchy: sequential consistency implies CM and CCv, each of which implies CC (checked as a property on
 * random histories in the tests). Cost: the causal order is kept as one vector clock per operation (the causal
 * past is closed under program order), so CC and CCv take O(n·P·log n) for n operations and P processes; CM's
 * saturation works on bit matrices, O(m²/64) per added edge for m writes and reads of one process.
 */
public final class CausalChecker {

    /** Which causal model. */
    public enum Variant {
        CC("cc"), CM("causal"), CCV("ccv");

        private final String model;

        Variant(String model) {
            this.model = model;
        }

        /** The name {@code ./dsw check-history --model} uses. */
        public String model() {
            return model;
        }
    }

    private final long timeLimitNs;

    /** A checker whose CM saturation stops at {@code timeLimitNs} (then UNKNOWN); CC and CCv are never limited. */
    public CausalChecker(long timeLimitNs) {
        this.timeLimitNs = timeLimitNs;
    }

    public CausalChecker() {
        this(Long.MAX_VALUE);
    }

    /**
     * Checks {@code history} for {@code variant}.
     *
     * @throws IllegalArgumentException (one line, naming the event) for a cas or a value written twice to a key
     */
    public Verdict check(History history, Variant variant) {
        ReadWriteHistory h = ReadWriteHistory.of(history, variant.model());
        Analysis a = new Analysis(h, variant.model());
        Verdict v = a.weak();
        if (v != null || variant == Variant.CC) {
            return v != null ? v : Verdict.satisfied(variant.model(), h.size(), a.work);
        }
        if (variant == Variant.CCV) {
            v = a.cyclicCf();
            return v != null ? v : Verdict.satisfied(variant.model(), h.size(), a.work);
        }
        long t0 = System.nanoTime();
        long deadline = timeLimitNs >= Long.MAX_VALUE - t0 ? Long.MAX_VALUE : t0 + timeLimitNs;
        Boolean ok = a.causalMemory(deadline);
        if (ok == null) {
            return new Verdict(variant.model(), Verdict.Outcome.UNKNOWN, List.of(), "the saturation ran out of its time limit",
                    false, h.size(), a.work);
        }
        if (ok) {
            return Verdict.satisfied(variant.model(), h.size(), a.work);
        }
        int p = a.badProcess;
        long shrinkDeadline = System.nanoTime() + Math.max(500_000_000L, Math.min(10_000_000_000L, (System.nanoTime() - t0) / 2));
        CausalChecker quick = new CausalChecker(1_000_000_000L);
        Windows.Shrunk w = Windows.shrink(h.ops, x -> quick.check(x, Variant.CM), shrinkDeadline);
        return new Verdict(variant.model(), Verdict.Outcome.VIOLATED, w.window(), a.failure + ";\nprocess p" + h.processIds.get(p)
                + " has no serialization of all writes and its own operations that respects the causal order and is legal; "
                + (w.minimal() ? "window minimal: removing any read or unobserved write makes it causal memory"
                        : "window not minimal: shrinking stopped at its budget"), w.minimal(), h.size(), a.work);
    }

    /** The causal order and the pattern searches on one prepared history. */
    static final class Analysis {
        final ReadWriteHistory h;
        final String model;
        final int n;
        final int procs;
        String failure = "";
        int[][] vc;       // vc[i][q]: how many of q's operations are in i's strict causal past
        int[] topo;
        long work;
        int badProcess = -1;

        Analysis(ReadWriteHistory h, String model) {
            this.h = h;
            this.model = model;
            this.n = h.size();
            this.procs = h.procOps.length;
        }

        /** a co b (strictly), for a != b; valid once the clocks exist. */
        boolean co(int a, int b) {
            return h.pos[a] < vc[b][h.proc[a]];
        }

        private Verdict violated(String why, int... ops) {
            return Verdict.violated(model, h.opsOf(ops), why, n, work);
        }

        /** The four patterns of weak causal consistency, or null when there is none. */
        Verdict weak() {
            for (int i = 0; i < n; i++) {
                if (!h.write[i] && h.rf[i] == ReadWriteHistory.THIN_AIR) {
                    return violated("ThinAirRead: " + h.at(i) + " returns a value no write of key '" + h.ops.get(i).key()
                            + "' wrote", i);
                }
            }
            List<Integer> cycle = cycle(null);
            if (cycle != null) {
                return Verdict.violated(model, h.opsOf(cycle), "CyclicCO: program order and read-from form a cycle ("
                        + String.join(" -> ", cycle.stream().map(h::at).toList()) + ")", n, work);
            }
            clocks();
            for (int r = 0; r < n; r++) {
                if (h.write[r]) {
                    continue;
                }
                int k = h.key[r];
                for (int q = 0; q < procs; q++) {
                    int[] ws = h.writesAt[k][q];
                    work++;
                    if (ws.length == 0 || ws[0] >= vc[r][q]) {
                        continue;
                    }
                    int latest = h.procOps[q][ws[upperIndex(ws, vc[r][q]) - 1]];
                    if (h.rf[r] == ReadWriteHistory.INIT) {
                        return violated("WriteCOInitRead: " + h.at(r) + " returns the initial value although "
                                + h.at(latest) + " is in its causal past", latest, r);
                    }
                    int w1 = h.rf[r];
                    if (latest != w1 && co(w1, latest)) {
                        return violated("WriteCORead: " + h.at(r) + " reads " + h.at(w1) + ", which " + h.at(latest)
                                + " overwrote in its causal past", w1, latest, r);
                    }
                }
            }
            return null;
        }

        /** Number of positions in sorted {@code ws} below {@code bound}. */
        private static int upperIndex(int[] ws, int bound) {
            int lo = 0;
            int hi = ws.length;
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (ws[mid] < bound) {
                    lo = mid + 1;
                } else {
                    hi = mid;
                }
            }
            return lo;
        }

        /**
         * A cycle of po ∪ rf (∪ the extra edges, given as predecessor lists), or null: Kahn's algorithm, and from
         * what it could not order, a walk backwards until a node repeats. Also fills {@link #topo} when acyclic.
         */
        List<Integer> cycle(List<List<Integer>> extraPreds) {
            List<List<Integer>> succ = new ArrayList<>();
            int[] indeg = new int[n];
            for (int i = 0; i < n; i++) {
                succ.add(new ArrayList<>(2));
            }
            for (int i = 0; i < n; i++) {
                for (int p : preds(i, extraPreds)) {
                    succ.get(p).add(i);
                    indeg[i]++;
                    work++;
                }
            }
            ArrayDeque<Integer> ready = new ArrayDeque<>();
            for (int i = 0; i < n; i++) {
                if (indeg[i] == 0) {
                    ready.add(i);
                }
            }
            int[] order = new int[n];
            int done = 0;
            while (!ready.isEmpty()) {
                int i = ready.poll();
                order[done++] = i;
                for (int s : succ.get(i)) {
                    if (--indeg[s] == 0) {
                        ready.add(s);
                    }
                }
            }
            if (done == n) {
                topo = order;
                return null;
            }
            int start = -1;
            for (int i = 0; i < n && start < 0; i++) {
                if (indeg[i] > 0) {
                    start = i;
                }
            }
            int[] seen = new int[n];
            Arrays.fill(seen, -1);
            List<Integer> walk = new ArrayList<>();
            int cur = start;
            while (seen[cur] < 0) {
                seen[cur] = walk.size();
                walk.add(cur);
                int next = -1;
                for (int p : preds(cur, extraPreds)) {
                    if (indeg[p] > 0) {
                        next = p;
                        break;
                    }
                }
                cur = next;
            }
            List<Integer> cyc = new ArrayList<>(walk.subList(seen[cur], walk.size()));
            java.util.Collections.reverse(cyc);
            return cyc;
        }

        private List<Integer> preds(int i, List<List<Integer>> extra) {
            List<Integer> p = new ArrayList<>(3);
            if (h.pos[i] > 0) {
                p.add(h.procOps[h.proc[i]][h.pos[i] - 1]);
            }
            if (!h.write[i] && h.rf[i] >= 0) {
                p.add(h.rf[i]);
            }
            if (extra != null) {
                p.addAll(extra.get(i));
            }
            return p;
        }

        /** Vector clocks in topological order of po ∪ rf. */
        void clocks() {
            vc = new int[n][];
            for (int i : topo) {
                int[] c = new int[procs];
                for (int p : preds(i, null)) {
                    int[] pc = vc[p];
                    for (int q = 0; q < procs; q++) {
                        c[q] = Math.max(c[q], pc[q]);
                    }
                    c[h.proc[p]] = Math.max(c[h.proc[p]], h.pos[p] + 1);
                    work += procs;
                }
                vc[i] = c;
            }
        }

        /** CyclicCF, or null. */
        Verdict cyclicCf() {
            List<List<Integer>> extra = new ArrayList<>();
            List<List<int[]>> why = new ArrayList<>(); // for each cf edge: the read that forces it
            for (int i = 0; i < n; i++) {
                extra.add(new ArrayList<>());
                why.add(new ArrayList<>());
            }
            for (int r = 0; r < n; r++) {
                if (h.write[r] || h.rf[r] < 0) {
                    continue;
                }
                int w2 = h.rf[r];
                int k = h.key[r];
                for (int q = 0; q < procs; q++) {
                    int[] ws = h.writesAt[k][q];
                    work++;
                    int u = upperIndex(ws, vc[r][q]);
                    if (u == 0) {
                        continue;
                    }
                    int w1 = h.procOps[q][ws[u - 1]];
                    if (w1 != w2) {
                        extra.get(w2).add(w1);
                        why.get(w2).add(new int[] {w1, r});
                    }
                }
            }
            List<Integer> cyc = cycle(extra);
            if (cyc == null) {
                return null;
            }
            List<Integer> witnesses = new ArrayList<>(cyc);
            for (int j = 0; j < cyc.size(); j++) {
                int a = cyc.get(j);
                int b = cyc.get((j + 1) % cyc.size());
                for (int[] e : why.get(b)) {
                    if (e[0] == a) {
                        witnesses.add(e[1]);
                        break;
                    }
                }
            }
            return Verdict.violated(model, h.opsOf(witnesses), "CyclicCF: no single order of the writes explains every read;"
                    + " causal order and 'w1 before w2 because a read of w2 saw w1' form a cycle ("
                    + String.join(" -> ", cyc.stream().map(h::at).toList()) + ")", n, work);
        }

        private String cyclic(int p, int r, int w, String how) {
            return "CyclicHB: process p" + h.processIds.get(p) + "'s forced order is cyclic: for " + h.at(r) + ", "
                    + h.at(w) + " " + how;
        }

        /** True CM, false not (badProcess and failure set), null out of time. */
        Boolean causalMemory(long deadlineNs) {
            List<Integer> writes = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                if (h.write[i]) {
                    writes.add(i);
                }
            }
            for (int p = 0; p < procs; p++) {
                Boolean ok = processSerializable(p, writes, deadlineNs);
                if (ok == null || !ok) {
                    badProcess = p;
                    return ok;
                }
            }
            return true;
        }

        private Boolean processSerializable(int p, List<Integer> writes, long deadlineNs) {
            List<Integer> nodes = new ArrayList<>(writes);
            List<Integer> reads = new ArrayList<>();
            for (int i : h.procOps[p]) {
                if (!h.write[i]) {
                    reads.add(nodes.size());
                    nodes.add(i);
                }
            }
            int m = nodes.size();
            int[] local = new int[n];
            Arrays.fill(local, -1);
            for (int j = 0; j < m; j++) {
                local[nodes.get(j)] = j;
            }
            int words = (m + 63) >>> 6;
            long[][] reach = new long[m][words]; // reach[a] holds b when a must precede b
            for (int a = 0; a < m; a++) {
                for (int b = 0; b < m; b++) {
                    if (a != b && co(nodes.get(a), nodes.get(b))) {
                        reach[a][b >>> 6] |= 1L << b;
                    }
                }
            }
            work += (long) m * m;
            long steps = 0;
            // phase 0: only "a write preceding a read precedes the write it read" (the paper's happens-before), so
            // that a cycle there is the paper's CyclicHB and a write then preceding a read of the initial value its
            // WriteHBInitRead; phase 1: every forced order
            for (int phase = 0; phase < 2; phase++) {
                if (phase == 1) {
                    for (int rl : reads) {
                        int r = nodes.get(rl);
                        if (h.rf[r] != ReadWriteHistory.INIT) {
                            continue;
                        }
                        for (int w : h.writesOfKey[h.key[r]]) {
                            if (has(reach, local[w], rl)) {
                                failure = "WriteHBInitRead: " + h.at(r) + " reads the initial value of key '"
                                        + h.keys.get(h.key[r]) + "', but " + h.at(w) + " must precede it in process p"
                                        + h.processIds.get(p) + "'s serialization";
                                return false;
                            }
                        }
                    }
                }
                boolean changed = true;
                while (changed) {
                    changed = false;
                    for (int rl : reads) {
                        if ((++steps & 0xFF) == 0 && deadlineNs != Long.MAX_VALUE && System.nanoTime() - deadlineNs > 0) {
                            return null;
                        }
                        int r = nodes.get(rl);
                        int[] sameKey = h.writesOfKey[h.key[r]];
                        if (h.rf[r] == ReadWriteHistory.INIT) {
                            for (int w : phase == 0 ? new int[0] : sameKey) {
                                int wl = local[w];
                                if (!has(reach, rl, wl)) {
                                    if (!addEdge(reach, rl, wl, m)) {
                                        failure = "WriteHBInitRead: " + h.at(r) + " reads the initial value of key '"
                                                + h.keys.get(h.key[r]) + "', but " + h.at(w) + " must precede it in process p"
                                                + h.processIds.get(p) + "'s serialization";
                                        return false;
                                    }
                                    changed = true;
                                }
                            }
                            continue;
                        }
                        int w1 = local[h.rf[r]];
                        for (int w : sameKey) {
                            int w2 = local[w];
                            if (w2 == w1) {
                                continue;
                            }
                            work++;
                            if (has(reach, w2, rl) && !has(reach, w2, w1)) {
                                if (!addEdge(reach, w2, w1, m)) {
                                    failure = cyclic(p, r, w, "precedes it, so it must precede the write read, "
                                            + h.at(h.rf[r]) + ", which already must precede it");
                                    return false;
                                }
                                changed = true;
                            }
                            if (phase == 1 && has(reach, w1, w2) && !has(reach, rl, w2)) {
                                if (!addEdge(reach, rl, w2, m)) {
                                    failure = cyclic(p, r, w, "follows the write read, " + h.at(h.rf[r])
                                            + ", so the read must precede it, but it already must precede the read");
                                    return false;
                                }
                                changed = true;
                            }
                        }
                    }
                }
            }
            return true;
        }

        private static boolean has(long[][] reach, int a, int b) {
            return (reach[a][b >>> 6] & (1L << b)) != 0;
        }

        /** Adds a before b and closes transitively; false when that closes a cycle. */
        private boolean addEdge(long[][] reach, int a, int b, int m) {
            if (a == b || has(reach, b, a)) {
                return false;
            }
            long[] rb = reach[b];
            for (int u = 0; u < m; u++) {
                if (u == a || has(reach, u, a)) {
                    long[] ru = reach[u];
                    for (int w = 0; w < ru.length; w++) {
                        ru[w] |= rb[w];
                    }
                    ru[b >>> 6] |= 1L << b;
                    if (has(reach, u, u)) {
                        return false;
                    }
                }
            }
            work += (long) m * (rb.length + 1);
            return true;
        }
    }
}
