package io.github.dsw.check.consistency;

import io.github.dsw.check.History;
import io.github.dsw.check.HistoryEvent;
import io.github.dsw.check.HistoryEvent.Fn;
import io.github.dsw.check.HistoryEvent.Type;
import io.github.dsw.check.Operation;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A read/write key-value history prepared for the causal, session and convergence checkers: the operations
 * with dense process and key numbers, program order, and the read-from relation, which is explicit because
 * written values are unique per key (Bouajjani et al.'s "differentiated" histories).
 *
 * <p>What is kept: every {@code ok} read and write, and an indeterminate ({@code info} or never completed)
 * write only when some read returned its value (then it took effect); an indeterminate write nobody read may
 * never have happened and is dropped, indeterminate reads constrain nothing and are dropped, {@code fail}ed
 * operations did not happen. A read of {@code null} reads the initial value; a read of a value no kept write
 * wrote (or only a failed one) reads from thin air.
 */
final class ReadWriteHistory {
    static final int INIT = -1;
    static final int THIN_AIR = -2;

    final List<Operation> ops = new ArrayList<>();
    /** Event number (1-based, the history's line when it has no blank lines) of each operation's invocation. */
    final List<Integer> invokeEvent = new ArrayList<>();
    final List<Integer> completeEvent = new ArrayList<>();
    int[] proc;          // dense process number
    int[] key;           // dense key number
    boolean[] write;
    int[] pos;           // index in its process's program order
    int[] rf;            // read: the write it reads from, INIT or THIN_AIR; write: -1
    int[][] siblings;    // read: the writes of its other sibling values ("values"), empty when none
    boolean[] thinSibling; // read: some sibling value no write wrote
    HistoryExtras extras = HistoryExtras.none();
    int[][] procOps;     // process -> its operations in program order
    int[][] writesOfKey; // key -> its writes
    int[][][] writesAt;  // key -> process -> positions (in program order) of that process's writes to the key
    final List<String> keys = new ArrayList<>();
    final List<Integer> processIds = new ArrayList<>();

    int size() {
        return ops.size();
    }

    /**
     * Prepares {@code history} for {@code model}.
     *
     * @throws IllegalArgumentException (one line, naming the event) for a cas, or for a value written twice to a key
     */
    static ReadWriteHistory of(History history, String model) {
        return of(history, model, HistoryExtras.none());
    }

    /** The same, naming file lines and reading sibling values from {@code extras}. */
    static ReadWriteHistory of(History history, String model, HistoryExtras extras) {
        List<HistoryEvent> events = history.events();
        Map<Integer, Integer> open = new HashMap<>();
        int[] completion = new int[events.size()];
        Arrays.fill(completion, -1);
        for (int i = 0; i < events.size(); i++) {
            HistoryEvent e = events.get(i);
            if (e.type() == Type.INVOKE) {
                if (e.f() == Fn.CAS) {
                    throw new IllegalArgumentException("model " + model + " checks read/write histories: " + extras.where(i)
                            + " is a cas (p" + e.process() + " cas " + e.value() + ")");
                }
                open.put(e.process(), i);
            } else {
                completion[open.remove(e.process())] = i;
            }
        }
        // unique values per key among writes that may have happened, and which values some ok read returned
        Map<String, Map<Long, Integer>> written = new HashMap<>();
        Map<String, java.util.Set<Long>> readValues = new HashMap<>();
        for (int i = 0; i < events.size(); i++) {
            HistoryEvent e = events.get(i);
            if (e.type() != Type.INVOKE) {
                if (e.type() == Type.OK && e.f() == Fn.READ && e.value() != null) {
                    readValues.computeIfAbsent(e.key(), k -> new java.util.HashSet<>()).add((Long) e.value());
                }
                long[] sib = e.type() == Type.OK && e.f() == Fn.READ ? extras.siblings(i) : null;
                if (sib != null) {
                    if (e.value() == null || Arrays.stream(sib).noneMatch(v -> v == (Long) e.value())) {
                        throw new IllegalArgumentException(extras.where(i) + ": a read's \"values\" must include its \"value\" ("
                                + e.value() + " is not in " + Arrays.toString(sib) + ")");
                    }
                    for (long v : sib) {
                        readValues.computeIfAbsent(e.key(), k -> new java.util.HashSet<>()).add(v);
                    }
                } else if (extras.siblings(i) != null) {
                    throw new IllegalArgumentException(extras.where(i) + ": \"values\" belongs on a read's ok line");
                }
                continue;
            }
            int c = completion[i];
            if (e.f() == Fn.WRITE && (c < 0 || events.get(c).type() != Type.FAIL)) {
                Integer before = written.computeIfAbsent(e.key(), k -> new HashMap<>()).putIfAbsent((Long) e.value(), i);
                if (before != null) {
                    throw new IllegalArgumentException("model " + model + " needs unique written values per key: key '"
                            + e.key() + "' value " + e.value() + " is written at " + extras.where(before) + " and " + extras.where(i));
                }
            }
        }
        ReadWriteHistory h = new ReadWriteHistory();
        h.extras = extras;
        Map<Integer, Integer> procIndex = new LinkedHashMap<>();
        Map<String, Integer> keyIndex = new LinkedHashMap<>();
        List<Integer> procs = new ArrayList<>();
        List<Integer> keyList = new ArrayList<>();
        List<Boolean> writes = new ArrayList<>();
        for (int i = 0; i < events.size(); i++) {
            HistoryEvent e = events.get(i);
            if (e.type() != Type.INVOKE) {
                continue;
            }
            int c = completion[i];
            HistoryEvent done = c < 0 ? null : events.get(c);
            boolean ok = done != null && done.type() == Type.OK;
            if (done != null && done.type() == Type.FAIL) {
                continue;
            }
            if (e.f() == Fn.READ && !ok) {
                continue;
            }
            if (e.f() == Fn.WRITE && !ok && !readValues.getOrDefault(e.key(), java.util.Set.of()).contains((Long) e.value())) {
                continue;
            }
            Long output = e.f() == Fn.READ ? (Long) done.value() : null;
            Operation op = new Operation(h.ops.size(), e.process(), e.f(), e.key(), e.value(), output, e.timeNs(),
                    ok ? done.timeNs() : Long.MAX_VALUE, !ok);
            h.ops.add(op);
            h.invokeEvent.add(i + 1);
            h.completeEvent.add(c + 1);
            procs.add(procIndex.computeIfAbsent(e.process(), p -> {
                h.processIds.add(p);
                return procIndex.size();
            }));
            keyList.add(keyIndex.computeIfAbsent(e.key(), k -> {
                h.keys.add(k);
                return keyIndex.size();
            }));
            writes.add(e.f() == Fn.WRITE);
        }
        int n = h.ops.size();
        h.proc = new int[n];
        h.key = new int[n];
        h.write = new boolean[n];
        h.pos = new int[n];
        h.rf = new int[n];
        int[] count = new int[procIndex.size()];
        for (int i = 0; i < n; i++) {
            h.proc[i] = procs.get(i);
            h.key[i] = keyList.get(i);
            h.write[i] = writes.get(i);
            h.pos[i] = count[h.proc[i]]++;
        }
        h.procOps = new int[count.length][];
        for (int p = 0; p < count.length; p++) {
            h.procOps[p] = new int[count[p]];
        }
        for (int i = 0; i < n; i++) {
            h.procOps[h.proc[i]][h.pos[i]] = i;
        }
        int keysN = keyIndex.size();
        List<List<Integer>> byKey = new ArrayList<>();
        List<List<List<Integer>>> at = new ArrayList<>();
        for (int k = 0; k < keysN; k++) {
            byKey.add(new ArrayList<>());
            List<List<Integer>> perProc = new ArrayList<>();
            for (int p = 0; p < count.length; p++) {
                perProc.add(new ArrayList<>());
            }
            at.add(perProc);
        }
        Map<Integer, Map<Long, Integer>> writerOf = new HashMap<>();
        for (int i = 0; i < n; i++) {
            if (h.write[i]) {
                byKey.get(h.key[i]).add(i);
                at.get(h.key[i]).get(h.proc[i]).add(h.pos[i]);
                writerOf.computeIfAbsent(h.key[i], k -> new HashMap<>()).put((Long) h.ops.get(i).input(), i);
            }
        }
        h.writesOfKey = new int[keysN][];
        h.writesAt = new int[keysN][count.length][];
        for (int k = 0; k < keysN; k++) {
            h.writesOfKey[k] = byKey.get(k).stream().mapToInt(Integer::intValue).toArray();
            for (int p = 0; p < count.length; p++) {
                h.writesAt[k][p] = at.get(k).get(p).stream().mapToInt(Integer::intValue).toArray();
            }
        }
        h.siblings = new int[n][];
        h.thinSibling = new boolean[n];
        for (int i = 0; i < n; i++) {
            h.siblings[i] = new int[0];
            long[] sib = h.write[i] || h.completeEvent.get(i) <= 0 ? null : extras.siblings(h.completeEvent.get(i) - 1);
            if (sib != null) {
                Long v = h.ops.get(i).output();
                List<Integer> more = new ArrayList<>();
                for (long x : sib) {
                    if (v != null && x == v) {
                        continue;
                    }
                    Integer w = writerOf.getOrDefault(h.key[i], Map.of()).get(x);
                    if (w == null) {
                        h.thinSibling[i] = true;
                    } else if (!more.contains(w)) {
                        more.add(w);
                    }
                }
                h.siblings[i] = more.stream().mapToInt(Integer::intValue).toArray();
            }
            if (h.write[i]) {
                h.rf[i] = -1;
                continue;
            }
            Long v = h.ops.get(i).output();
            if (v == null) {
                h.rf[i] = INIT;
            } else {
                Integer w = writerOf.getOrDefault(h.key[i], Map.of()).get(v);
                h.rf[i] = w == null ? THIN_AIR : w;
            }
        }
        return h;
    }

    /** The operation and where it is in the file, for messages: {@code p1 read -> 2 (line 7)}, or (event 7). */
    String at(int i) {
        return ops.get(i).describe() + " (" + extras.where(invokeEvent.get(i) - 1) + ")";
    }

    /** Every write a read observed: the one of its value and those of its sibling values. */
    int[] observed(int r) {
        if (rf[r] < 0) {
            return siblings[r];
        }
        int[] out = Arrays.copyOf(siblings[r], siblings[r].length + 1);
        out[siblings[r].length] = rf[r];
        return out;
    }

    List<Operation> opsOf(int... indices) {
        List<Operation> out = new ArrayList<>();
        for (int i : indices) {
            out.add(ops.get(i));
        }
        out.sort(java.util.Comparator.comparingLong(Operation::callNs).thenComparingInt(Operation::id));
        return out;
    }

    List<Operation> opsOf(List<Integer> indices) {
        return opsOf(indices.stream().mapToInt(Integer::intValue).distinct().toArray());
    }
}
