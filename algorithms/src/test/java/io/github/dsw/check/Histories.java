package io.github.dsw.check;

import io.github.dsw.check.HistoryEvent.Cas;
import io.github.dsw.check.HistoryEvent.Fn;
import io.github.dsw.check.HistoryEvent.Type;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;

/** Test histories: small hand-written ones, and random ones generated from an atomic register. */
final class Histories {

    private Histories() {
    }

    /** A builder for hand-made histories: events in the order given, times given explicitly. */
    static final class Builder {
        final List<HistoryEvent> events = new ArrayList<>();
        final String key;

        Builder(String key) {
            this.key = key;
        }

        Builder invoke(int p, Fn f, Object value, long t) {
            events.add(HistoryEvent.invoke(p, f, key, value, t));
            return this;
        }

        Builder ok(int p, Fn f, Object value, long t) {
            events.add(HistoryEvent.complete(p, Type.OK, f, key, value, t));
            return this;
        }

        Builder fail(int p, Fn f, Object value, long t) {
            events.add(HistoryEvent.complete(p, Type.FAIL, f, key, value, t));
            return this;
        }

        Builder info(int p, Fn f, Object value, long t) {
            events.add(HistoryEvent.complete(p, Type.INFO, f, key, value, t));
            return this;
        }

        History build() {
            return History.of(events);
        }
    }

    static Builder register() {
        return new Builder("x");
    }

    /**
     * A history that is linearizable by construction: each operation gets a random linearization point
     * inside its interval and its result is computed by executing a sequential register in the order of
     * those points. With probability {@code infoRate} a write/cas completes as info instead (its effect
     * still happened, at its point), and with {@code dropRate} an info'd op's effect is dropped instead.
     */
    static History atomic(long seed, int processes, int ops, double infoRate, int values) {
        SplittableRandom r = new SplittableRandom(seed);
        record Op(int process, Fn f, Object arg, long call, long point, long ret, boolean info, boolean effect) {
        }
        List<Op> planned = new ArrayList<>();
        long[] free = new long[processes];
        int[] proc = new int[processes];
        for (int i = 0; i < processes; i++) {
            proc[i] = i;
        }
        int nextProc = processes;
        for (int i = 0; i < ops; i++) {
            int slot = r.nextInt(processes);
            long call = free[slot] + 1 + r.nextInt(10);
            long ret = call + 1 + r.nextInt(30);
            long point = call + r.nextLong(ret - call + 1);
            double u = r.nextDouble();
            Fn f = u < 0.4 ? Fn.READ : u < 0.7 ? Fn.WRITE : Fn.CAS;
            Object arg = switch (f) {
                case READ -> null;
                case WRITE -> (long) r.nextInt(values);
                case CAS -> cas(r, values);
            };
            boolean info = f != Fn.READ && r.nextDouble() < infoRate;
            boolean effect = !info || r.nextBoolean();
            planned.add(new Op(proc[slot], f, arg, call, point, ret, info, effect));
            if (info) {
                proc[slot] = nextProc++;
            }
            free[slot] = ret;
        }
        // execute in order of linearization points
        List<Op> byPoint = new ArrayList<>(planned);
        byPoint.sort(Comparator.comparingLong(Op::point));
        java.util.Map<Op, Object> result = new java.util.IdentityHashMap<>();
        Long state = null;
        for (Op o : byPoint) {
            switch (o.f()) {
                case READ -> result.put(o, state == null ? "nil" : state);
                case WRITE -> {
                    if (o.effect()) {
                        state = (Long) o.arg();
                    }
                }
                case CAS -> {
                    Cas c = (Cas) o.arg();
                    boolean applies = Objects.equals(state, c.expected());
                    if (applies && o.effect()) {
                        state = c.update();
                    }
                    result.put(o, applies && o.effect());
                }
            }
        }
        List<HistoryEvent> events = new ArrayList<>();
        for (Op o : planned) {
            Object v = o.arg();
            events.add(HistoryEvent.invoke(o.process(), o.f(), "x", v, o.call()));
            Type type;
            Object out = v;
            if (o.info()) {
                type = Type.INFO;
            } else if (o.f() == Fn.READ) {
                type = Type.OK;
                Object rr = result.get(o);
                out = rr.equals("nil") ? null : rr;
            } else if (o.f() == Fn.CAS) {
                type = Boolean.TRUE.equals(result.get(o)) ? Type.OK : Type.FAIL;
            } else {
                type = Type.OK;
            }
            events.add(HistoryEvent.complete(o.process(), type, o.f(), "x", out, o.ret()));
        }
        // interleave by time: invocations and completions are sorted by time (stable: calls first at ties)
        List<int[]> order = new ArrayList<>();
        for (int i = 0; i < events.size(); i++) {
            order.add(new int[] {i});
        }
        order.sort(Comparator.comparingLong((int[] a) -> events.get(a[0]).timeNs())
                .thenComparing(a -> events.get(a[0]).type() != Type.INVOKE));
        List<HistoryEvent> sorted = new ArrayList<>();
        for (int[] a : order) {
            sorted.add(events.get(a[0]));
        }
        return History.of(sorted);
    }

    /** A random cas; one in {@code values + 1} expects nil (a cas on a missing key, as Knossos allows). */
    static Cas cas(SplittableRandom r, int values) {
        int expected = r.nextInt(values + 1);
        long update = r.nextInt(values);
        return expected == values ? Cas.fromNil(update) : new Cas(expected, update);
    }

    /** A small random history with no promise: random reads' results, random outcomes. */
    static History random(long seed, int processes, int ops, int values) {
        SplittableRandom r = new SplittableRandom(seed);
        List<HistoryEvent> events = new ArrayList<>();
        long[] free = new long[processes];
        int[] proc = new int[processes];
        for (int i = 0; i < processes; i++) {
            proc[i] = i;
        }
        int nextProc = processes;
        for (int i = 0; i < ops; i++) {
            int slot = r.nextInt(processes);
            long call = free[slot] + 1 + r.nextInt(6);
            long ret = call + 1 + r.nextInt(12);
            double u = r.nextDouble();
            Fn f = u < 0.45 ? Fn.READ : u < 0.8 ? Fn.WRITE : Fn.CAS;
            Object arg = switch (f) {
                case READ -> null;
                case WRITE -> (long) r.nextInt(values);
                case CAS -> cas(r, values);
            };
            double o = r.nextDouble();
            Type type = o < 0.75 ? Type.OK : o < 0.88 ? Type.INFO : Type.FAIL;
            Object out = arg;
            if (f == Fn.READ) {
                out = type == Type.OK ? (r.nextInt(values + 1) == values ? null : (Long) (long) r.nextInt(values)) : null;
            }
            events.add(HistoryEvent.invoke(proc[slot], f, "x", arg, call));
            events.add(HistoryEvent.complete(proc[slot], type, f, "x", out, ret));
            if (type == Type.INFO) {
                proc[slot] = nextProc++;
            }
            free[slot] = ret;
        }
        List<HistoryEvent> sorted = new ArrayList<>(events);
        sorted.sort(Comparator.comparingLong(HistoryEvent::timeNs).thenComparing(e -> e.type() != Type.INVOKE));
        return History.of(sorted);
    }
}
