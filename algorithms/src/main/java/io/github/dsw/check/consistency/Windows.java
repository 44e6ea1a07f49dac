package io.github.dsw.check.consistency;

import io.github.dsw.check.History;
import io.github.dsw.check.HistoryEvent;
import io.github.dsw.check.HistoryEvent.Cas;
import io.github.dsw.check.HistoryEvent.Fn;
import io.github.dsw.check.HistoryEvent.Type;
import io.github.dsw.check.Operation;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * Counterexample windows: a violating set of operations shrunk by deleting operations while the checker still
 * says "violated", in the spirit of chapter 5's shrinking (Zeller's delta debugging: halving chunks, then one at
 * a time). Only two kinds of deletion are tried, and for every model of this package each maps a history that
 * satisfies the model to one that does too, so the shrunk window is a proof of the violation on its own:
 * deleting a read (it constrains others only through the read-from and program-order edges it adds), and
 * deleting a write or cas whose value no operation of the window reads or expects (no legal order depends on
 * it). A window is minimal when a last pass deleting one operation at a time found nothing to delete.
 */
final class Windows {

    private Windows() {
    }

    /** A window and whether shrinking finished. */
    record Shrunk(List<Operation> window, boolean minimal) {
    }

    /** Rebuilds a well-formed history from operations: an indeterminate operation gets no completion. */
    static History history(List<Operation> ops) {
        record Ev(long time, int rank, int id, HistoryEvent e) {
        }
        List<Ev> evs = new ArrayList<>();
        for (Operation o : ops) {
            evs.add(new Ev(o.callNs(), 1, o.id(), HistoryEvent.invoke(o.process(), o.f(), o.key(),
                    o.f() == Fn.READ ? null : o.input(), o.callNs())));
            if (!o.indeterminate()) {
                Object v = o.f() == Fn.READ ? o.output() : o.input();
                evs.add(new Ev(o.returnNs(), o.returnNs() == o.callNs() ? 2 : 0, o.id(),
                        HistoryEvent.complete(o.process(), Type.OK, o.f(), o.key(), v, o.returnNs())));
            }
        }
        evs.sort(Comparator.comparingLong(Ev::time).thenComparingInt(Ev::rank).thenComparingInt(Ev::id));
        return History.of(evs.stream().map(Ev::e).toList());
    }

    /**
     * Shrinks {@code ops} (which {@code verdict} finds violated) until {@code deadlineNs}; a trial counts only
     * when {@code verdict} says VIOLATED (an unknown verdict keeps the operation).
     */
    static Shrunk shrink(List<Operation> ops, Function<History, Verdict> verdict, long deadlineNs) {
        List<Operation> current = new ArrayList<>(ops);
        boolean minimal = false;
        for (int round = 0; round < 50 && !expired(deadlineNs); round++) {
            int before = current.size();
            current = deleteChunks(current, verdict, deadlineNs, true);
            current = deleteChunks(current, verdict, deadlineNs, false);
            if (current.size() == before) {
                minimal = !expired(deadlineNs);
                break;
            }
        }
        current.sort(Comparator.comparingLong(Operation::callNs).thenComparingInt(Operation::id));
        return new Shrunk(List.copyOf(current), minimal);
    }

    private static boolean expired(long deadlineNs) {
        return deadlineNs != Long.MAX_VALUE && System.nanoTime() - deadlineNs > 0;
    }

    private static List<Operation> deleteChunks(List<Operation> ops, Function<History, Verdict> verdict, long deadlineNs,
                                                boolean reads) {
        List<Operation> current = ops;
        for (int chunk = Math.max(1, Integer.highestOneBit(Math.max(1, current.size() / 2))); chunk >= 1 && !expired(deadlineNs);
                chunk /= 2) {
            List<Operation> cand = candidates(current, reads);
            for (int i = 0; i < cand.size() && !expired(deadlineNs); i += chunk) {
                List<Operation> drop = cand.subList(i, Math.min(cand.size(), i + chunk));
                List<Operation> trial = without(current, drop);
                if (!trial.isEmpty() && trial.size() < current.size() && violated(trial, verdict)) {
                    current = trial;
                    cand = candidates(current, reads);
                    i -= chunk;
                }
            }
        }
        return current;
    }

    private static boolean violated(List<Operation> ops, Function<History, Verdict> verdict) {
        try {
            return verdict.apply(history(ops)).violated();
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** Reads, or writes/cas whose value nothing in {@code ops} reads or expects. */
    private static List<Operation> candidates(List<Operation> ops, boolean reads) {
        if (reads) {
            return ops.stream().filter(o -> o.f() == Fn.READ).toList();
        }
        Set<String> observed = new HashSet<>();
        for (Operation o : ops) {
            if (o.f() == Fn.READ && o.output() != null) {
                observed.add(o.key() + "\u0000" + o.output());
            } else if (o.f() == Fn.CAS && ((Cas) o.input()).expected() != null) {
                observed.add(o.key() + "\u0000" + ((Cas) o.input()).expected());
            }
        }
        List<Operation> out = new ArrayList<>();
        for (Operation o : ops) {
            if (o.f() == Fn.WRITE && !observed.contains(o.key() + "\u0000" + o.input())) {
                out.add(o);
            } else if (o.f() == Fn.CAS && !observed.contains(o.key() + "\u0000" + ((Cas) o.input()).update())) {
                out.add(o);
            }
        }
        return out;
    }

    private static List<Operation> without(List<Operation> ops, List<Operation> drop) {
        Set<Operation> d = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        d.addAll(drop);
        List<Operation> out = new ArrayList<>(ops.size());
        for (Operation o : ops) {
            if (!d.contains(o)) {
                out.add(o);
            }
        }
        return out;
    }
}
