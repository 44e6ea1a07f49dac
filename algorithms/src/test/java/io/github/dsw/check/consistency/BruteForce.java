package io.github.dsw.check.consistency;

import io.github.dsw.check.History;
import io.github.dsw.check.HistoryEvent.Cas;
import io.github.dsw.check.HistoryEvent.Fn;
import io.github.dsw.check.Operation;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * Second, deliberately naive implementations of every model, written from the definitions for tiny histories:
 * they enumerate orders (and arbitrations) instead of reasoning about patterns, cycles or configurations.
 * No cache, no reduction, no vector clock: exponential.
 */
final class BruteForce {

    private BruteForce() {
    }

    // ------------------------------------------------------------------ sequential consistency

    /** Some order of the operations keeps program order and is legal; indeterminate writes/cas may be left out. */
    static boolean sequential(History h) {
        List<Operation> ops = new ArrayList<>();
        for (Operation o : h.operations()) {
            if (!(o.f() == Fn.READ && o.indeterminate())) {
                ops.add(o);
            }
        }
        return sc(ops, new boolean[ops.size()], new HashMap<>());
    }

    private static boolean sc(List<Operation> ops, boolean[] used, Map<String, Long> state) {
        boolean allDone = true;
        for (int i = 0; i < ops.size(); i++) {
            if (!used[i] && !ops.get(i).indeterminate()) {
                allDone = false;
            }
        }
        if (allDone) {
            return true;
        }
        for (int i = 0; i < ops.size(); i++) {
            if (used[i] || !firstUnused(ops, used, i)) {
                continue;
            }
            Operation o = ops.get(i);
            Long cur = state.get(o.key());
            // either apply it, or (indeterminate only) drop it
            for (int mode = 0; mode < (o.indeterminate() ? 2 : 1); mode++) {
                Long after = cur;
                if (mode == 0) {
                    switch (o.f()) {
                        case READ -> {
                            if (!Objects.equals(o.output(), cur)) {
                                continue;
                            }
                        }
                        case WRITE -> after = (Long) o.input();
                        default -> {
                            Cas c = (Cas) o.input();
                            if (!Objects.equals(c.expected(), cur)) {
                                continue;
                            }
                            after = c.update();
                        }
                    }
                }
                used[i] = true;
                Map<String, Long> s2 = new HashMap<>(state);
                s2.put(o.key(), after);
                if (sc(ops, used, s2)) {
                    return true;
                }
                used[i] = false;
            }
        }
        return false;
    }

    /** Operation i is its process's first operation not yet placed. */
    private static boolean firstUnused(List<Operation> ops, boolean[] used, int i) {
        for (int j = 0; j < i; j++) {
            if (!used[j] && ops.get(j).process() == ops.get(i).process()) {
                return false;
            }
        }
        return true;
    }

    // ------------------------------------------------------------------ causal models

    /** The history as the causal definitions see it: ops, read-from, and co = (po ∪ rf)+ as a matrix. */
    private static final class Causal {
        final List<Operation> ops = new ArrayList<>();
        final int[] rf;          // read -> writer index, -1 init, -2 nobody; write -> -3
        final boolean[][] co;
        final boolean acyclic;

        Causal(History h) {
            for (Operation o : h.operations()) {
                if (!o.indeterminate()) {
                    ops.add(o);
                }
            }
            int n = ops.size();
            rf = new int[n];
            co = new boolean[n][n];
            for (int i = 0; i < n; i++) {
                Operation o = ops.get(i);
                rf[i] = -3;
                if (o.f() == Fn.READ) {
                    rf[i] = o.output() == null ? -1 : -2;
                    for (int j = 0; j < n; j++) {
                        Operation w = ops.get(j);
                        if (w.f() == Fn.WRITE && w.key().equals(o.key()) && w.input().equals(o.output())) {
                            rf[i] = j;
                        }
                    }
                    if (rf[i] >= 0) {
                        co[rf[i]][i] = true;
                    }
                }
                for (int j = 0; j < i; j++) {
                    if (ops.get(j).process() == o.process()) {
                        co[j][i] = true; // ops are in invocation order: j before i in program order
                    }
                }
            }
            for (int k = 0; k < n; k++) {
                for (int i = 0; i < n; i++) {
                    for (int j = 0; j < n; j++) {
                        co[i][j] |= co[i][k] && co[k][j];
                    }
                }
            }
            boolean ok = true;
            for (int i = 0; i < n; i++) {
                ok &= !co[i][i];
                ok &= rf[i] != -2;
            }
            acyclic = ok;
        }

        boolean isWrite(int i) {
            return ops.get(i).f() == Fn.WRITE;
        }

        boolean sameKey(int i, int j) {
            return ops.get(i).key().equals(ops.get(j).key());
        }

        /** Is there an order of {@code nodes} extending co for which {@code ok} holds? */
        boolean anyOrder(List<Integer> nodes, Predicate<List<Integer>> ok) {
            return extend(nodes, new ArrayList<>(), new boolean[nodes.size()], ok);
        }

        private boolean extend(List<Integer> nodes, List<Integer> order, boolean[] used, Predicate<List<Integer>> ok) {
            if (order.size() == nodes.size()) {
                return ok.test(order);
            }
            for (int a = 0; a < nodes.size(); a++) {
                if (used[a]) {
                    continue;
                }
                boolean minimal = true;
                for (int b = 0; b < nodes.size() && minimal; b++) {
                    minimal = used[b] || b == a || !co[nodes.get(b)][nodes.get(a)];
                }
                if (!minimal) {
                    continue;
                }
                used[a] = true;
                order.add(nodes.get(a));
                if (extend(nodes, order, used, ok)) {
                    return true;
                }
                order.remove(order.size() - 1);
                used[a] = false;
            }
            return false;
        }

        /** In this order, the last write of r's key before r is r's writer (none for an initial read). */
        boolean legalAt(List<Integer> order, int r) {
            int last = -1;
            for (int x : order) {
                if (x == r) {
                    return last == rf[r];
                }
                if (isWrite(x) && sameKey(x, r)) {
                    last = x;
                }
            }
            throw new IllegalStateException("read not in order");
        }
    }

    /** Weak causal consistency: each read is legal in some co-order of the writes of its causal past. */
    static boolean cc(History h) {
        Causal c = new Causal(h);
        if (!c.acyclic) {
            return false;
        }
        for (int r = 0; r < c.ops.size(); r++) {
            if (c.isWrite(r)) {
                continue;
            }
            List<Integer> nodes = new ArrayList<>();
            for (int w = 0; w < c.ops.size(); w++) {
                if (c.isWrite(w) && c.co[w][r]) {
                    nodes.add(w);
                }
            }
            nodes.add(r);
            int read = r;
            if (!c.anyOrder(nodes, o -> c.legalAt(o, read))) {
                return false;
            }
        }
        return true;
    }

    /** Causal memory: per process, one co-order of all writes and its own operations in which its reads are legal. */
    static boolean cm(History h) {
        Causal c = new Causal(h);
        if (!c.acyclic) {
            return false;
        }
        java.util.Set<Integer> procs = new java.util.TreeSet<>();
        c.ops.forEach(o -> procs.add(o.process()));
        for (int p : procs) {
            List<Integer> nodes = new ArrayList<>();
            List<Integer> reads = new ArrayList<>();
            for (int i = 0; i < c.ops.size(); i++) {
                if (c.isWrite(i) || c.ops.get(i).process() == p) {
                    nodes.add(i);
                }
                if (!c.isWrite(i) && c.ops.get(i).process() == p) {
                    reads.add(i);
                }
            }
            if (!c.anyOrder(nodes, o -> reads.stream().allMatch(r -> c.legalAt(o, r)))) {
                return false;
            }
        }
        return true;
    }

    /** Causal convergence: one co-order of everything (the arbitration) in which each read returns the last write of its causal past. */
    static boolean ccv(History h) {
        Causal c = new Causal(h);
        if (!c.acyclic) {
            return false;
        }
        List<Integer> all = new ArrayList<>();
        for (int i = 0; i < c.ops.size(); i++) {
            all.add(i);
        }
        return c.anyOrder(all, order -> {
            for (int r = 0; r < c.ops.size(); r++) {
                if (c.isWrite(r)) {
                    continue;
                }
                int last = -1;
                for (int x : order) {
                    if (c.isWrite(x) && c.sameKey(x, r) && c.co[x][r]) {
                        last = x;
                    }
                }
                if (last != c.rf[r]) {
                    return false;
                }
            }
            return true;
        });
    }

    // ------------------------------------------------------------------ session guarantees

    /**
     * The guarantee by its axioms: for every session, some arbitration (a permutation of all writes; each session its
     * own) and the smallest visibility the guarantee demands make every read of that session return the
     * arbitration-last visible write of its key. For MW and WFR,
     * visibility is the observers' (monotonic reads, reads of the initial value exempted) and the arbitration must
     * also contain the guarantee's own order; null (unknown) when the observers' visibility alone admits no
     * arbitration. Reads of values nobody wrote are ignored.
     */
    static Verdict.Outcome session(History h, SessionChecker.Guarantee g) {
        Causal c = new Causal(h);
        int n = c.ops.size();
        List<Integer> writes = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            if (c.isWrite(i)) {
                writes.add(i);
            }
        }
        boolean observers = g == SessionChecker.Guarantee.MW || g == SessionChecker.Guarantee.WFR;
        java.util.Set<Integer> sessions = new java.util.TreeSet<>();
        for (Operation o : c.ops) {
            sessions.add(o.process());
        }
        if (observers) {
            for (int s : sessions) {
                if (!existsArbitration(c, writes, g, false, s)) {
                    return Verdict.Outcome.UNKNOWN;
                }
            }
        }
        for (int s : sessions) {
            if (!existsArbitration(c, writes, g, true, s)) {
                return Verdict.Outcome.VIOLATED;
            }
        }
        return Verdict.Outcome.SATISFIED;
    }

    private static boolean existsArbitration(Causal c, List<Integer> writes, SessionChecker.Guarantee g, boolean own, int session) {
        List<List<Integer>> perms = new ArrayList<>();
        permute(writes, 0, perms);
        for (List<Integer> ar : perms) {
            if (works(c, ar, g, own, session)) {
                return true;
            }
        }
        return false;
    }

    private static void permute(List<Integer> a, int k, List<List<Integer>> out) {
        if (k == a.size()) {
            out.add(new ArrayList<>(a));
            return;
        }
        for (int i = k; i < a.size(); i++) {
            java.util.Collections.swap(a, k, i);
            permute(a, k + 1, out);
            java.util.Collections.swap(a, k, i);
        }
    }

    private static boolean works(Causal c, List<Integer> ar, SessionChecker.Guarantee g, boolean own, int session) {
        int n = c.ops.size();
        boolean observers = g == SessionChecker.Guarantee.MW || g == SessionChecker.Guarantee.WFR;
        if (own && g == SessionChecker.Guarantee.MW) {
            for (int a = 0; a < n; a++) {
                for (int b = a + 1; b < n; b++) {
                    if (c.isWrite(a) && c.isWrite(b) && c.ops.get(a).process() == c.ops.get(b).process()
                            && ar.indexOf(a) > ar.indexOf(b)) {
                        return false;
                    }
                }
            }
        }
        if (own && g == SessionChecker.Guarantee.WFR) {
            for (int r = 0; r < n; r++) {
                for (int w = r + 1; w < n; w++) {
                    if (!c.isWrite(r) && c.rf[r] >= 0 && c.isWrite(w) && c.ops.get(r).process() == c.ops.get(w).process()
                            && ar.indexOf(c.rf[r]) > ar.indexOf(w)) {
                        return false;
                    }
                }
            }
        }
        for (int r = 0; r < n; r++) {
            if (c.isWrite(r) || c.rf[r] == -2 || c.ops.get(r).process() != session) {
                continue;
            }
            if (observers && c.rf[r] == -1) {
                continue;
            }
            java.util.Set<Integer> vis = new java.util.HashSet<>();
            if (c.rf[r] >= 0) {
                vis.add(c.rf[r]);
            }
            for (int e = 0; e < r; e++) {
                if (c.ops.get(e).process() != c.ops.get(r).process()) {
                    continue;
                }
                if (g == SessionChecker.Guarantee.RYW && c.isWrite(e)) {
                    vis.add(e);
                }
                if (g != SessionChecker.Guarantee.RYW && !c.isWrite(e) && c.rf[e] >= 0) {
                    vis.add(c.rf[e]);
                }
            }
            int last = -1;
            for (int w : ar) {
                if (vis.contains(w) && c.sameKey(w, r)) {
                    last = w;
                }
            }
            if (last != c.rf[r]) {
                return false;
            }
        }
        return true;
    }
}
