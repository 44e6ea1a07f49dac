package io.github.dsw.bench.sim;

import io.github.dsw.check.History;
import io.github.dsw.check.HistoryEvent;
import io.github.dsw.check.HistoryEvent.Fn;
import io.github.dsw.check.HistoryEvent.Type;
import io.github.dsw.check.LinearizabilityChecker;
import io.github.dsw.check.consistency.CausalChecker;
import io.github.dsw.check.consistency.SequentialChecker;
import io.github.dsw.check.consistency.SessionChecker;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.function.Supplier;

/**
 * Chapter 12's checkers against chapter 5's linearizability checker on the same histories, in one JVM: each
 * checker runs once to warm up and then {@code reps} times, and the median is reported with its ratio to the
 * linearizability checker's median on the same history (a ratio, because the machine is shared).
 *
 * <p>Histories: read/write key-value histories linearizable by construction (each operation takes effect at a
 * random point inside its interval, reads return what a register at that point holds), unique written values,
 * 10 processes issuing back to back (gaps 1-10 us, durations 1-30 us), half reads. Shapes: operations x keys.
 *
 * <p>{@code java -cp benchmarks.jar io.github.dsw.bench.sim.ConsistencyCheckerSpeed OUT.tsv [reps] [shapes...]}
 * where a shape is {@code OPSxKEYS}, e.g. {@code 1000x1}.
 */
public final class ConsistencyCheckerSpeed {

    private ConsistencyCheckerSpeed() {
    }

    /** A linearizable read/write history with unique written values. */
    public static History generate(long seed, int ops, int processes, int keys) {
        return generate(seed, ops, processes, keys, 0);
    }

    /**
     * The same, followed, after every operation completed, by one read per key at each of {@code replicas}
     * replicas returning the key's last value (processes {@code processes}, {@code processes + 1}, ...: the
     * final reads of {@link #finalMarks}); a stale one never, so the history stays linearizable and converged.
     */
    public static History generate(long seed, int ops, int processes, int keys, int replicas) {
        SplittableRandom r = new SplittableRandom(seed);
        record Op(int process, boolean write, String key, long value, long call, long point, long ret) {
        }
        List<Op> planned = new ArrayList<>();
        long[] free = new long[processes];
        long next = 1;
        for (int i = 0; i < ops; i++) {
            int p = r.nextInt(processes);
            long call = free[p] + 1_000 + r.nextInt(9_000);
            long ret = call + 1_000 + r.nextInt(29_000);
            long point = call + r.nextLong(ret - call + 1);
            boolean write = r.nextBoolean();
            planned.add(new Op(p, write, "k" + r.nextInt(keys), write ? next++ : 0, call, point, ret));
            free[p] = ret;
        }
        List<Op> byPoint = new ArrayList<>(planned);
        byPoint.sort(Comparator.comparingLong(Op::point));
        java.util.Map<Op, Long> read = new java.util.IdentityHashMap<>();
        java.util.Map<String, Long> state = new java.util.HashMap<>();
        for (Op o : byPoint) {
            if (o.write()) {
                state.put(o.key(), o.value());
            } else {
                read.put(o, state.get(o.key()));
            }
        }
        record Ev(long time, int order, HistoryEvent e) {
        }
        List<Ev> evs = new ArrayList<>();
        int k = 0;
        for (Op o : planned) {
            Fn f = o.write() ? Fn.WRITE : Fn.READ;
            evs.add(new Ev(o.call(), k++, HistoryEvent.invoke(o.process(), f, o.key(), o.write() ? o.value() : null, o.call())));
            evs.add(new Ev(o.ret(), k++, HistoryEvent.complete(o.process(), Type.OK, f, o.key(),
                    o.write() ? (Object) o.value() : read.get(o), o.ret())));
        }
        evs.sort(Comparator.comparingLong(Ev::time).thenComparingInt(Ev::order));
        List<HistoryEvent> out = new ArrayList<>(evs.stream().map(Ev::e).toList());
        long t = out.get(out.size() - 1).timeNs() + 1_000;
        for (int rep = 0; rep < replicas; rep++) {
            for (int key = 0; key < keys; key++) {
                String name = "k" + key;
                out.add(HistoryEvent.invoke(processes + rep, Fn.READ, name, null, t++));
                out.add(HistoryEvent.complete(processes + rep, Type.OK, Fn.READ, name, state.get(name), t++));
            }
        }
        return History.of(out);
    }

    /**
     * The final reads {@link #generate(long, int, int, int, int)} appended, as {@code ConvergenceChecker} takes
     * them: event index of each final read's invocation -> replica name.
     */
    public static java.util.Map<Integer, String> finalMarks(History h, int processes) {
        java.util.Map<Integer, String> marks = new java.util.LinkedHashMap<>();
        List<HistoryEvent> events = h.events();
        for (int i = 0; i < events.size(); i++) {
            if (events.get(i).process() >= processes && events.get(i).type() == Type.INVOKE) {
                marks.put(i, "n" + (events.get(i).process() - processes));
            }
        }
        return marks;
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 1) {
            System.err.println("usage: ConsistencyCheckerSpeed OUT.tsv [reps] [OPSxKEYS ...]");
            System.exit(2);
        }
        Path out = Path.of(args[0]);
        int reps = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        List<String> shapes = args.length > 2 ? Arrays.asList(args).subList(2, args.length)
                : List.of("300x1", "1000x1", "1000x10", "3000x10");
        try (PrintStream tsv = new PrintStream(Files.newOutputStream(out), true, StandardCharsets.UTF_8)) {
            String header = "shape\toperations\tchecker\tmedian_ms\tmin_ms\tratio_to_linearizability\tverdict";
            tsv.println(header);
            System.out.println(header);
            for (String shape : shapes) {
                String[] parts = shape.split("x");
                int ops = Integer.parseInt(parts[0]);
                int keys = Integer.parseInt(parts[1]);
                History h = generate(1, ops, 10, keys);
                long time = 30_000_000_000L;
                List<String> names = List.of("linearizability", "sequential", "cc", "ccv", "causal", "session");
                List<Supplier<String>> checks = List.of(
                        () -> new LinearizabilityChecker().checkKv(h).outcome().toString(),
                        () -> new SequentialChecker(LinearizabilityChecker.Budget.defaults().withSearchTimeNs(time)).check(h)
                                .outcome().toString(),
                        () -> new CausalChecker().check(h, CausalChecker.Variant.CC).outcome().toString(),
                        () -> new CausalChecker().check(h, CausalChecker.Variant.CCV).outcome().toString(),
                        () -> new CausalChecker(time).check(h, CausalChecker.Variant.CM).outcome().toString(),
                        () -> String.join("/", SessionChecker.checkAll(h).stream().map(v -> v.outcome().toString()).toList()));
                double anchor = 0;
                for (int c = 0; c < checks.size(); c++) {
                    String verdict = checks.get(c).get(); // warm-up
                    long[] ns = new long[reps];
                    for (int i = 0; i < reps; i++) {
                        long t0 = System.nanoTime();
                        verdict = checks.get(c).get();
                        ns[i] = System.nanoTime() - t0;
                    }
                    Arrays.sort(ns);
                    double median = ns[reps / 2] / 1e6;
                    if (c == 0) {
                        anchor = median;
                    }
                    String line = String.format(Locale.ROOT, "%s\t%d\t%s\t%.3f\t%.3f\t%.2f\t%s", shape, ops, names.get(c), median,
                            ns[0] / 1e6, median / anchor, verdict);
                    tsv.println(line);
                    System.out.println(line);
                }
            }
        }
    }
}
