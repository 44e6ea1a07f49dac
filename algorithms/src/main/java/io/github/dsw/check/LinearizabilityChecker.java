package io.github.dsw.check;

import io.github.dsw.check.HistoryEvent.Cas;
import io.github.dsw.check.HistoryEvent.Fn;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import java.util.stream.IntStream;

/**
 * Decides whether a history of a read/write/cas register (or of a key-value store: one independent
 * register per key) is linearizable (Herlihy and Wing, TOPLAS 1990): whether every operation can be
 * given a point between its invocation and its completion so that, taken in that order, the operations
 * are legal for a sequential register that starts empty ({@code nil}). A cas whose expected value is
 * {@code nil} succeeds only on an empty register (Knossos's cas-register).
 *
 * <p>The search ({@link Search}) is Wing and Gong's (JPDC 1993) depth-first search with Lowe's
 * improvements ("Testing for linearizability", CCPE 2017), as in Porcupine: the history is a linked list
 * of call and return entries in time order; the search repeatedly linearizes the first call it can
 * (lifting the call and its return out of the list), and backtracks when it reaches the return of an
 * operation that is not yet linearized. A configuration (set of linearized operations, register state)
 * already explored is never explored again: that cache turns an exponential search into one that is
 * usually linear in practice.
 *
 * <p>Indeterminate operations ({@code info} or never completed) have no return entry: they may be
 * linearized at any point after their call, or never, which is exactly Jepsen's meaning of
 * {@code info}. Failed operations are not in the search at all. A key-value history is split per key
 * first: linearizability is compositional (Herlihy and Wing, Theorem 1), so the whole is linearizable
 * iff every key is; the keys are searched in parallel, and the verdict names the first failing key in
 * order of first appearance whatever the thread timing.
 *
 * <p><b>Bounded.</b> Every search runs under a {@link Budget}: a number of configurations, a number of
 * bytes for the cache of configurations (shared by the keys searched at once) and a wall-clock limit.
 * Whichever runs out first ends that key's search with {@link Outcome#UNKNOWN} (exit 3 in the CLI),
 * reporting which limit it was and how far the search got, never an out-of-memory error. On a negative
 * verdict the window is shrunk (see {@link #shrink}) within its own time budget, a fraction of the time
 * the search took, with a floor and a cap; when that runs out the smallest window found so far is
 * reported and marked as not minimal.
 */
public final class LinearizabilityChecker {

    /** The verdict. */
    public enum Outcome { LINEARIZABLE, NOT_LINEARIZABLE, UNKNOWN }

    /**
     * The limits of one check.
     *
     * @param maxConfigurations configurations a key's search may cache before it answers unknown
     * @param maxCacheBytes     bytes all caches alive at once may hold (each cached configuration costs
     *                          {@link Search#BYTES_PER_SLOT} bytes per hash-table slot)
     * @param searchTimeNs      wall-clock limit of the whole search (all keys), {@code Long.MAX_VALUE}: none
     * @param shrinkFraction    the shrinking budget as a fraction of the time the search took ...
     * @param shrinkFloorNs     ... but at least this ...
     * @param shrinkCapNs       ... and at most this
     */
    public record Budget(long maxConfigurations, long maxCacheBytes, long searchTimeNs, double shrinkFraction,
                         long shrinkFloorNs, long shrinkCapNs) {
        public Budget {
            if (maxConfigurations < 1 || maxCacheBytes < 1 || searchTimeNs < 1 || shrinkFloorNs < 0 || shrinkCapNs < shrinkFloorNs
                    || !(shrinkFraction >= 0)) {
                throw new IllegalArgumentException("budget limits must be positive (and the shrink floor <= its cap), got "
                        + maxConfigurations + " configurations, " + maxCacheBytes + " bytes, " + searchTimeNs + " ns, shrink "
                        + shrinkFraction + " x search time in [" + shrinkFloorNs + ", " + shrinkCapNs + "] ns");
            }
        }

        /**
         * 5 million configurations, a quarter of the JVM's maximum heap (at most 1 GiB) for the caches, no
         * search time limit, and a shrinking budget of half the search time, at least 0.5 s, at most 10 s.
         */
        public static Budget defaults() {
            long bytes = Math.min(1L << 30, Runtime.getRuntime().maxMemory() / 4);
            return new Budget(5_000_000, bytes, Long.MAX_VALUE, 0.5, 500_000_000L, 10_000_000_000L);
        }

        public Budget withMaxConfigurations(long n) {
            return new Budget(n, maxCacheBytes, searchTimeNs, shrinkFraction, shrinkFloorNs, shrinkCapNs);
        }

        public Budget withMaxCacheBytes(long bytes) {
            return new Budget(maxConfigurations, bytes, searchTimeNs, shrinkFraction, shrinkFloorNs, shrinkCapNs);
        }

        public Budget withSearchTimeNs(long ns) {
            return new Budget(maxConfigurations, maxCacheBytes, ns, shrinkFraction, shrinkFloorNs, shrinkCapNs);
        }

        /** Shrinking gets {@code fraction} x search time, clamped to [floor, cap]. */
        public Budget withShrink(double fraction, long floorNs, long capNs) {
            return new Budget(maxConfigurations, maxCacheBytes, searchTimeNs, fraction, floorNs, capNs);
        }

        long shrinkNs(long searchNs) {
            double ns = shrinkFraction * searchNs;
            return Math.max(shrinkFloorNs, Math.min(shrinkCapNs, ns >= Long.MAX_VALUE ? Long.MAX_VALUE : (long) ns));
        }
    }

    /**
     * What the checker found.
     *
     * @param outcome        the verdict
     * @param key            the first key found not linearizable, or the first left undecided (null otherwise)
     * @param window         a small non-linearizable set of operations of that key (empty otherwise)
     * @param longestOrder   the longest legal order the search reached on the window, for explanation
     * @param operations     operations checked (all keys)
     * @param configurations configurations explored (all keys, first pass)
     * @param windowMinimal  true when no single read or unobservable write of the window can be removed
     *                       with the window staying non-linearizable (shrinking finished in its budget)
     * @param note           why the verdict is unknown (which limit, how far it got), or why the window is
     *                       not minimal; empty when there is nothing to add
     * @param cacheBytes     the most bytes the caches held at once
     */
    public record Result(Outcome outcome, String key, List<Operation> window, List<Operation> longestOrder,
                         int operations, long configurations, boolean windowMinimal, String note, long cacheBytes) {

        public boolean linearizable() {
            return outcome == Outcome.LINEARIZABLE;
        }

        /** A few lines a person can read: the verdict, then the window as a timeline. */
        public String describe() {
            if (outcome == Outcome.LINEARIZABLE) {
                return "linearizable (" + operations + " operations, " + configurations + " configurations explored)";
            }
            if (outcome == Outcome.UNKNOWN) {
                return "unknown (" + operations + " operations, " + configurations + " configurations explored): " + note;
            }
            return "NOT linearizable: key '" + key + "', these " + window.size()
                    + " operations admit no legal order that respects real time ("
                    + (windowMinimal ? "minimal: removing any read or unobservable write makes them linearizable"
                            : "not minimal: " + note) + "):\n" + Timeline.render(window)
                    + "longest legal order found: " + (longestOrder.isEmpty() ? "(none)" : String.join(", ",
                            longestOrder.stream().map(Operation::describe).toList())) + "\n";
        }
    }

    private final Budget budget;
    private final boolean parallel;

    /** A checker with the given limits; keys are searched in parallel. */
    public LinearizabilityChecker(Budget budget) {
        this(budget, true);
    }

    /** A checker with the given limits, searching keys in parallel or one after another. */
    public LinearizabilityChecker(Budget budget, boolean parallel) {
        if (budget == null) {
            throw new IllegalArgumentException("budget must not be null");
        }
        this.budget = budget;
        this.parallel = parallel;
    }

    /** A checker that gives up with {@link Outcome#UNKNOWN} after {@code maxConfigurations} per key. */
    public LinearizabilityChecker(long maxConfigurations) {
        this(Budget.defaults().withMaxConfigurations(validConfigurations(maxConfigurations)));
    }

    /** A checker with {@link Budget#defaults()}. */
    public LinearizabilityChecker() {
        this(Budget.defaults());
    }

    private static long validConfigurations(long n) {
        if (n < 1) {
            throw new IllegalArgumentException("maxConfigurations must be >= 1, got " + n);
        }
        return n;
    }

    public Budget budget() {
        return budget;
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

    /** Checks a key-value history, one register per key, keys checked independently (in parallel). */
    public Result checkKv(History history) {
        long t0 = System.nanoTime();
        long deadline = deadline(t0, budget.searchTimeNs());
        List<Map.Entry<String, History>> parts = new ArrayList<>(history.byKey().entrySet());
        Memory memory = new Memory(budget.maxCacheBytes());
        List<List<Operation>> operations = new ArrayList<>();
        for (Map.Entry<String, History> part : parts) {
            operations.add(part.getValue().operations());
        }
        Search[] searches = new Search[parts.size()];
        Outcome[] outcomes = new Outcome[parts.size()];
        IntStream range = IntStream.range(0, parts.size());
        (parallel && parts.size() > 1 ? range.parallel() : range).forEach(i -> {
            searches[i] = new Search(operations.get(i), budget.maxConfigurations(), memory, deadline, false);
            outcomes[i] = searches[i].run();
            searches[i].release();
        });
        long searchNs = System.nanoTime() - t0;
        int ops = operations.stream().mapToInt(List::size).sum();
        long configurations = 0;
        for (Search s : searches) {
            configurations += s.configurations;
        }
        int unknown = -1;
        for (int i = 0; i < parts.size(); i++) {
            if (outcomes[i] == Outcome.NOT_LINEARIZABLE) {
                long shrinkDeadline = deadline(System.nanoTime(), budget.shrinkNs(searchNs));
                Shrunk w = shrink(operations.get(i), searches[i].furthestReturnNs, shrinkDeadline);
                // the explanation's own search gets a quarter of the shrinking budget again
                long explainDeadline = deadline(System.nanoTime(), budget.shrinkNs(searchNs) / 4);
                Search explain = new Search(w.window(), budget.maxConfigurations(), memory, explainDeadline, true);
                explain.run();
                explain.release();
                return new Result(Outcome.NOT_LINEARIZABLE, parts.get(i).getKey(), w.window(), explain.longest, ops,
                        configurations, w.minimal(), w.note(), memory.peak);
            }
            if (outcomes[i] == Outcome.UNKNOWN && unknown < 0) {
                unknown = i;
            }
        }
        if (unknown >= 0) {
            Search s = searches[unknown];
            int done = 0;
            for (Search other : searches) {
                done += other.linearizable ? 1 : 0;
            }
            String note = "key '" + parts.get(unknown).getKey() + "' ran out of its " + s.exhausted + "; its search linearized at most "
                    + s.deepest + " of " + operations.get(unknown).size() + " operations"
                    + (s.furthestReturnNs == Long.MIN_VALUE ? "" : ", up to time " + s.furthestReturnNs)
                    + "; " + done + " of " + parts.size() + " keys linearizable, none found not linearizable";
            return new Result(Outcome.UNKNOWN, parts.get(unknown).getKey(), List.of(), List.of(), ops, configurations, false,
                    note, memory.peak);
        }
        return new Result(Outcome.LINEARIZABLE, null, List.of(), List.of(), ops, configurations, false, "", memory.peak);
    }

    /** True when the operations (all of one key) are linearizable; UNKNOWN counts as false. */
    public boolean isLinearizable(List<Operation> operations) {
        return new Search(operations, budget.maxConfigurations(), new Memory(budget.maxCacheBytes()), Long.MAX_VALUE, false)
                .run() == Outcome.LINEARIZABLE;
    }

    private static long deadline(long now, long ns) {
        return ns >= Long.MAX_VALUE - now ? Long.MAX_VALUE : now + ns;
    }

    /** Bytes held by the caches alive at once: reserved before a table grows, released when a search ends. */
    static final class Memory {
        final long limit;
        final AtomicLong used = new AtomicLong();
        volatile long peak;

        Memory(long limit) {
            this.limit = limit;
        }

        boolean reserve(long bytes) {
            long now = used.addAndGet(bytes);
            if (now > limit) {
                used.addAndGet(-bytes);
                return false;
            }
            if (now > peak) {
                peak = now; // a racy maximum: a report, not a limit
            }
            return true;
        }

        void release(long bytes) {
            used.addAndGet(-bytes);
        }
    }

    // ------------------------------------------------------------------ shrinking

    /** A window, whether shrinking finished, and if not why. */
    record Shrunk(List<Operation> window, boolean minimal, String note) {
    }

    /**
     * Shrinks a non-linearizable single-key history to a small one that is still not linearizable.
     * Every step maps a linearizable history to a linearizable one, so a non-linearizable result proves
     * that the input is not linearizable.
     * <ol>
     *   <li>Prefix: cut the history at the earliest completion time T such that the operations invoked
     *       by T (those completing after T becoming indeterminate) are already not linearizable. That T
     *       is known from the failed search itself ({@code furthestReturnNs}): a prefix cut at T is
     *       linearizable exactly when some configuration has linearized every operation returning by T,
     *       i.e. when the search got past every return up to T; the search is exhaustive when it fails,
     *       so T is the time of the furthest return any configuration stopped at.</li>
     *   <li>Delete reads: a read never changes the state, so removing it from a linearization keeps it legal.</li>
     *   <li>Delete a write or cas W of value v that nobody can observe: no other operation that reads v
     *       or cas-expects v could be linearized after W without an {@code ok} write definitely in between
     *       (invoked after W returned, returned before the observer was invoked). Removing W from a
     *       linearization changes only the states between W and the next state change, and no operation
     *       there checks for v.</li>
     * </ol>
     * Finally, for readability, the latest completed write deleted along the way that keeps the window
     * non-linearizable is put back (of the ten latest): a write that made a stale read stale is the first
     * thing a reader looks for.
     * Deletions are tried in halving chunks (in the spirit of Zeller's delta debugging). Trial checks run
     * with a small search budget, and a trial whose verdict is unknown is rejected, so a budget can make
     * the window larger but never wrong. The window is minimal when a last pass deleting one operation at
     * a time finished with every trial decided and none accepted; when {@code deadlineNs} passes first,
     * the smallest window so far is returned as not minimal.
     */
    Shrunk shrink(List<Operation> operations, long furthestReturnNs, long deadlineNs) {
        List<Operation> ops = furthestReturnNs == Long.MIN_VALUE ? operations : prefix(operations, furthestReturnNs);
        Trials trials = new Trials(deadlineNs);
        boolean minimal = false;
        for (int round = 0; round < 100 && !trials.expired(); round++) {
            int before = ops.size();
            int indet = indeterminateCount(ops);
            trials.undecided = false;
            ops = deleteChunks(ops, o -> o.f() == Fn.READ, trials);
            ops = deleteChunks(ops, null, trials);
            if (ops.size() == before && indeterminateCount(ops) == indet) {
                minimal = !trials.expired() && !trials.undecided;
                break;
            }
        }
        String note = minimal ? "" : trials.expired()
                ? "shrinking stopped at its time budget; this is the smallest window found so far"
                : "some deletions were left undecided by the shrinking search budget";
        ops = restoreWrites(operations, ops, trials);
        List<Operation> sorted = new ArrayList<>(ops);
        sorted.sort(Comparator.comparingLong(Operation::callNs).thenComparingInt(Operation::id));
        return new Shrunk(List.copyOf(sorted), minimal, note);
    }

    /** The shrinking trials' shared deadline, and whether any trial was left undecided. */
    private final class Trials {
        final long deadlineNs;
        boolean undecided;

        Trials(long deadlineNs) {
            this.deadlineNs = deadlineNs;
        }

        boolean expired() {
            return System.nanoTime() - deadlineNs > 0 && deadlineNs != Long.MAX_VALUE;
        }

        /** True only when the search proves {@code ops} not linearizable within the shrinking budget. */
        boolean definitelyNot(List<Operation> ops) {
            Search s = new Search(ops, Math.min(budget.maxConfigurations(), 200_000), new Memory(budget.maxCacheBytes()),
                    deadlineNs, false);
            Outcome o = s.run();
            s.release();
            undecided |= o == Outcome.UNKNOWN;
            return o == Outcome.NOT_LINEARIZABLE;
        }
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

    /**
     * Deletes candidates (operations matching {@code reads} if given, else unobserved writes/cas): first
     * all but the latest k for k = 1, 2, 4, ... (a violation is found at the end of the prefix, so the
     * operations that explain it are usually recent: one trial often removes nearly everything), then
     * in halving chunks down to single operations.
     */
    private List<Operation> deleteChunks(List<Operation> ops, Predicate<Operation> reads, Trials trials) {
        List<Operation> current = ops;
        List<Operation> byCall = candidates(current, reads);
        byCall.sort(Comparator.comparingLong(Operation::callNs).thenComparingInt(Operation::id));
        for (int keep = 1; keep < byCall.size() && !trials.expired(); keep *= 2) {
            List<Operation> trial = without(current, byCall.subList(0, byCall.size() - keep));
            if (trials.definitelyNot(trial)) {
                current = trial;
                break;
            }
        }
        for (int chunk = Math.max(1, current.size() / 2); chunk >= 1 && !trials.expired(); chunk /= 2) {
            List<Operation> candidates = candidates(current, reads);
            if (chunk > candidates.size()) {
                chunk = Math.max(1, Integer.highestOneBit(candidates.size()));
            }
            for (int i = 0; i < candidates.size() && !trials.expired(); i += chunk) {
                List<Operation> trial = without(current, candidates.subList(i, Math.min(candidates.size(), i + chunk)));
                if (trial.size() < current.size() && trials.definitelyNot(trial)) {
                    current = trial;
                }
            }
            if (chunk == 1) {
                break;
            }
        }
        return current;
    }

    private static List<Operation> candidates(List<Operation> ops, Predicate<Operation> reads) {
        if (reads == null) {
            return unobserved(ops);
        }
        List<Operation> out = new ArrayList<>();
        for (Operation o : ops) {
            if (reads.test(o)) {
                out.add(o);
            }
        }
        return out;
    }

    /** {@code ops} without the operations of {@code drop} (by identity: plain loops, cheap in a cold JVM). */
    private static List<Operation> without(List<Operation> ops, List<Operation> drop) {
        Set<Operation> gone = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        gone.addAll(drop);
        List<Operation> out = new ArrayList<>(ops.size());
        for (Operation o : ops) {
            if (!gone.contains(o)) {
                out.add(o);
            }
        }
        return out;
    }

    private static int indeterminateCount(List<Operation> ops) {
        int n = 0;
        for (Operation o : ops) {
            n += o.indeterminate() ? 1 : 0;
        }
        return n;
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
        // per observed value: its observers sorted by call, with the running maximum of their returns
        // (infinite for an indeterminate observer), so "some observer of v invoked by time t returns at
        // or after W's call" is one binary search
        Map<Long, List<Operation>> observers = new java.util.HashMap<>(); // looked up only, never iterated
        for (Operation o : ops) {
            Long v = observes(o);
            if (v != null) {
                observers.computeIfAbsent(v, k -> new ArrayList<>()).add(o);
            }
        }
        Map<Long, long[][]> index = new java.util.HashMap<>();
        observers.forEach((v, list) -> {
            list.sort(Comparator.comparingLong(Operation::callNs));
            long[] call = new long[list.size()];
            long[] maxReturn = new long[list.size()];
            long max = Long.MIN_VALUE;
            for (int i = 0; i < list.size(); i++) {
                Operation o = list.get(i);
                call[i] = o.callNs();
                max = Math.max(max, o.indeterminate() ? Long.MAX_VALUE : o.returnNs());
                maxReturn[i] = max;
            }
            index.put(v, new long[][] {call, maxReturn});
        });
        List<Operation> out = new ArrayList<>();
        for (Operation w : ops) {
            Long v = written(w);
            if (v == null) {
                continue;
            }
            if (v.equals(observes(w))) {
                out.add(w); // a cas [v, v] changes no state: deleting it is as safe as deleting a read
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
            // observable: an observer o of v that can follow W (o.return >= W.call, or o indeterminate)
            // and is not separated from it (o.call <= minReturn)
            long[][] obs = index.get(v);
            boolean observable = false;
            if (obs != null) {
                int n = upperBound(obs[0], minReturn);
                observable = n > 0 && obs[1][n - 1] >= w.callNs();
            }
            if (!observable) {
                out.add(w);
            }
        }
        return out;
    }

    /** The number of elements of sorted {@code a} that are {@code <= x}. */
    private static int upperBound(long[] a, long x) {
        int lo = 0;
        int hi = a.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (a[mid] <= x) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    private static Long written(Operation o) {
        return switch (o.f()) {
            case WRITE -> (Long) o.input();
            case CAS -> ((Cas) o.input()).update();
            case READ -> null;
        };
    }

    /** The value an operation checks the register for: a read's result, a cas's expected value (null: nil). */
    private static Long observes(Operation o) {
        return switch (o.f()) {
            case READ -> o.indeterminate() ? null : o.output();
            case CAS -> ((Cas) o.input()).expected();
            case WRITE -> null;
        };
    }

    private List<Operation> restoreWrites(List<Operation> original, List<Operation> window, Trials trials) {
        long to = window.stream().filter(o -> !o.indeterminate()).mapToLong(Operation::returnNs).max().orElse(Long.MAX_VALUE);
        Set<Integer> ids = new java.util.HashSet<>();
        window.forEach(o -> ids.add(o.id()));
        List<Operation> candidates = original.stream()
                .filter(o -> o.f() == Fn.WRITE && !o.indeterminate() && !ids.contains(o.id())
                        && o.returnNs() <= to)
                .sorted(Comparator.comparingLong(Operation::returnNs).reversed()).limit(10).toList();
        for (Operation w : candidates) {
            if (trials.expired()) {
                break;
            }
            List<Operation> trial = new ArrayList<>(window);
            trial.add(w);
            if (trials.definitelyNot(trial)) {
                return trial;
            }
        }
        return window;
    }

    // ------------------------------------------------------------------ the search

    /**
     * One Wing–Gong–Lowe search over the operations of one key, on flat arrays.
     *
     * <p>The list of calls and returns is a set of int arrays indexed by entry (entries sorted by time,
     * so an entry's index is also its position in time order): {@code next}/{@code prev} links, the
     * operation of each entry, and a call's return entry. Lifting a linearized call and its return out
     * of the list and putting them back on backtrack are Knuth's dancing links (lifts are undone in
     * reverse order, so the neighbours' pointers still fit).
     *
     * <p><b>The cache stores fingerprints, not sets.</b> A configuration is identified by a 128-bit
     * Zobrist hash (Zobrist, 1970): the XOR of two independent random 64-bit keys per linearized
     * operation and per register state, kept incrementally, so each step costs O(1) whatever the
     * history's length, and each cached configuration costs 16 bytes in an open-addressing table
     * instead of a bitset of every operation. This is hash compaction (Wolper and Leroy, "Reliable
     * hashing without collision detection", CAV 1993): two different configurations share a
     * fingerprint with probability about c^2 / 2^129 for c configurations (below 10^-25 for the default
     * 5 million), and a collision could only prune a branch, so it could turn "linearizable" into "not
     * linearizable", never the other way. The earlier exact cache stored the tail of the set after its
     * first missing operation, which an {@code info} operation that never took effect pins to the start
     * of the history: each configuration then cost a bitset of the whole history.
     */
    static final class Search {
        /** Bytes per hash-table slot: two longs. The table is at most {@link #LOAD} full. */
        static final int BYTES_PER_SLOT = 16;
        private static final double LOAD = 0.6;
        private static final int NIL = -1;

        private final List<Operation> ops;
        private final long maxConfigurations;
        private final Memory memory;
        private final long deadlineNs;
        private final boolean recordLongest;

        // operations (indeterminate reads are dropped: they constrain nothing)
        private final int[] opOf;       // search op index -> index in ops
        private final byte[] kind;      // 0 read, 1 write, 2 cas
        private final int[] expect;     // read: the value read; cas: expected; codes, nil = 0
        private final int[] update;     // write / cas: the new value's code
        private final boolean[] indeterminate;
        private final long[] key1;
        private final long[] key2;

        // the list: entries 0..m-1 in time order, head sentinel = m
        private final int[] entryOp;
        private final boolean[] isCall;
        private final int[] match;      // a call's return entry; NIL for an indeterminate call and for a return
        private final int[] next;
        private final int[] prev;
        private final int head;

        // the cache
        private long[] table = new long[0];
        private int mask;
        private int size;
        private long reserved;

        long configurations;
        int deepest;
        long furthestReturnNs = Long.MIN_VALUE;
        String exhausted = "";
        boolean linearizable;
        List<Operation> longest = List.of();

        Search(List<Operation> ops, long maxConfigurations, Memory memory, long deadlineNs, boolean recordLongest) {
            this.ops = ops;
            this.maxConfigurations = maxConfigurations;
            this.memory = memory;
            this.deadlineNs = deadlineNs;
            this.recordLongest = recordLongest;
            int n = 0;
            for (Operation o : ops) {
                n += o.f() == Fn.READ && o.indeterminate() ? 0 : 1;
            }
            opOf = new int[n];
            kind = new byte[n];
            expect = new int[n];
            update = new int[n];
            indeterminate = new boolean[n];
            key1 = new long[n];
            key2 = new long[n];
            Map<Long, Integer> codes = new java.util.HashMap<>(); // register value -> small int; nil is 0
            int determinate = 0;
            for (int i = 0, j = 0; i < ops.size(); i++) {
                Operation o = ops.get(i);
                if (o.f() == Fn.READ && o.indeterminate()) {
                    continue;
                }
                opOf[j] = i;
                indeterminate[j] = o.indeterminate();
                determinate += o.indeterminate() ? 0 : 1;
                key1[j] = mix(2L * j + 1);
                key2[j] = mix(2L * j + 2);
                switch (o.f()) {
                    case READ -> expect[j] = code(codes, o.output());
                    case WRITE -> {
                        kind[j] = 1;
                        update[j] = code(codes, (Long) o.input());
                    }
                    case CAS -> {
                        Cas c = (Cas) o.input();
                        kind[j] = 2;
                        expect[j] = code(codes, c.expected());
                        update[j] = code(codes, c.update());
                    }
                    default -> throw new IllegalStateException("unhandled f " + o.f());
                }
                j++;
            }
            int m = n + determinate;
            entryOp = new int[m];
            match = new int[m];
            isCall = new boolean[m];
            next = new int[m + 1];
            prev = new int[m + 1];
            head = m;
            buildList(n, m);
        }

        private static int code(Map<Long, Integer> codes, Long value) {
            if (value == null) {
                return 0;
            }
            return codes.computeIfAbsent(value, v -> codes.size() + 1);
        }

        /** SplitMix64's finaliser: the Zobrist keys (operation j: 2j+1, 2j+2; state s: -(2s+1), -(2s+2)). */
        private static long mix(long i) {
            long z = i * 0x9e3779b97f4a7c15L;
            z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
            z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
            return z ^ (z >>> 31);
        }

        /** Calls and returns sorted by time; at equal times calls first (closed intervals overlap). */
        private void buildList(int n, int m) {
            long[] time = new long[m];
            int[] op = new int[m];
            boolean[] call = new boolean[m];
            int[] order = new int[m];
            for (int j = 0, e = 0; j < n; j++) {
                Operation o = ops.get(opOf[j]);
                time[e] = o.callNs();
                op[e] = j;
                call[e] = true;
                e++;
                if (!indeterminate[j]) {
                    if (o.returnNs() < o.callNs()) {
                        throw new IllegalArgumentException("operation " + o.describe() + " returns before it is called");
                    }
                    time[e] = o.returnNs();
                    op[e] = j;
                    e++;
                }
            }
            for (int e = 0; e < m; e++) {
                order[e] = e;
            }
            mergeSort(order, new int[m], 0, m, time, call, op);
            int[] callEntry = new int[n];
            for (int pos = 0; pos < m; pos++) {
                int e = order[pos];
                entryOp[pos] = op[e];
                match[pos] = NIL;
                isCall[pos] = call[e];
                if (call[e]) {
                    callEntry[op[e]] = pos;
                } else {
                    match[callEntry[op[e]]] = pos;
                }
            }
            int p = head;
            for (int pos = 0; pos < m; pos++) {
                next[p] = pos;
                prev[pos] = p;
                p = pos;
            }
            next[p] = NIL;
            prev[head] = NIL;
        }

        /** Sorts entries by (time, calls before returns, operation): a merge sort on ints, no boxing. */
        private static void mergeSort(int[] a, int[] tmp, int from, int to, long[] time, boolean[] call, int[] op) {
            if (to - from < 2) {
                return;
            }
            int mid = (from + to) >>> 1;
            mergeSort(a, tmp, from, mid, time, call, op);
            mergeSort(a, tmp, mid, to, time, call, op);
            if (!before(a[mid], a[mid - 1], time, call, op)) {
                return; // already in order: the common case, a history is mostly sorted
            }
            System.arraycopy(a, from, tmp, from, to - from);
            for (int i = from, l = from, r = mid; i < to; i++) {
                if (r >= to || (l < mid && !before(tmp[r], tmp[l], time, call, op))) {
                    a[i] = tmp[l++];
                } else {
                    a[i] = tmp[r++];
                }
            }
        }

        private static boolean before(int x, int y, long[] time, boolean[] call, int[] op) {
            if (time[x] != time[y]) {
                return time[x] < time[y];
            }
            if (call[x] != call[y]) {
                return call[x];
            }
            return op[x] < op[y];
        }

        Outcome run() {
            Outcome o = search();
            linearizable = o == Outcome.LINEARIZABLE;
            return o;
        }

        private Outcome search() {
            int n = opOf.length;
            int remaining = 0; // determinate operations not yet linearized
            for (int j = 0; j < n; j++) {
                remaining += indeterminate[j] ? 0 : 1;
            }
            int[] stackEntry = new int[n];
            int[] stackState = new int[n];
            int depth = 0;
            int state = 0;
            long z1 = stateKey1(0);
            long z2 = stateKey2(0);
            int cur = next[head];
            long steps = 0;
            while (true) {
                if (remaining == 0) {
                    deepest = Math.max(deepest, depth);
                    if (recordLongest) {
                        recordLongest(stackEntry, depth);
                    }
                    return Outcome.LINEARIZABLE;
                }
                if ((++steps & 0xFFF) == 0 && deadlineNs != Long.MAX_VALUE && System.nanoTime() - deadlineNs > 0) {
                    exhausted = "time budget";
                    return Outcome.UNKNOWN;
                }
                if (cur != NIL && isCall[cur]) {
                    int j = entryOp[cur];
                    int nextState = step(state, j);
                    if (nextState >= 0) {
                        long f1 = z1 ^ key1[j] ^ stateKey1(state) ^ stateKey1(nextState);
                        long f2 = z2 ^ key2[j] ^ stateKey2(state) ^ stateKey2(nextState);
                        int added = add(f1, f2);
                        if (added < 0) {
                            return Outcome.UNKNOWN;
                        }
                        if (added > 0) {
                            stackEntry[depth] = cur;
                            stackState[depth] = state;
                            depth++;
                            state = nextState;
                            z1 = f1;
                            z2 = f2;
                            remaining -= indeterminate[j] ? 0 : 1;
                            lift(cur);
                            cur = next[head];
                            continue;
                        }
                    }
                    cur = next[cur];
                    continue;
                }
                // A return whose operation is not linearized: this configuration cannot go further.
                if (cur != NIL) {
                    long t = ops.get(opOf[entryOp[cur]]).returnNs();
                    furthestReturnNs = Math.max(furthestReturnNs, t);
                }
                if (depth > deepest) {
                    deepest = depth;
                    if (recordLongest) {
                        recordLongest(stackEntry, depth);
                    }
                }
                if (depth == 0) {
                    return Outcome.NOT_LINEARIZABLE;
                }
                depth--;
                int top = stackEntry[depth];
                int j = entryOp[top];
                z1 ^= key1[j] ^ stateKey1(state) ^ stateKey1(stackState[depth]);
                z2 ^= key2[j] ^ stateKey2(state) ^ stateKey2(stackState[depth]);
                state = stackState[depth];
                remaining += indeterminate[j] ? 0 : 1;
                unlift(top);
                cur = next[top];
            }
        }

        private static long stateKey1(int s) {
            return mix(-(2L * s + 1));
        }

        private static long stateKey2(int s) {
            return mix(-(2L * s + 2));
        }

        /** The register's sequential specification: the next state, or -1 if the operation is illegal. */
        private int step(int state, int j) {
            return switch (kind[j]) {
                case 0 -> indeterminate[j] || expect[j] == state ? state : -1;
                case 1 -> update[j];
                default -> expect[j] == state ? update[j] : -1;
            };
        }

        private void recordLongest(int[] stackEntry, int depth) {
            List<Operation> order = new ArrayList<>(depth);
            for (int d = 0; d < depth; d++) {
                order.add(ops.get(opOf[entryOp[stackEntry[d]]]));
            }
            longest = order;
        }

        /**
         * Adds a fingerprint to the cache: 1 if it was new, 0 if already there, -1 if the budget (of
         * configurations or of memory) does not allow it, with {@link #exhausted} saying which.
         */
        private int add(long f1, long f2) {
            if (f1 == 0 && f2 == 0) {
                f2 = 1; // (0, 0) marks an empty slot
            }
            if (size + 1 > LOAD * (table.length / 2) && !grow()) {
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
            int slots = Math.max(1024, table.length); // new slot count: double the old (table holds 2 longs per slot)
            long bytes = (long) slots * BYTES_PER_SLOT;
            if (slots > (1 << 29) || !memory.reserve(bytes)) {
                exhausted = "memory budget (" + memory.limit / (1 << 20) + " MiB for the caches)";
                return false;
            }
            long[] old = table;
            table = new long[2 * slots];
            mask = slots - 1;
            memory.release(reserved);
            reserved = bytes;
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

        /** Frees the cache and returns its bytes to the shared budget. */
        void release() {
            table = new long[0];
            memory.release(reserved);
            reserved = 0;
        }

        /** Removes a call and its return from the list (they stay linked to their neighbours for unlift). */
        private void lift(int call) {
            unlink(call);
            int ret = match[call];
            if (ret >= 0) {
                unlink(ret);
            }
        }

        private void unlink(int e) {
            next[prev[e]] = next[e];
            if (next[e] != NIL) {
                prev[next[e]] = prev[e];
            }
        }

        /** Undoes {@link #lift}; valid because lifts are undone in reverse order (dancing links). */
        private void unlift(int call) {
            int ret = match[call];
            if (ret >= 0) {
                relink(ret);
            }
            relink(call);
        }

        private void relink(int e) {
            next[prev[e]] = e;
            if (next[e] != NIL) {
                prev[next[e]] = e;
            }
        }
    }
}
