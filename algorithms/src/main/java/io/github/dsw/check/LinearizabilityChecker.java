package io.github.dsw.check;

import io.github.dsw.check.HistoryEvent.Cas;
import io.github.dsw.check.HistoryEvent.Fn;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Decides whether a history of a read/write/cas register (or of a key-value store: one independent
 * register per key) is linearizable (Herlihy and Wing, TOPLAS 1990): whether every operation can be
 * given a point between its invocation and its completion so that, taken in that order, the operations
 * are legal for a sequential register that starts empty ({@code nil}).
 *
 * <p>The search is Wing and Gong's (JPDC 1993) depth-first search with Lowe's improvements ("Testing
 * for linearizability", CCPE 2017), as in Porcupine: the history is a linked list of call and return
 * entries in time order; the search repeatedly linearizes the first call it can (lifting the call and
 * its return out of the list), and backtracks when it reaches the return of an operation that is not yet
 * linearized. A configuration (set of linearized operations, register state) already explored is never
 * explored again: that cache turns an exponential search into one that is usually linear in practice.
 *
 * <p>Indeterminate operations ({@code info} or never completed) have no return entry: they may be
 * linearized at any point after their call, or never, which is exactly Jepsen's meaning of
 * {@code info}. Failed operations are not in the search at all. A key-value history is split per key
 * first: linearizability is compositional (Herlihy and Wing, Theorem 1), so the whole is linearizable
 * iff every key is.
 *
 * <p>On a negative verdict the checker shrinks the history to a small window that is still not
 * linearizable, using only transformations that keep that property meaningful (a non-linearizable
 * result implies the original is not linearizable): cutting at the earliest failing completion,
 * deleting reads, and deleting writes whose value nobody can observe. See {@link #shrink}.
 */
public final class LinearizabilityChecker {

    /** The verdict. */
    public enum Outcome { LINEARIZABLE, NOT_LINEARIZABLE, UNKNOWN }

    /**
     * What the checker found.
     *
     * @param outcome      the verdict
     * @param key          the first key found not linearizable (null otherwise)
     * @param window       a small non-linearizable set of operations of that key (empty otherwise)
     * @param longestOrder the longest legal order the search reached on the window, for explanation
     * @param operations   operations checked (all keys)
     * @param configurations configurations explored (all keys, first pass)
     */
    public record Result(Outcome outcome, String key, List<Operation> window, List<Operation> longestOrder,
                         int operations, long configurations) {

        public boolean linearizable() {
            return outcome == Outcome.LINEARIZABLE;
        }

        /** A few lines a person can read: the verdict, then the window as a timeline. */
        public String describe() {
            if (outcome != Outcome.NOT_LINEARIZABLE) {
                return outcome.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ') + " (" + operations + " operations, "
                        + configurations + " configurations explored)";
            }
            return "NOT linearizable: key '" + key + "', these " + window.size()
                    + " operations admit no legal order that respects real time:\n" + Timeline.render(window)
                    + "longest legal order found: " + (longestOrder.isEmpty() ? "(none)" : String.join(", ",
                            longestOrder.stream().map(Operation::describe).toList())) + "\n";
        }
    }

    private final long maxConfigurations;

    /** A checker that gives up with {@link Outcome#UNKNOWN} after {@code maxConfigurations} per key. */
    public LinearizabilityChecker(long maxConfigurations) {
        if (maxConfigurations < 1) {
            throw new IllegalArgumentException("maxConfigurations must be >= 1, got " + maxConfigurations);
        }
        this.maxConfigurations = maxConfigurations;
    }

    /** A checker with a budget of 5 million configurations per key (a few hundred MB of memory at most). */
    public LinearizabilityChecker() {
        this(5_000_000);
    }

    /**
     * Checks a single-register history: every event must use the same key.
     *
     * @throws IllegalArgumentException if the history has more than one key
     */
    public Result checkRegister(History history) {
        List<String> keys = history.keys();
        if (keys.size() > 1) {
            throw new IllegalArgumentException("a register history has one key, this one has " + keys.size()
                    + " (" + String.join(", ", keys.subList(0, Math.min(5, keys.size()))) + "...): use the kv model");
        }
        return checkKv(history);
    }

    /** Checks a key-value history, one register per key, keys checked independently. */
    public Result checkKv(History history) {
        int ops = 0;
        long configurations = 0;
        boolean unknown = false;
        for (Map.Entry<String, History> part : history.byKey().entrySet()) {
            List<Operation> operations = part.getValue().operations();
            ops += operations.size();
            Search s = new Search(operations, maxConfigurations);
            Outcome o = s.run();
            configurations += s.configurations;
            if (o == Outcome.UNKNOWN) {
                unknown = true;
            } else if (o == Outcome.NOT_LINEARIZABLE) {
                List<Operation> window = shrink(operations);
                Search explain = new Search(window, maxConfigurations);
                explain.run();
                return new Result(Outcome.NOT_LINEARIZABLE, part.getKey(), window, explain.longest, ops, configurations);
            }
        }
        return new Result(unknown ? Outcome.UNKNOWN : Outcome.LINEARIZABLE, null, List.of(), List.of(), ops, configurations);
    }

    /** True when the operations (all of one key) are linearizable; UNKNOWN counts as false. */
    public boolean isLinearizable(List<Operation> operations) {
        return new Search(operations, maxConfigurations).run() == Outcome.LINEARIZABLE;
    }

    // ------------------------------------------------------------------ shrinking

    /**
     * Shrinks a non-linearizable single-key history to a small one that is still not linearizable.
     * Every step maps a linearizable history to a linearizable one, so a non-linearizable result proves
     * that the input is not linearizable.
     * <ol>
     *   <li>Prefix: cut the history at the earliest completion time T such that the operations invoked
     *       by T (those completing after T becoming indeterminate) are already not linearizable. A
     *       linearization of a longer prefix, cut before its first operation invoked after T, is one of
     *       the shorter: so non-linearizability is monotone in T and binary search finds the least T.</li>
     *   <li>Delete reads: a read never changes the state, so removing it from a linearization keeps it legal.</li>
     *   <li>Delete a write or cas W of value v that nobody can observe: no other operation that reads v
     *       or cas-expects v could be linearized after W without an {@code ok} write definitely in between
     *       (invoked after W returned, returned before the observer was invoked). Removing W from a
     *       linearization changes only the states between W and the next state change, and no operation
     *       there checks for v.</li>
     * </ol>
     * Finally, for readability, the latest completed write deleted along the way that keeps the window
     * non-linearizable is put back (of the ten latest): a write
     * that made a stale read stale is the first thing a reader looks for.
     * Deletions are tried in halving chunks (in the spirit of Zeller's delta debugging). Trial checks run
     * with a small search budget, and a trial whose verdict is unknown is rejected, so a budget can make
     * the window larger but never wrong.
     */
    List<Operation> shrink(List<Operation> operations) {
        List<Operation> ops = shortestFailingPrefix(operations);
        int[] budget = {6000};
        for (int round = 0; round < 100 && budget[0] > 0; round++) {
            int before = ops.size();
            long indet = ops.stream().filter(Operation::indeterminate).count();
            ops = deleteChunks(ops, o -> o.f() == Fn.READ, budget);
            ops = deleteChunks(ops, null, budget);
            if (ops.size() == before && ops.stream().filter(Operation::indeterminate).count() == indet) {
                break;
            }
        }
        ops = restoreWrites(operations, ops);
        List<Operation> sorted = new ArrayList<>(ops);
        sorted.sort(Comparator.comparingLong(Operation::callNs).thenComparingInt(Operation::id));
        return List.copyOf(sorted);
    }

    /** True only when the search proves {@code ops} not linearizable within the shrinking budget. */
    private boolean definitelyNot(List<Operation> ops) {
        return new Search(ops, Math.min(maxConfigurations, 200_000)).run() == Outcome.NOT_LINEARIZABLE;
    }

    private List<Operation> shortestFailingPrefix(List<Operation> ops) {
        long[] cuts = ops.stream().filter(o -> !o.indeterminate()).mapToLong(Operation::returnNs).sorted().distinct().toArray();
        int lo = 0;
        int hi = cuts.length - 1;
        if (hi < 0 || isLinearizable(prefix(ops, cuts[hi]))) {
            return ops; // only indeterminate operations beyond the last return cannot be the culprit
        }
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (isLinearizable(prefix(ops, cuts[mid]))) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return prefix(ops, cuts[lo]);
    }

    private static List<Operation> prefix(List<Operation> ops, long t) {
        List<Operation> out = new ArrayList<>();
        for (Operation o : ops) {
            if (o.callNs() > t) {
                continue;
            }
            if (o.returnNs() > t && !o.indeterminate()) {
                if (o.f() == Fn.READ) {
                    continue; // an indeterminate read constrains nothing
                }
                o = new Operation(o.id(), o.process(), o.f(), o.key(), o.input(), null, o.callNs(), Long.MAX_VALUE, true);
            }
            out.add(o);
        }
        return out;
    }

    /** Deletes chunks of candidates: operations matching {@code reads} if given, else unobserved writes/cas. */
    private List<Operation> deleteChunks(List<Operation> ops, java.util.function.Predicate<Operation> reads, int[] budget) {
        List<Operation> current = ops;
        for (int chunk = Math.max(1, current.size() / 2); chunk >= 1 && budget[0] > 0; chunk /= 2) {
            List<Operation> candidates = reads != null ? current.stream().filter(reads).toList() : unobserved(current);
            for (int i = 0; i < candidates.size() && budget[0] > 0; i += chunk) {
                Set<Operation> drop = new HashSet<>(candidates.subList(i, Math.min(candidates.size(), i + chunk)));
                if (drop.isEmpty()) {
                    continue;
                }
                List<Operation> trial = current.stream().filter(o -> !drop.contains(o)).toList();
                budget[0]--;
                if (definitelyNot(trial)) {
                    current = trial;
                }
            }
            if (chunk == 1) {
                break;
            }
        }
        return current;
    }

    /** Writes and cas that no remaining operation can observe (rule 3 of {@link #shrink}). */
    private static List<Operation> unobserved(List<Operation> ops) {
        // ok plain writes sorted by call, with the suffix minimum of their return times: the earliest
        // return among writes invoked after time t tells whether a write definitely separates t and u.
        List<Operation> writes = ops.stream().filter(o -> o.f() == Fn.WRITE && !o.indeterminate())
                .sorted(Comparator.comparingLong(Operation::callNs)).toList();
        long[] calls = writes.stream().mapToLong(Operation::callNs).toArray();
        long[] suffixMinReturn = new long[writes.size() + 1];
        suffixMinReturn[writes.size()] = Long.MAX_VALUE;
        for (int i = writes.size() - 1; i >= 0; i--) {
            suffixMinReturn[i] = Math.min(suffixMinReturn[i + 1], writes.get(i).returnNs());
        }
        List<Operation> out = new ArrayList<>();
        for (Operation w : ops) {
            Long v = written(w);
            if (v == null) {
                continue;
            }
            long minReturn = Long.MAX_VALUE;
            if (!w.indeterminate()) {
                int i = java.util.Arrays.binarySearch(calls, w.returnNs() + 1);
                i = i >= 0 ? i : -i - 1;
                while (i > 0 && calls[i - 1] > w.returnNs()) {
                    i--;
                }
                minReturn = suffixMinReturn[i];
            }
            boolean observable = false;
            for (Operation o : ops) {
                if (o == w || !v.equals(observes(o))) {
                    continue;
                }
                boolean canFollow = o.indeterminate() || o.returnNs() >= w.callNs();
                boolean separated = minReturn < o.callNs();
                if (canFollow && !separated) {
                    observable = true;
                    break;
                }
            }
            if (!observable) {
                out.add(w);
            }
        }
        return out;
    }

    private static Long written(Operation o) {
        return switch (o.f()) {
            case WRITE -> (Long) o.input();
            case CAS -> ((Cas) o.input()).update();
            case READ -> null;
        };
    }

    /** The value an operation checks the register for: a read's result, a cas's expected value. */
    private static Long observes(Operation o) {
        return switch (o.f()) {
            case READ -> o.indeterminate() ? null : o.output();
            case CAS -> ((Cas) o.input()).expected();
            case WRITE -> null;
        };
    }

    private List<Operation> restoreWrites(List<Operation> original, List<Operation> window) {
        long to = window.stream().filter(o -> !o.indeterminate()).mapToLong(Operation::returnNs).max().orElse(Long.MAX_VALUE);
        Set<Integer> ids = new HashSet<>();
        window.forEach(o -> ids.add(o.id()));
        List<Operation> candidates = original.stream()
                .filter(o -> o.f() == Fn.WRITE && !o.indeterminate() && !ids.contains(o.id())
                        && o.returnNs() <= to)
                .sorted(Comparator.comparingLong(Operation::returnNs).reversed()).limit(10).toList();
        List<Operation> current = window;
        for (Operation w : candidates) {
            List<Operation> trial = new ArrayList<>(current);
            trial.add(w);
            if (definitelyNot(trial)) {
                return trial;
            }
        }
        return current;
    }

    // ------------------------------------------------------------------ the search

    /** One Wing–Gong–Lowe search over the operations of one key. */
    private static final class Search {

        /** A call or return in the doubly linked list of the history. */
        private static final class Entry {
            final Operation op;
            final int opIndex;
            final boolean call;
            final long time;
            Entry match; // a call's return entry (null for indeterminate operations)
            Entry prev;
            Entry next;

            Entry(Operation op, int opIndex, boolean call, long time) {
                this.op = op;
                this.opIndex = opIndex;
                this.call = call;
                this.time = time;
            }
        }

        /**
         * A memoised configuration: which operations are linearized, and the register's state. The hash is
         * a Zobrist hash (XOR of a random 64-bit key per linearized operation), kept incrementally, so
         * hashing costs O(1) and sets that differ by a few operations do not collide (BitSet's own hash
         * does, badly, on the nearly identical sets this search produces). The set is stored compactly as
         * the index of its first missing operation plus the bits from there on: operations are indexed in
         * invocation order and the search linearizes the past first, so the stored tail stays short.
         */
        private record Config(int low, BitSet rest, int state, long zobrist) {
            static Config of(BitSet linearized, int state, long zobrist) {
                int low = linearized.nextClearBit(0);
                return new Config(low, linearized.get(low, Math.max(low, linearized.length())), state, zobrist);
            }

            @Override
            public int hashCode() {
                long h = (zobrist ^ (state * 0x9e3779b97f4a7c15L)) * 0xbf58476d1ce4e5b9L;
                return (int) (h ^ (h >>> 32));
            }

            @Override
            public boolean equals(Object o) {
                return o instanceof Config c && c.zobrist == zobrist && c.state == state && c.low == low && c.rest.equals(rest);
            }
        }

        /** SplitMix64's finaliser applied to i: the Zobrist key of operation i. */
        private static long zobristKey(int i) {
            long z = (i + 1) * 0x9e3779b97f4a7c15L;
            z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
            z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
            return z ^ (z >>> 31);
        }

        private final List<Operation> ops;
        private final long maxConfigurations;
        private final Map<Long, Integer> codes = new HashMap<>(); // register value -> small int; nil is 0
        private final int[] readCode;
        private final int[] argCode; // write value, or cas expected
        private final int[] newCode; // write value, or cas new
        long configurations;
        List<Operation> longest = List.of();

        Search(List<Operation> ops, long maxConfigurations) {
            this.ops = ops;
            this.maxConfigurations = maxConfigurations;
            int n = ops.size();
            readCode = new int[n];
            argCode = new int[n];
            newCode = new int[n];
            for (int i = 0; i < n; i++) {
                Operation o = ops.get(i);
                switch (o.f()) {
                    case READ -> readCode[i] = code(o.output());
                    case WRITE -> newCode[i] = code((Long) o.input());
                    case CAS -> {
                        Cas c = (Cas) o.input();
                        argCode[i] = code(c.expected());
                        newCode[i] = code(c.update());
                    }
                    default -> throw new IllegalStateException("unhandled f " + o.f());
                }
            }
        }

        private int code(Long value) {
            if (value == null) {
                return 0;
            }
            return codes.computeIfAbsent(value, v -> codes.size() + 1);
        }

        /** The register's sequential specification: the next state, or -1 if the operation is illegal. */
        private int step(int state, int i) {
            Operation o = ops.get(i);
            return switch (o.f()) {
                case READ -> o.indeterminate() || readCode[i] == state ? state : -1;
                case WRITE -> newCode[i];
                case CAS -> argCode[i] == state ? newCode[i] : -1;
            };
        }

        Outcome run() {
            Entry head = buildList();
            int remaining = 0; // determinate operations not yet linearized
            for (Operation o : ops) {
                remaining += o.indeterminate() ? 0 : 1;
            }
            BitSet linearized = new BitSet(ops.size());
            Set<Config> seen = new HashSet<>();
            List<Entry> stack = new ArrayList<>();
            List<Integer> states = new ArrayList<>();
            int state = 0;
            long zobrist = 0;
            Entry cur = head.next;
            while (true) {
                if (remaining == 0) {
                    recordLongest(stack);
                    return Outcome.LINEARIZABLE;
                }
                if (cur != null && cur.call) {
                    int next = step(state, cur.opIndex);
                    if (next >= 0) {
                        linearized.set(cur.opIndex);
                        long z = zobrist ^ zobristKey(cur.opIndex);
                        if (seen.add(Config.of(linearized, next, z))) {
                            if (++configurations > maxConfigurations) {
                                return Outcome.UNKNOWN;
                            }
                            stack.add(cur);
                            states.add(state);
                            state = next;
                            zobrist = z;
                            remaining -= cur.op.indeterminate() ? 0 : 1;
                            lift(cur);
                            cur = head.next;
                            continue;
                        }
                        linearized.clear(cur.opIndex);
                    }
                    cur = cur.next;
                    continue;
                }
                // A return whose operation is not linearized (or the end of the list): backtrack.
                if (stack.size() > longest.size()) {
                    recordLongest(stack);
                }
                if (stack.isEmpty()) {
                    return Outcome.NOT_LINEARIZABLE;
                }
                Entry top = stack.remove(stack.size() - 1);
                state = states.remove(states.size() - 1);
                linearized.clear(top.opIndex);
                zobrist ^= zobristKey(top.opIndex);
                remaining += top.op.indeterminate() ? 0 : 1;
                unlift(top);
                cur = top.next;
            }
        }

        private void recordLongest(List<Entry> stack) {
            longest = stack.stream().map(e -> e.op).toList();
        }

        /** Calls and returns sorted by time; at equal times calls first (closed intervals overlap). */
        private Entry buildList() {
            List<Entry> entries = new ArrayList<>();
            for (int i = 0; i < ops.size(); i++) {
                Operation o = ops.get(i);
                Entry call = new Entry(o, i, true, o.callNs());
                entries.add(call);
                if (!o.indeterminate()) {
                    if (o.returnNs() < o.callNs()) {
                        throw new IllegalArgumentException("operation " + o.describe() + " returns before it is called");
                    }
                    Entry ret = new Entry(o, i, false, o.returnNs());
                    call.match = ret;
                    entries.add(ret);
                }
            }
            entries.sort(Comparator.comparingLong((Entry e) -> e.time).thenComparing(e -> !e.call).thenComparingInt(e -> e.opIndex));
            Entry head = new Entry(null, -1, false, Long.MIN_VALUE);
            Entry prev = head;
            for (Entry e : entries) {
                prev.next = e;
                e.prev = prev;
                prev = e;
            }
            return head;
        }

        /** Removes a call and its return from the list (they stay linked to their neighbours for unlift). */
        private static void lift(Entry call) {
            call.prev.next = call.next;
            if (call.next != null) {
                call.next.prev = call.prev;
            }
            Entry ret = call.match;
            if (ret != null) {
                ret.prev.next = ret.next;
                if (ret.next != null) {
                    ret.next.prev = ret.prev;
                }
            }
        }

        /** Undoes {@link #lift}; valid because lifts are undone in reverse order (dancing links). */
        private static void unlift(Entry call) {
            Entry ret = call.match;
            if (ret != null) {
                ret.prev.next = ret;
                if (ret.next != null) {
                    ret.next.prev = ret;
                }
            }
            call.prev.next = call;
            if (call.next != null) {
                call.next.prev = call;
            }
        }
    }
}
