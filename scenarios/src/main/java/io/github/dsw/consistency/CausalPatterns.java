package io.github.dsw.consistency;

import io.github.dsw.check.History;
import io.github.dsw.check.HistoryEvent;
import io.github.dsw.check.HistoryEvent.Fn;
import io.github.dsw.check.HistoryEvent.Type;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A small causal-consistency check for key-value histories whose writes write unique values, by the bad patterns of
 * Bouajjani, Enea, Guerraoui and Hamza ("On verifying causal consistency", POPL 2017, section 4, for CC): with
 * causal order {@code co} = the transitive closure of session order and read-from,
 * <ul>
 *   <li><b>CyclicCO</b>: {@code co} has a cycle;</li>
 *   <li><b>WriteCOInitRead</b>: a read of {@code k} returns the initial value though some write of {@code k} is
 *       before it in {@code co};</li>
 *   <li><b>WriteCORead</b>: a read returns the value of write {@code w1} though a write {@code w2} of the same key
 *       has {@code w1 co w2 co read};</li>
 *   <li><b>ThinAirRead</b>: a read returns a value no write wrote.</li>
 * </ul>
 * Only completed ({@code ok}) operations count; writes that timed out ({@code info}) may have taken effect, so a
 * read of their value is explained by them, ordered by read-from only. This is the checker of chapter 12's causal
 * store until the chapter's full checkers ({@code io.github.dsw.check.consistency}) take over; it is exact for
 * CC on such histories (the paper's Theorem 4.3 for differentiated histories).
 */
public final class CausalPatterns {

    private CausalPatterns() {
    }

    /** The first bad pattern found, or null when the history is causally consistent (CC). */
    public static String violation(History h) {
        record Op(int process, Fn f, String key, Long value) {
        }
        List<Op> ops = new ArrayList<>();
        Map<Integer, HistoryEvent> open = new HashMap<>();
        for (HistoryEvent e : h.events()) {
            if (e.type() == Type.INVOKE) {
                open.put(e.process(), e);
                continue;
            }
            HistoryEvent inv = open.remove(e.process());
            if (inv == null) {
                continue;
            }
            if (e.type() == Type.OK || (e.type() == Type.INFO && inv.f() == Fn.WRITE)) {
                Long v = inv.f() == Fn.WRITE ? (Long) inv.value() : (Long) e.value();
                ops.add(new Op(e.type() == Type.INFO ? -1 - e.process() : e.process(), inv.f(), inv.key(), v));
            }
        }
        int n = ops.size();
        Map<Long, Integer> writer = new HashMap<>();
        for (int i = 0; i < n; i++) {
            if (ops.get(i).f() == Fn.WRITE) {
                writer.put(ops.get(i).value(), i);
            }
        }
        BitSet[] before = new BitSet[n]; // before[i]: operations co-before i
        Map<Integer, Integer> lastOfProcess = new HashMap<>();
        for (int i = 0; i < n; i++) {
            before[i] = new BitSet(n);
            Op o = ops.get(i);
            if (o.process() >= 0) { // info writes have no session successor in the history
                Integer prev = lastOfProcess.put(o.process(), i);
                if (prev != null) {
                    before[i].set(prev);
                }
            }
            if (o.f() == Fn.READ && o.value() != null) {
                Integer w = writer.get(o.value());
                if (w == null) {
                    return "ThinAirRead: a read of " + o.key() + " returned " + o.value() + ", which no write wrote";
                }
                before[i].set(w);
            }
        }
        // transitive closure by fixpoint (histories here have at most a few thousand operations)
        boolean changed = true;
        while (changed) {
            changed = false;
            for (int i = 0; i < n; i++) {
                BitSet b = (BitSet) before[i].clone();
                for (int j = before[i].nextSetBit(0); j >= 0; j = before[i].nextSetBit(j + 1)) {
                    b.or(before[j]);
                }
                if (!b.equals(before[i])) {
                    before[i] = b;
                    changed = true;
                }
            }
        }
        for (int i = 0; i < n; i++) {
            if (before[i].get(i)) {
                return "CyclicCO: operation " + describe(ops.get(i).f(), ops.get(i).key(), ops.get(i).value()) + " is causally before itself";
            }
        }
        for (int r = 0; r < n; r++) {
            Op read = ops.get(r);
            if (read.f() != Fn.READ) {
                continue;
            }
            Integer w1 = read.value() == null ? null : writer.get(read.value());
            for (int w2 = before[r].nextSetBit(0); w2 >= 0; w2 = before[r].nextSetBit(w2 + 1)) {
                Op o = ops.get(w2);
                if (o.f() != Fn.WRITE || !o.key().equals(read.key()) || (w1 != null && w2 == w1)) {
                    continue;
                }
                if (w1 == null) {
                    return "WriteCOInitRead: a read of " + read.key() + " returned nothing though the write of " + o.value()
                            + " is causally before it";
                }
                if (before[w2].get(w1)) {
                    return "WriteCORead: a read of " + read.key() + " returned " + read.value() + " though the write of " + o.value()
                            + " came causally after that write and before the read";
                }
            }
        }
        return null;
    }

    private static String describe(Fn f, String key, Long v) {
        return f.jsonName() + " " + key + " " + v;
    }
}
