package io.github.dsw.check.consistency;

import io.github.dsw.check.History;
import io.github.dsw.check.HistoryEvent;
import io.github.dsw.check.HistoryEvent.Fn;
import io.github.dsw.check.HistoryEvent.Type;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Test histories for the consistency checkers: hand-made ones written operation by operation, and random ones. */
final class Kv {
    private final List<HistoryEvent> events = new ArrayList<>();
    private long t;

    /** Appends a completed write; operations are appended one after another in real time. */
    Kv w(int p, String key, long v) {
        events.add(HistoryEvent.invoke(p, Fn.WRITE, key, v, t++));
        events.add(HistoryEvent.complete(p, Type.OK, Fn.WRITE, key, v, t++));
        return this;
    }

    /** Appends a completed read returning {@code v} (null: the initial value). */
    Kv r(int p, String key, Long v) {
        events.add(HistoryEvent.invoke(p, Fn.READ, key, null, t++));
        events.add(HistoryEvent.complete(p, Type.OK, Fn.READ, key, v, t++));
        return this;
    }

    Kv r(int p, String key, long v) {
        return r(p, key, Long.valueOf(v));
    }

    Kv event(HistoryEvent e) {
        events.add(new HistoryEvent(e.process(), e.type(), e.f(), e.key(), e.value(), t++));
        return this;
    }

    History build() {
        return History.of(events);
    }

    /**
     * A random read/write history: {@code procs} processes, {@code ops} operations over {@code keys} keys, unique
     * written values, intervals overlapping (events of the processes interleaved at random). A read returns the
     * value of the last completed write of its key with probability {@code fresh}, otherwise any value written to
     * the key anywhere in the history (earlier or later), or null; with {@code thinAir} a value nobody writes. With
     * {@code infoRate} a process's last write completes as info (indeterminate).
     */
    static History random(long seed, int procs, int ops, int keys, double fresh, double thinAir, double infoRate) {
        SplittableRandom rnd = new SplittableRandom(seed);
        int[] owner = new int[ops];
        boolean[] write = new boolean[ops];
        String[] key = new String[ops];
        long[] value = new long[ops];
        List<List<Integer>> byProc = new ArrayList<>();
        for (int p = 0; p < procs; p++) {
            byProc.add(new ArrayList<>());
        }
        long next = 1;
        for (int i = 0; i < ops; i++) {
            owner[i] = rnd.nextInt(procs);
            byProc.get(owner[i]).add(i);
            write[i] = rnd.nextBoolean();
            key[i] = String.valueOf((char) ('x' + rnd.nextInt(keys)));
            value[i] = write[i] ? next++ : 0;
        }
        List<HistoryEvent> events = new ArrayList<>();
        int[] at = new int[procs];
        boolean[] open = new boolean[procs];
        java.util.Map<String, Long> store = new java.util.HashMap<>();
        long time = 0;
        while (true) {
            List<Integer> live = new ArrayList<>();
            for (int p = 0; p < procs; p++) {
                if (at[p] < byProc.get(p).size()) {
                    live.add(p);
                }
            }
            if (live.isEmpty()) {
                break;
            }
            int p = live.get(rnd.nextInt(live.size()));
            int i = byProc.get(p).get(at[p]);
            Fn f = write[i] ? Fn.WRITE : Fn.READ;
            if (!open[p]) {
                events.add(HistoryEvent.invoke(p, f, key[i], write[i] ? value[i] : null, time++));
                open[p] = true;
                continue;
            }
            open[p] = false;
            at[p]++;
            if (write[i]) {
                boolean last = at[p] == byProc.get(p).size();
                boolean info = last && rnd.nextDouble() < infoRate;
                events.add(HistoryEvent.complete(p, info ? Type.INFO : Type.OK, f, key[i], value[i], time++));
                if (!info || rnd.nextBoolean()) {
                    store.put(key[i], value[i]);
                }
                continue;
            }
            Long v;
            double u = rnd.nextDouble();
            if (u < fresh) {
                v = store.get(key[i]);
            } else if (u < fresh + thinAir) {
                v = 999L;
            } else {
                List<Long> cands = new ArrayList<>();
                cands.add(null);
                for (int j = 0; j < ops; j++) {
                    if (write[j] && key[j].equals(key[i])) {
                        cands.add(value[j]);
                    }
                }
                v = cands.get(rnd.nextInt(cands.size()));
            }
            events.add(HistoryEvent.complete(p, Type.OK, f, key[i], v, time++));
        }
        return History.of(events);
    }
}
