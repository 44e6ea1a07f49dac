package io.github.dsw.check.consistency;

import io.github.dsw.check.History;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The session guarantees of Terry, Demers, Petersen, Spreitzer, Theimer and Welch, "Session Guarantees for
 * Weakly Consistent Replicated Data" (PDIS 1994), on a read/write key-value history with unique written values.
 * A session is a process (a client that crashes continues under a new process id, so as a new session).
 *
 * <p><b>The formal reading</b> (Burckhardt's visibility/arbitration style, as in Viotti and Vukolić,
 * "Consistency in Non-Transactional Distributed Storage Systems", ACM Computing Surveys 2016): a session's reads
 * return, for their key, the {@code ar}-last write among the writes visible to them (the initial {@code null} if
 * none). A session guarantee constrains one session's view only, so each session may have its own arbitration
 * {@code ar}: Terry et al. state every guarantee about the reads of one session, and a global order of all writes
 * is convergence's business (a causally consistent store, whose sessions may see concurrent writes in different
 * orders, satisfies all four: Brzezinski, Sobaniec and Wawrzyniak, "From session causality to causal
 * consistency", PDP 2004). A guarantee is satisfied when every session has an {@code ar} and a visibility meeting
 * its rule. Because values are unique, each rule becomes a set of edges that the session's {@code ar} must
 * contain, and the guarantee holds exactly when, session by session, those edges have no cycle (and no read
 * returns the initial value where a write must be visible):
 * <ul>
 *   <li>{@link Guarantee#RYW} read-your-writes: a session's earlier writes are visible to its reads. A read of w
 *       after the session's own write w' of the same key forces w' before w; a read of {@code null} after one is a
 *       violation.</li>
 *   <li>{@link Guarantee#MR} monotonic reads: what a session's read saw stays visible to its later reads. Reading
 *       w' and later w (same key) forces w' before w; reading {@code null} after a value is a violation.</li>
 *   <li>{@link Guarantee#MW} monotonic writes: a session's writes are ordered as issued (w1 then w2 forces w1
 *       before w2, any keys). On registers that order is observable only through some reader's successive reads, so,
 *       as Jepsen puts it ("all processes observe w1 before w2"), the check adds, for each observing session, its
 *       monotonic-reads edges (reads of {@code null} exempted: they are MR's business) and reports MW violated when
 *       that session's edges and the MW edges have a cycle; when some session's observed edges alone already have
 *       one (monotonic reads violated), the order of writes is not observable and the verdict is UNKNOWN.</li>
 *   <li>{@link Guarantee#WFR} writes-follow-reads: a write is ordered after every write its session read before:
 *       read of w' then own write w forces w' before w; observed, like MW, through the readers' monotonic-reads
 *       edges.</li>
 * </ul>
 * Each guarantee is checked on its own (a history can violate one and keep the others). Reads of values nobody
 * wrote are ignored here (the causal checkers report them as ThinAirRead). Cost: O(edges) per guarantee, with
 * Tarjan's strongly connected components for the cycles (MW and WFR: one search per observing session, started
 * from that session's own edges).
 */
public final class SessionChecker {

    /** The four guarantees; {@link #model()} is the {@code --model} name. */
    public enum Guarantee {
        RYW("ryw", "read-your-writes"), MR("mr", "monotonic reads"), MW("mw", "monotonic writes"),
        WFR("wfr", "writes-follow-reads");

        private final String model;
        private final String title;

        Guarantee(String model, String title) {
            this.model = model;
            this.title = title;
        }

        public String model() {
            return model;
        }

        public String title() {
            return title;
        }
    }

    private SessionChecker() {
    }

    /** All four guarantees, in the order RYW, MR, MW, WFR. */
    public static List<Verdict> checkAll(History history) {
        ReadWriteHistory h = ReadWriteHistory.of(history, "session");
        List<Verdict> out = new ArrayList<>();
        for (Guarantee g : Guarantee.values()) {
            out.add(check(h, g));
        }
        return out;
    }

    /** One guarantee. */
    public static Verdict check(History history, Guarantee g) {
        return check(ReadWriteHistory.of(history, g.model()), g);
    }

    private static Verdict check(ReadWriteHistory h, Guarantee g) {
        int n = h.size();
        Graph own = new Graph(n, null); // the guarantee's own edges (MW, WFR), the same for every observer
        Graph[] views = new Graph[h.procOps.length]; // per session: the order its own reads force
        long work = 0;
        for (int p = 0; p < h.procOps.length; p++) {
            int[] ops = h.procOps[p];
            Graph graph = new Graph(n, null);
            views[p] = graph;
            // per key: the session's writes so far, and the distinct writes it read so far
            Map<Integer, List<Integer>> written = new HashMap<>();
            Map<Integer, Set<Integer>> seen = new HashMap<>();
            Map<Integer, Integer> seenBy = new HashMap<>(); // write -> the first read of this session that saw it
            Set<Integer> seenAll = new LinkedHashSet<>();   // every write the session read so far, any key
            int lastWrite = -1;
            for (int i : ops) {
                int k = h.key[i];
                if (h.write[i]) {
                    if (g == Guarantee.MW && lastWrite >= 0) {
                        own.add(lastWrite, i, lastWrite, i);
                    }
                    if (g == Guarantee.WFR) {
                        for (int w : seenAll) {
                            own.add(w, i, seenBy.get(w), i);
                        }
                    }
                    lastWrite = i;
                    written.computeIfAbsent(k, x -> new ArrayList<>()).add(i);
                    continue;
                }
                int w = h.rf[i];
                if (w == ReadWriteHistory.THIN_AIR) {
                    continue;
                }
                if (g == Guarantee.RYW) {
                    List<Integer> mine = written.getOrDefault(k, List.of());
                    if (w == ReadWriteHistory.INIT && !mine.isEmpty()) {
                        int last = mine.get(mine.size() - 1);
                        return Verdict.violated(g.model(), h.opsOf(last, i), g.title() + ": " + h.at(i)
                                + " returns the initial value after its own session wrote " + h.at(last), n, graph.work);
                    }
                    for (int m : mine) {
                        if (m != w) {
                            graph.add(m, w, m, i);
                        }
                    }
                } else {
                    Set<Integer> before = seen.getOrDefault(k, Set.of());
                    if (w == ReadWriteHistory.INIT && !before.isEmpty()) {
                        if (g == Guarantee.MR) {
                            int first = before.iterator().next();
                            return Verdict.violated(g.model(), h.opsOf(first, seenBy.get(first), i), g.title() + ": "
                                    + h.at(i) + " returns the initial value after its session read "
                                    + h.at(seenBy.get(first)), n, graph.work);
                        }
                        continue;
                    }
                    if (w >= 0) {
                        for (int b : before) {
                            if (b != w) {
                                graph.add(b, w, seenBy.get(b), i);
                            }
                        }
                        if (seen.computeIfAbsent(k, x -> new LinkedHashSet<>()).add(w)) {
                            seenBy.put(w, i);
                            seenAll.add(w);
                        }
                    }
                }
            }
            work += graph.work;
        }
        work += own.work;
        if (g == Guarantee.RYW || g == Guarantee.MR) {
            for (int p = 0; p < views.length; p++) {
                List<Integer> cycle = views[p].anyCycle();
                if (cycle != null) {
                    return violation(h, g, p, views[p], cycle, work);
                }
            }
            return Verdict.satisfied(g.model(), n, work);
        }
        for (Graph view : views) {
            if (view.anyCycle() != null) {
                return new Verdict(g.model(), Verdict.Outcome.UNKNOWN, List.of(), "monotonic reads is itself violated by a"
                        + " cycle, so the order in which a reader observes writes, through which " + g.title()
                        + " is checked, is not defined", false, n, work);
            }
        }
        // the guarantee's own order, as every session observes it (each through its own reads); a cycle of the own
        // order alone (writes-follow-reads over a cyclic read-from) is a violation whoever observes it
        List<Integer> alone = own.anyCycle();
        if (alone != null) {
            return violation(h, g, -1, own, alone, work + own.work);
        }
        for (int p = 0; p < views.length; p++) {
            if (views[p].succ.isEmpty()) {
                continue;
            }
            Graph all = new Graph(n, own);
            for (Map.Entry<Long, int[]> e : views[p].reasons.entrySet()) {
                all.add((int) (e.getKey() / n), (int) (e.getKey() % n), e.getValue()[0], e.getValue()[1]);
            }
            List<Integer> cycle = all.anyCycle();
            work += all.work;
            if (cycle != null) {
                return violation(h, g, p, all, cycle, work);
            }
        }
        return Verdict.satisfied(g.model(), n, work);
    }

    private static Verdict violation(ReadWriteHistory h, Guarantee g, int session, Graph graph, List<Integer> cycle, long work) {
        List<Integer> witnesses = new ArrayList<>(cycle);
        StringBuilder sb = new StringBuilder();
        for (int j = 0; j < cycle.size(); j++) {
            int a = cycle.get(j);
            int b = cycle.get((j + 1) % cycle.size());
            int[] why = graph.reason(a, b);
            for (int x : why) {
                witnesses.add(x);
            }
            sb.append(j == 0 ? "" : ", ").append(h.ops.get(a).describe()).append(" before ").append(h.ops.get(b).describe());
        }
        return Verdict.violated(g.model(), h.opsOf(witnesses), g.title() + ": " + (session < 0 ? "every session" : "session p" + h.processIds.get(session))
                + " would have to order the writes in a cycle (" + sb + ")", h.size(), work);
    }

    /**
     * A directed graph over operation indices whose edges remember the two operations that force them; with a
     * {@code base}, the base's edges belong to the graph too (shared, not copied: one observer's view plus the
     * guarantee's own order).
     */
    private static final class Graph {
        final int n;
        final Graph base;
        final Map<Long, int[]> reasons = new HashMap<>();
        final Map<Integer, List<Integer>> succ = new HashMap<>();
        long work;

        Graph(int n, Graph base) {
            this.n = n;
            this.base = base;
        }

        void add(int a, int b, int why1, int why2) {
            work++;
            if (a == b) {
                return; // a read of its own session's later write: no order between distinct writes (CyclicCO's business)
            }
            if (base != null && base.reasons.containsKey((long) a * n + b)) {
                return;
            }
            if (reasons.putIfAbsent((long) a * n + b, new int[] {why1, why2}) == null) {
                succ.computeIfAbsent(a, x -> new ArrayList<>()).add(b);
            }
        }

        int[] reason(int a, int b) {
            int[] r = reasons.get((long) a * n + b);
            return r != null ? r : base != null ? base.reason(a, b) : new int[0];
        }

        private List<Integer> out(int v) {
            List<Integer> mine = succ.getOrDefault(v, List.of());
            if (base == null) {
                return mine;
            }
            List<Integer> theirs = base.succ.getOrDefault(v, List.of());
            if (theirs.isEmpty()) {
                return mine;
            }
            if (mine.isEmpty()) {
                return theirs;
            }
            List<Integer> both = new ArrayList<>(mine);
            both.addAll(theirs);
            return both;
        }

        /** Tarjan's strongly connected components (iterative): component number per node. */
        int[] components() {
            int[] index = new int[n];
            int[] low = new int[n];
            int[] comp = new int[n];
            boolean[] on = new boolean[n];
            Arrays.fill(index, -1);
            Arrays.fill(comp, -1);
            int counter = 0;
            int comps = 0;
            ArrayDeque<Integer> stack = new ArrayDeque<>();
            // with a base (checked acyclic on its own), a cycle uses one of this graph's edges: start from those only
            for (int s : new java.util.TreeSet<>(succ.keySet())) {
                if (index[s] >= 0) {
                    continue;
                }
                ArrayDeque<int[]> call = new ArrayDeque<>(); // {node, next successor position}
                ArrayDeque<List<Integer>> outs = new ArrayDeque<>();
                call.push(new int[] {s, 0});
                outs.push(out(s));
                index[s] = low[s] = counter++;
                stack.push(s);
                on[s] = true;
                while (!call.isEmpty()) {
                    int[] top = call.peek();
                    int v = top[0];
                    List<Integer> out = outs.peek();
                    if (top[1] < out.size()) {
                        int w = out.get(top[1]++);
                        work++;
                        if (index[w] < 0) {
                            index[w] = low[w] = counter++;
                            stack.push(w);
                            on[w] = true;
                            call.push(new int[] {w, 0});
                            outs.push(out(w));
                        } else if (on[w]) {
                            low[v] = Math.min(low[v], index[w]);
                        }
                        continue;
                    }
                    call.pop();
                    outs.pop();
                    if (!call.isEmpty()) {
                        int u = call.peek()[0];
                        low[u] = Math.min(low[u], low[v]);
                    }
                    if (low[v] == index[v]) {
                        int w;
                        do {
                            w = stack.pop();
                            on[w] = false;
                            comp[w] = comps;
                        } while (w != v);
                        comps++;
                    }
                }
            }
            return comp;
        }

        /** Some cycle, or null. */
        List<Integer> anyCycle() {
            if (succ.isEmpty()) {
                return null;
            }
            int[] comp = components();
            List<Map<Long, int[]>> all = base == null ? List.of(reasons) : List.of(reasons, base.reasons);
            for (Map<Long, int[]> edges : all) {
                for (long e : edges.keySet()) {
                    int a = (int) (e / n);
                    int b = (int) (e % n);
                    if (comp[a] >= 0 && comp[a] == comp[b]) {
                        List<Integer> cycle = new ArrayList<>();
                        cycle.add(a);
                        List<Integer> p = path(b, a);
                        cycle.addAll(p.subList(0, p.size() - 1));
                        return cycle;
                    }
                }
            }
            return null;
        }

        /** A shortest path from {@code from} to {@code to} (both included), by breadth-first search. */
        List<Integer> path(int from, int to) {
            Map<Integer, Integer> parent = new HashMap<>();
            ArrayDeque<Integer> q = new ArrayDeque<>();
            q.add(from);
            parent.put(from, from);
            while (!q.isEmpty()) {
                int v = q.poll();
                if (v == to) {
                    break;
                }
                for (int w : out(v)) {
                    if (parent.putIfAbsent(w, v) == null) {
                        q.add(w);
                    }
                }
            }
            List<Integer> p = new ArrayList<>();
            for (int v = to; v != from; v = parent.get(v)) {
                p.add(v);
            }
            p.add(from);
            java.util.Collections.reverse(p);
            return p;
        }
    }
}
