package io.github.dsw.check.consistency;

import io.github.dsw.check.History;
import io.github.dsw.check.HistoryEvent.Cas;
import io.github.dsw.check.HistoryEvent.Fn;
import io.github.dsw.check.LinearizabilityChecker;
import io.github.dsw.check.LinearizabilityChecker.Budget;
import io.github.dsw.check.Operation;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Sequential consistency (Lamport, "How to make a multiprocessor computer that correctly executes
 * multiprocess programs", IEEE Trans. Computers 1979): some total order of all operations respects each
 * process's program order (not real time) and is legal for the store, every key a read/write/cas register
 * starting at {@code null}.
 *
 * <p><b>The whole history, never per key.</b> Unlike linearizability, sequential consistency is not
 * compositional: each key's sub-history may be sequentially consistent while the whole is not (two processes
 * each write one key and then read the other's initial value: per key both are fine, together no order
 * exists). So the search runs over the whole history.
 *
 * <p><b>The search.</b> Deciding sequential consistency is NP-complete (Gibbons and Korach, SIAM J. Comput.
 * 1997). <b>First, the real-time order:</b> a linearizable history is sequentially consistent (an order that
 * respects real time respects program order), so chapter 5's {@link LinearizabilityChecker} runs first (with at
 * most half of the time budget, no shrinking); when it says linearizable, that is the verdict. It is compositional
 * (key by key) and guided by real time, so on the histories of linearizable stores this costs what the
 * linearizability check costs. Then a second sufficient test ({@link #linearizableStretched}): the same check after
 * stretching each process's operations over the idle gaps around them. Otherwise (a history that is not linearizable, or undecided) the search below
 * decides. The search is a depth-first search over configurations (how far each process has got, and the store's
 * state), each configuration explored at most once (a cache of 128-bit fingerprints, as chapter 5's checker
 * keeps), under the same {@link Budget}: when the configurations, the cache's memory or the time run out the
 * verdict is {@code UNKNOWN}. One reduction makes it fast on the usual histories: a read that is legal in the
 * current state is taken at once, without branching (a read changes no state, so moving it to the front of
 * any successful continuation keeps that continuation legal). Two prunes cut only configurations from which no
 * legal order exists: one where a process waits for a value that no operation still to come writes, and the
 * application of a write that would overwrite a value some operation still to come must read and nobody can write
 * again. Each process's next write is tried in order of invocation time (a heuristic: real stores' histories are
 * usually close to their real-time order). Measured before the linearizability pass: about as fast as the
 * linearizability checker on one key, 178-363x slower over ten keys
 * ({@code datasets/results/vm-20261203-consistency-checkers/}); with it see
 * {@code datasets/results/vm-20261203-consistency-checkers-quiet/}.
 *
 * <p><b>Indeterminate operations</b> ({@code info} or never completed) may take effect or not: a write or cas
 * of that kind is optional (a branch applies it, another skips it); an indeterminate read constrains nothing and
 * is dropped; failed operations did not happen. On a violation the history is shrunk to a small window
 * ({@link Windows}) within the budget's shrinking time.
 */
public final class SequentialChecker {
    private static final long BYTES_PER_SLOT = 16;
    private final Budget budget;

    public SequentialChecker(Budget budget) {
        if (budget == null) {
            throw new IllegalArgumentException("budget must not be null");
        }
        this.budget = budget;
    }

    public SequentialChecker() {
        this(Budget.defaults());
    }

    /** Checks the whole history; on a violation the witnesses are a shrunk window. */
    public Verdict check(History history) {
        long t0 = System.nanoTime();
        long deadline = deadline(t0, budget.searchTimeNs());
        List<Operation> ops = history.operations();
        // a linearizable history is sequentially consistent: its real-time order is a witness
        LinearizabilityChecker.Result lin = new LinearizabilityChecker(budget.withShrink(0, 0, 0)
                .withSearchTimeNs(half(remaining(deadline)))).checkKv(history);
        if (lin.linearizable()) {
            return new Verdict("sequential", Verdict.Outcome.SATISFIED, List.of(), "linearizable (chapter 5's checker), so"
                    + " sequentially consistent: an order respecting real time respects each process's program order",
                    true, ops.size(), lin.configurations());
        }
        if (linearizableStretched(ops, budget)) {
            return new Verdict("sequential", Verdict.Outcome.SATISFIED, List.of(), "linearizable once each process's"
                    + " operations are stretched over the idle gaps between them (so still in program order)",
                    true, ops.size(), lin.configurations());
        }
        Search s = new Search(ops, budget.maxConfigurations(), budget.maxCacheBytes(), deadline);
        Verdict.Outcome o = s.run();
        if (o == Verdict.Outcome.SATISFIED) {
            return Verdict.satisfied("sequential", ops.size(), s.configurations);
        }
        if (o == Verdict.Outcome.UNKNOWN) {
            return new Verdict("sequential", o, List.of(), "ran out of its " + s.exhausted + "; the search placed at most "
                    + s.deepest + " of " + s.determinate + " operations", false, ops.size(), s.configurations);
        }
        double share = budget.shrinkFraction() * (System.nanoTime() - t0);
        long shrinkNs = Math.max(budget.shrinkFloorNs(), Math.min(budget.shrinkCapNs(), share >= Long.MAX_VALUE ? Long.MAX_VALUE : (long) share));
        long shrinkDeadline = deadline(System.nanoTime(), shrinkNs);
        Budget small = budget.withMaxConfigurations(Math.min(budget.maxConfigurations(), 200_000));
        Windows.Shrunk w = Windows.shrink(s.checkedOps(),
                h -> quick(h.operations(), small, shrinkDeadline), shrinkDeadline);
        Search explain = new Search(w.window(), small.maxConfigurations(), small.maxCacheBytes(),
                deadline(System.nanoTime(), 1_000_000_000L));
        explain.recordLongest = true;
        explain.run();
        String longest = explain.longest.isEmpty() ? "(none)"
                : String.join(", ", explain.longest.stream().map(Operation::describe).toList());
        String why = "these " + w.window().size() + " operations admit no order that keeps each process's program order"
                + " and is legal (" + (w.minimal() ? "minimal: removing any read or unobserved write makes them sequentially consistent"
                        : "not minimal: shrinking stopped at its budget") + ");\nlongest legal order found: " + longest;
        return new Verdict("sequential", Verdict.Outcome.VIOLATED, w.window(), why, w.minimal(), ops.size(), s.configurations);
    }

    private static Verdict quick(List<Operation> ops, Budget b, long deadline) {
        if (linearizablePerKey(ops, b) || linearizableStretched(ops, b)) {
            return Verdict.satisfied("sequential", ops.size(), 0);
        }
        Search s = new Search(ops, b.maxConfigurations(), b.maxCacheBytes(), deadline);
        Verdict.Outcome o = s.run();
        return new Verdict("sequential", o, List.of(), "", true, ops.size(), s.configurations);
    }

    /** True when {@code ops} (of any keys) are sequentially consistent; unknown counts as false. */
    public boolean isSequentiallyConsistent(List<Operation> ops) {
        if (linearizablePerKey(ops, budget) || linearizableStretched(ops, budget)) {
            return true;
        }
        return new Search(ops, budget.maxConfigurations(), budget.maxCacheBytes(), Long.MAX_VALUE).run()
                == Verdict.Outcome.SATISFIED;
    }

    /** A first sufficient test: linearizable, key by key (a small configuration budget; failing proves nothing). */
    static boolean linearizablePerKey(List<Operation> ops, Budget budget) {
        Map<String, List<Operation>> byKey = new LinkedHashMap<>();
        for (Operation o : ops) {
            byKey.computeIfAbsent(o.key(), k -> new ArrayList<>()).add(o);
        }
        LinearizabilityChecker lin = new LinearizabilityChecker(budget.withMaxConfigurations(Math.min(budget.maxConfigurations(), 500_000)));
        return byKey.values().stream().allMatch(lin::isLinearizable);
    }

    /**
     * A second sufficient test: each process's operations get wider intervals that still follow one another (the
     * first from the beginning of time, the last to its end, the others up to the middle of the idle gap on each
     * side), and the result is checked for linearizability, key by key. A linearization of the stretched history
     * respects program order (one process's intervals are disjoint and in order), so it is a sequential witness.
     * It proves the usual "sequential but not linearizable" histories at the cost of a linearizability check: a
     * client that read a stale value while idle otherwise (a late reader, a replica behind). Bounded by a small
     * configuration budget; failing proves nothing.
     */
    static boolean linearizableStretched(List<Operation> ops, Budget budget) {
        Map<Integer, List<Operation>> byProc = new LinkedHashMap<>();
        for (Operation o : ops) {
            byProc.computeIfAbsent(o.process(), p -> new ArrayList<>()).add(o);
        }
        Map<String, List<Operation>> byKey = new LinkedHashMap<>();
        long far = 1L << 60;
        for (List<Operation> l : byProc.values()) {
            l.sort(java.util.Comparator.comparingLong(Operation::callNs).thenComparingInt(Operation::id));
            long lo = -far;
            for (int j = 0; j < l.size(); j++) {
                Operation o = l.get(j);
                long hi;
                long nextLo;
                if (j == l.size() - 1) {
                    hi = o.indeterminate() ? Long.MAX_VALUE : far;
                    nextLo = 0;
                } else {
                    long gap = l.get(j + 1).callNs() - o.returnNs();
                    hi = gap >= 2 ? o.returnNs() + gap / 2 : o.returnNs();
                    nextLo = gap >= 2 ? hi + 1 : l.get(j + 1).callNs();
                }
                Operation w = new Operation(o.id(), o.process(), o.f(), o.key(), o.input(), o.output(), Math.min(lo, o.callNs()),
                        o.indeterminate() ? Long.MAX_VALUE : Math.max(hi, o.returnNs()), o.indeterminate());
                byKey.computeIfAbsent(o.key(), k -> new ArrayList<>()).add(w);
                lo = nextLo;
            }
        }
        LinearizabilityChecker lin = new LinearizabilityChecker(budget.withMaxConfigurations(Math.min(budget.maxConfigurations(), 500_000)));
        for (List<Operation> l : byKey.values()) {
            l.sort(java.util.Comparator.comparingLong(Operation::callNs).thenComparingInt(Operation::id));
            if (!lin.isLinearizable(l)) {
                return false;
            }
        }
        return true;
    }

    private static long half(long ns) {
        return ns == Long.MAX_VALUE ? ns : Math.max(1, ns / 2);
    }

    private static long remaining(long deadline) {
        return deadline == Long.MAX_VALUE ? Long.MAX_VALUE : deadline - System.nanoTime();
    }

    private static long deadline(long now, long ns) {
        return ns >= Long.MAX_VALUE - now ? Long.MAX_VALUE : now + ns;
    }

    /** The depth-first search over configurations (per-process positions, store state). */
    static final class Search {
        final List<Operation> kept = new ArrayList<>();
        private final int procs;
        private final int[][] procOps;   // process -> kept-op indices in program order
        private final int[] opKey;
        private final byte[] kind;       // 0 read, 1 write, 2 cas
        private final int[] expect;      // read: value code read; cas: expected code
        private final int[] update;      // write / cas: new value code
        private final boolean[] optional;
        private final int keys;
        private final long maxConfigurations;
        private final long maxBytes;
        private final long deadlineNs;
        private final long[] procSalt;
        private final long[] keySalt;
        private final int[] opProc;
        private final int[] opPos;
        private final Map<Long, int[]> producers = new HashMap<>(); // (key, value code) -> ops that write it
        private final Map<Long, int[]> consumers = new HashMap<>(); // (key, value code) -> reads / cas that need it
        private long[] table = new long[0];
        private int mask;
        private int size;
        long configurations;
        int deepest;
        int determinate;
        String exhausted = "";
        boolean recordLongest;
        List<Operation> longest = List.of();

        Search(List<Operation> ops, long maxConfigurations, long maxBytes, long deadlineNs) {
            this.maxConfigurations = maxConfigurations;
            this.maxBytes = maxBytes;
            this.deadlineNs = deadlineNs;
            Map<Integer, List<Integer>> byProc = new LinkedHashMap<>();
            Map<String, Integer> keyIdx = new HashMap<>();
            List<Map<Long, Integer>> codes = new ArrayList<>();
            for (Operation o : ops) {
                if (o.f() == Fn.READ && o.indeterminate()) {
                    continue;
                }
                kept.add(o);
            }
            int n = kept.size();
            opKey = new int[n];
            kind = new byte[n];
            expect = new int[n];
            update = new int[n];
            optional = new boolean[n];
            for (int i = 0; i < n; i++) {
                Operation o = kept.get(i);
                byProc.computeIfAbsent(o.process(), p -> new ArrayList<>()).add(i);
                int k = keyIdx.computeIfAbsent(o.key(), x -> {
                    codes.add(new HashMap<>());
                    return codes.size() - 1;
                });
                opKey[i] = k;
                optional[i] = o.indeterminate();
                determinate += o.indeterminate() ? 0 : 1;
                Map<Long, Integer> c = codes.get(k);
                switch (o.f()) {
                    case READ -> expect[i] = code(c, o.output());
                    case WRITE -> {
                        kind[i] = 1;
                        update[i] = code(c, (Long) o.input());
                    }
                    case CAS -> {
                        Cas cas = (Cas) o.input();
                        kind[i] = 2;
                        expect[i] = code(c, cas.expected());
                        update[i] = code(c, cas.update());
                    }
                    default -> throw new IllegalStateException("unhandled f " + o.f());
                }
            }
            keys = codes.size();
            procs = byProc.size();
            procOps = new int[procs][];
            int p = 0;
            for (List<Integer> l : byProc.values()) {
                procOps[p++] = l.stream().mapToInt(Integer::intValue).toArray();
            }
            opProc = new int[n];
            opPos = new int[n];
            for (int q = 0; q < procs; q++) {
                for (int j = 0; j < procOps[q].length; j++) {
                    opProc[procOps[q][j]] = q;
                    opPos[procOps[q][j]] = j;
                }
            }
            Map<Long, List<Integer>> prod = new HashMap<>();
            for (int i = 0; i < n; i++) {
                if (kind[i] != 0) {
                    prod.computeIfAbsent(((long) opKey[i] << 32) | update[i], x -> new ArrayList<>()).add(i);
                }
            }
            prod.forEach((k, v) -> producers.put(k, v.stream().mapToInt(Integer::intValue).toArray()));
            Map<Long, List<Integer>> cons = new HashMap<>();
            for (int i = 0; i < n; i++) {
                if (kind[i] == 0 || (kind[i] == 2 && !optional[i])) {
                    cons.computeIfAbsent(((long) opKey[i] << 32) | expect[i], x -> new ArrayList<>()).add(i);
                }
            }
            cons.forEach((k, v) -> consumers.put(k, v.stream().mapToInt(Integer::intValue).toArray()));
            procSalt = new long[procs];
            keySalt = new long[keys];
            for (int i = 0; i < procs; i++) {
                procSalt[i] = mix(0x51ED270B27L + i);
            }
            for (int i = 0; i < keys; i++) {
                keySalt[i] = mix(0x7F4A7C15L * (i + 1));
            }
        }

        List<Operation> checkedOps() {
            return kept;
        }

        private static int code(Map<Long, Integer> codes, Long v) {
            return v == null ? 0 : codes.computeIfAbsent(v, x -> codes.size() + 1);
        }

        private static long mix(long i) {
            long z = i * 0x9e3779b97f4a7c15L;
            z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
            z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
            return z ^ (z >>> 31);
        }

        /** One step of the search: positions, state, the next choice to try, and the operations placed by the step. */
        private record Frame(int[] idx, int[] state, int[] placed, int[] next, int det) {
        }

        Verdict.Outcome run() {
            int[] idx0 = new int[procs];
            int[] st0 = new int[keys];
            List<Integer> placed0 = new ArrayList<>();
            closeReads(idx0, st0, placed0);
            java.util.ArrayDeque<Frame> stack = new java.util.ArrayDeque<>();
            if (add(idx0, st0) < 0) {
                return Verdict.Outcome.UNKNOWN;
            }
            stack.push(new Frame(idx0, st0, toArray(placed0), new int[] {0}, placed0.size()));
            long steps = 0;
            while (!stack.isEmpty()) {
                Frame f = stack.peek();
                if (f.det == determinate) {
                    if (recordLongest) {
                        record(stack);
                    }
                    deepest = determinate;
                    return Verdict.Outcome.SATISFIED;
                }
                if ((++steps & 0x3FF) == 0 && deadlineNs != Long.MAX_VALUE && System.nanoTime() - deadlineNs > 0) {
                    exhausted = "time budget";
                    return Verdict.Outcome.UNKNOWN;
                }
                boolean pushed = false;
                // choices: 2p = apply process p's next write/cas, 2p+1 = skip it (optional operations only), tried
                // in order of invocation time (a heuristic only: on histories of real stores the real-time order is
                // usually close to a legal one, so the first branches tend to succeed)
                int[] order = choiceOrder(f.idx);
                for (int ci = f.next[0]; ci < order.length && !pushed; ci++) {
                    int c = order[ci];
                    int p = c >> 1;
                    if (f.idx[p] >= procOps[p].length) {
                        continue;
                    }
                    int op = procOps[p][f.idx[p]];
                    boolean skip = (c & 1) == 1;
                    if (kind[op] == 0 || (skip && !optional[op])) {
                        continue;
                    }
                    int k = opKey[op];
                    if (!skip && kind[op] == 2 && f.state[k] != expect[op]) {
                        continue;
                    }
                    int[] idx = f.idx.clone();
                    int[] st = f.state.clone();
                    idx[p]++;
                    if (!skip) {
                        st[k] = update[op];
                    }
                    List<Integer> placed = new ArrayList<>();
                    if (!skip) {
                        placed.add(op);
                    }
                    if (!skip && f.state[k] != st[k] && stillNeeded(k, f.state[k], idx)) {
                        continue; // overwriting a value some operation still to come must see, with no way to write it again
                    }
                    closeReads(idx, st, placed);
                    if (dead(idx, st)) {
                        continue;
                    }
                    int added = add(idx, st);
                    if (added < 0) {
                        return Verdict.Outcome.UNKNOWN;
                    }
                    if (added == 0) {
                        continue;
                    }
                    f.next[0] = ci + 1;
                    int d = f.det + placed.size() - (!skip && optional[op] ? 1 : 0);
                    stack.push(new Frame(idx, st, toArray(placed), new int[] {0}, d));
                    pushed = true;
                    if (d > deepest) {
                        deepest = d;
                        if (recordLongest) {
                            record(stack);
                        }
                    }
                }
                if (!pushed) {
                    stack.pop();
                }
            }
            return Verdict.Outcome.VIOLATED;
        }

        /**
         * Some read or (non-optional) cas not yet placed expects value {@code c} of key {@code k}, and no operation
         * still to come that could precede it writes {@code c}: overwriting {@code c} now leaves it unsatisfiable.
         */
        private boolean stillNeeded(int k, int c, int[] idx) {
            for (int r : consumers.getOrDefault(((long) k << 32) | c, new int[0])) {
                if (idx[opProc[r]] > opPos[r]) {
                    continue;
                }
                boolean again = false;
                for (int w : producers.getOrDefault(((long) k << 32) | c, new int[0])) {
                    if (idx[opProc[w]] <= opPos[w] && (opProc[w] != opProc[r] || opPos[w] < opPos[r])) {
                        again = true;
                        break;
                    }
                }
                if (!again) {
                    return true;
                }
            }
            return false;
        }

        /** The choices 0 .. 2*procs-1 sorted by the invocation time of each process's next operation. */
        private int[] choiceOrder(int[] idx) {
            Integer[] c = new Integer[2 * procs];
            long[] t = new long[procs];
            for (int p = 0; p < procs; p++) {
                t[p] = idx[p] < procOps[p].length ? kept.get(procOps[p][idx[p]]).callNs() : Long.MAX_VALUE;
                c[2 * p] = 2 * p;
                c[2 * p + 1] = 2 * p + 1;
            }
            java.util.Arrays.sort(c, java.util.Comparator.<Integer>comparingLong(x -> t[x >> 1]).thenComparingInt(x -> x));
            int[] out = new int[c.length];
            for (int i = 0; i < c.length; i++) {
                out[i] = c[i];
            }
            return out;
        }

        private void record(java.util.ArrayDeque<Frame> stack) {
            List<Operation> order = new ArrayList<>();
            java.util.Iterator<Frame> it = stack.descendingIterator();
            while (it.hasNext()) {
                for (int op : it.next().placed) {
                    order.add(kept.get(op));
                }
            }
            longest = order;
        }

        private static int[] toArray(List<Integer> l) {
            return l.stream().mapToInt(Integer::intValue).toArray();
        }

        /** Takes every read that is legal now (and any it enables), in place. */
        private void closeReads(int[] idx, int[] st, List<Integer> placed) {
            boolean again = true;
            while (again) {
                again = false;
                for (int p = 0; p < procs; p++) {
                    while (idx[p] < procOps[p].length) {
                        int op = procOps[p][idx[p]];
                        if (kind[op] != 0 || st[opKey[op]] != expect[op]) {
                            break;
                        }
                        idx[p]++;
                        placed.add(op);
                        again = true;
                    }
                }
            }
        }

        /**
         * Some process waits for a value that can no longer appear: its next operation is a read (or a cas that
         * cannot be skipped) expecting a value that is not the current one and that no operation still to come
         * writes. No continuation exists, so the configuration is not explored (a sound prune: it only cuts
         * configurations from which the search would fail anyway).
         */
        private boolean dead(int[] idx, int[] st) {
            for (int p = 0; p < procs; p++) {
                if (idx[p] >= procOps[p].length) {
                    continue;
                }
                int op = procOps[p][idx[p]];
                if (kind[op] == 1 || (kind[op] == 2 && optional[op]) || st[opKey[op]] == expect[op]) {
                    continue;
                }
                boolean obtainable = false;
                for (int w : producers.getOrDefault(((long) opKey[op] << 32) | expect[op], new int[0])) {
                    if (opProc[w] != p && idx[opProc[w]] <= opPos[w]) {
                        obtainable = true;
                        break;
                    }
                }
                if (!obtainable) {
                    return true;
                }
            }
            return false;
        }

        /** 1 new configuration, 0 seen before, -1 budget exhausted. */
        private int add(int[] idx, int[] st) {
            long f1 = 0x243F6A8885A308D3L;
            long f2 = 0x13198A2E03707344L;
            for (int p = 0; p < procs; p++) {
                long h = mix(procSalt[p] ^ (idx[p] * 0x9E3779B97F4A7C15L));
                f1 ^= h;
                f2 += mix(h ^ 0x5851F42D4C957F2DL);
            }
            for (int k = 0; k < keys; k++) {
                long h = mix(keySalt[k] ^ ((st[k] + 1L) * 0xC2B2AE3D27D4EB4FL));
                f1 ^= h;
                f2 += mix(h ^ 0x2545F4914F6CDD1DL);
            }
            if (f1 == 0 && f2 == 0) {
                f2 = 1;
            }
            if (size + 1 > 0.5 * (table.length / 2) && !grow()) {
                return -1;
            }
            int i = (int) (f1 ^ (f1 >>> 29)) & mask;
            while (true) {
                long a = table[2 * i];
                long b = table[2 * i + 1];
                if (a == 0 && b == 0) {
                    if (configurations + 1 > maxConfigurations) {
                        exhausted = "configuration budget (" + maxConfigurations + ")";
                        return -1;
                    }
                    table[2 * i] = f1;
                    table[2 * i + 1] = f2;
                    size++;
                    configurations++;
                    return 1;
                }
                if (a == f1 && b == f2) {
                    return 0;
                }
                i = (i + 1) & mask;
            }
        }

        private boolean grow() {
            int slots = Math.max(1024, table.length);
            if (slots > (1 << 29) || (long) slots * BYTES_PER_SLOT > maxBytes) {
                exhausted = "memory budget (" + maxBytes / (1 << 20) + " MiB for the cache)";
                return false;
            }
            long[] old = table;
            table = new long[2 * slots];
            mask = slots - 1;
            for (int k = 0; k < old.length; k += 2) {
                long a = old[k];
                long b = old[k + 1];
                if (a == 0 && b == 0) {
                    continue;
                }
                int i = (int) (a ^ (a >>> 29)) & mask;
                while (table[2 * i] != 0 || table[2 * i + 1] != 0) {
                    i = (i + 1) & mask;
                }
                table[2 * i] = a;
                table[2 * i + 1] = b;
            }
            return true;
        }
    }
}
