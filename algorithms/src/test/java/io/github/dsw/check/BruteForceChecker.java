package io.github.dsw.check;

import io.github.dsw.check.HistoryEvent.Cas;
import java.util.List;
import java.util.Objects;

/**
 * A second, deliberately naive linearizability checker for tiny histories, written straight from the
 * definition (Herlihy and Wing 1990, Section 3.1): try every sequence of a subset of the operations that
 * contains every determinate one, respects real-time order (a before b whenever a returns before b is
 * invoked) and is legal for a sequential register starting at nil. No list, no cache: exponential.
 */
final class BruteForceChecker {

    private BruteForceChecker() {
    }

    static boolean linearizable(List<Operation> ops) {
        return search(ops, new boolean[ops.size()], null);
    }

    private static boolean search(List<Operation> ops, boolean[] placed, Long state) {
        boolean allDeterminatePlaced = true;
        for (int i = 0; i < ops.size(); i++) {
            if (!placed[i] && !ops.get(i).indeterminate()) {
                allDeterminatePlaced = false;
            }
        }
        if (allDeterminatePlaced) {
            return true; // remaining indeterminate operations simply never took effect
        }
        for (int i = 0; i < ops.size(); i++) {
            if (placed[i] || !minimal(ops, placed, i)) {
                continue;
            }
            Operation o = ops.get(i);
            Long next;
            boolean legal;
            switch (o.f()) {
                case READ -> {
                    legal = o.indeterminate() || Objects.equals(o.output(), state);
                    next = state;
                }
                case WRITE -> {
                    legal = true;
                    next = (Long) o.input();
                }
                default -> {
                    Cas c = (Cas) o.input();
                    legal = Objects.equals(state, c.expected());
                    next = c.update();
                }
            }
            if (legal) {
                placed[i] = true;
                if (search(ops, placed, next)) {
                    return true;
                }
                placed[i] = false;
            }
        }
        return false;
    }

    /** No unplaced determinate operation returned strictly before operation i was invoked. */
    private static boolean minimal(List<Operation> ops, boolean[] placed, int i) {
        for (int j = 0; j < ops.size(); j++) {
            if (!placed[j] && j != i && !ops.get(j).indeterminate() && ops.get(j).returnNs() < ops.get(i).callNs()) {
                return false;
            }
        }
        return true;
    }
}
