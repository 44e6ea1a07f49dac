package io.github.dsw.bench.sim;

import io.github.dsw.check.History;
import io.github.dsw.check.HistoryEvent;
import io.github.dsw.check.HistoryEvent.Cas;
import io.github.dsw.check.HistoryEvent.Fn;
import io.github.dsw.check.HistoryEvent.Type;
import io.github.dsw.check.HistoryJson;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The history shapes of issue 23, generated linearizable by construction (each operation gets a random
 * point inside its interval; results come from running one register per key in the order of those
 * points), optionally with one read corrupted to a value no one wrote. Read 40 %, write 35 %, cas 25 %
 * (one cas in six from nil), values 0..4, processes issuing back to back with gaps of 1-10 us and
 * durations of 1-30 us. An {@code info} write or cas took effect or not at random; its process is then
 * replaced by a new one, as Jepsen does.
 *
 * <p>{@code java -cp benchmarks.jar io.github.dsw.bench.sim.CheckerHistories DIR} writes every shape
 * of {@link #SHAPES} to {@code DIR/<shape>.jsonl}.
 */
public final class CheckerHistories {

    /** name, operations, processes, keys, info fraction, corrupted read (1) or not (0). */
    public static final String[] SHAPES = {
        "register-10k", "kv10-10k", "register-100k", "corrupt-10k", "flip-20k", "info-100k", "info-300",
    };

    private CheckerHistories() {
    }

    /** The history of a named shape (seed 1). */
    public static History shape(String name) {
        return shape(name, true);
    }

    /** The history of a named shape (seed 1), with or without cas from nil. */
    public static History shape(String name, boolean casFromNil) {
        boolean n = casFromNil;
        return switch (name) {
            case "register-1k" -> generate(1, 1_000, 10, 1, 0.0, false, n);
            case "register-3k" -> generate(1, 3_000, 10, 1, 0.0, false, n);
            case "register-10k" -> generate(1, 10_000, 10, 1, 0.0, false, n);
            case "register-30k" -> generate(1, 30_000, 10, 1, 0.0, false, n);
            case "register-100k" -> generate(1, 100_000, 10, 1, 0.0, false, n);
            case "kv10-10k" -> generate(1, 10_000, 10, 10, 0.0, false, n);
            case "corrupt-10k" -> generate(1, 10_000, 10, 1, 0.0, true, n);
            case "flip-20k" -> generate(1, 20_000, 10, 1, 0.01, true, n);
            case "info-100k" -> generate(1, 100_000, 10, 1, 0.05, false, n);
            case "info-300" -> generate(1, 300, 10, 1, 0.2, false, n);
            default -> throw new IllegalArgumentException("unknown shape '" + name + "'; known: " + String.join(", ", SHAPES)
                    + ", register-1k, register-3k, register-30k");
        };
    }

    /**
     * A linearizable-by-construction history (or, with {@code corrupt}, one whose read halfway through
     * the last tenth returns 77, a value never written).
     */
    public static History generate(long seed, int ops, int processes, int keys, double infoRate, boolean corrupt) {
        return generate(seed, ops, processes, keys, infoRate, corrupt, true);
    }

    /** As above; without {@code casFromNil}, every cas expects a value (what checkers before issue 23 read). */
    public static History generate(long seed, int ops, int processes, int keys, double infoRate, boolean corrupt,
                                   boolean casFromNil) {
        SplittableRandom r = new SplittableRandom(seed);
        record Op(int process, Fn f, String key, Object arg, long call, long point, long ret, boolean info, boolean effect) {
        }
        List<Op> planned = new ArrayList<>(ops);
        long[] free = new long[processes];
        int[] proc = new int[processes];
        for (int i = 0; i < processes; i++) {
            proc[i] = i;
        }
        int nextProc = processes;
        for (int i = 0; i < ops; i++) {
            int slot = r.nextInt(processes);
            long call = free[slot] + 1_000 + r.nextInt(9_000);
            long ret = call + 1_000 + r.nextInt(29_000);
            long point = call + r.nextLong(ret - call + 1);
            double u = r.nextDouble();
            Fn f = u < 0.40 ? Fn.READ : u < 0.75 ? Fn.WRITE : Fn.CAS;
            Object arg = switch (f) {
                case READ -> null;
                case WRITE -> (long) r.nextInt(5);
                case CAS -> r.nextInt(6) == 0 && casFromNil ? Cas.fromNil(r.nextInt(5)) : new Cas(r.nextInt(5), r.nextInt(5));
            };
            boolean info = f != Fn.READ && r.nextDouble() < infoRate;
            boolean effect = !info || r.nextBoolean();
            planned.add(new Op(proc[slot], f, "k" + r.nextInt(keys), arg, call, point, ret, info, effect));
            if (info) {
                proc[slot] = nextProc++;
            }
            free[slot] = ret;
        }
        List<Op> byPoint = new ArrayList<>(planned);
        byPoint.sort(Comparator.comparingLong(Op::point));
        java.util.Map<String, Long> state = new java.util.TreeMap<>();
        java.util.IdentityHashMap<Op, Object> result = new java.util.IdentityHashMap<>();
        for (Op o : byPoint) {
            Long cur = state.get(o.key());
            switch (o.f()) {
                case READ -> result.put(o, cur == null ? "nil" : cur);
                case WRITE -> {
                    if (o.effect()) {
                        state.put(o.key(), (Long) o.arg());
                    }
                }
                case CAS -> {
                    boolean applies = java.util.Objects.equals(cur, ((Cas) o.arg()).expected());
                    if (applies && o.effect()) {
                        state.put(o.key(), ((Cas) o.arg()).update());
                    }
                    result.put(o, applies && o.effect());
                }
            }
        }
        int corrupted = -1;
        if (corrupt) {
            for (int i = ops - ops / 20; i < ops; i++) {
                if (planned.get(i).f() == Fn.READ) {
                    corrupted = i;
                    break;
                }
            }
        }
        List<HistoryEvent> events = new ArrayList<>(2 * ops);
        for (int i = 0; i < ops; i++) {
            Op o = planned.get(i);
            events.add(HistoryEvent.invoke(o.process(), o.f(), o.key(), o.arg(), o.call()));
            Type type;
            Object out = o.arg();
            if (o.info()) {
                type = Type.INFO;
            } else if (o.f() == Fn.READ) {
                type = Type.OK;
                Object v = result.get(o);
                out = i == corrupted ? (Object) 77L : v.equals("nil") ? null : v;
            } else if (o.f() == Fn.CAS) {
                type = Boolean.TRUE.equals(result.get(o)) ? Type.OK : Type.FAIL;
            } else {
                type = Type.OK;
            }
            events.add(HistoryEvent.complete(o.process(), type, o.f(), o.key(), out, o.ret()));
        }
        events.sort(Comparator.comparingLong(HistoryEvent::timeNs).thenComparing(e -> e.type() != Type.INVOKE));
        return History.of(events);
    }

    /**
     * Writes every shape as JSON Lines into the folder given; with {@code --no-cas-from-nil} as second
     * argument, without cas from nil (so that the checker as it was before issue 23 can read them).
     */
    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args.length > 0 ? args[0] : ".");
        boolean casFromNil = !(args.length > 1 && args[1].equals("--no-cas-from-nil"));
        Files.createDirectories(dir);
        for (String s : SHAPES) {
            try (Writer w = Files.newBufferedWriter(dir.resolve(s + ".jsonl"), StandardCharsets.UTF_8)) {
                HistoryJson.write(shape(s, casFromNil), w);
            }
        }
    }
}
