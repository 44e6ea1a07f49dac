package io.github.dsw.bench.sim;

import io.github.dsw.bench.Quick;
import io.github.dsw.check.History;
import io.github.dsw.check.HistoryEvent;
import io.github.dsw.check.HistoryEvent.Fn;
import io.github.dsw.check.HistoryEvent.Type;
import io.github.dsw.check.LinearizabilityChecker;
import io.github.dsw.check.consistency.CausalChecker;
import io.github.dsw.check.consistency.ConvergenceChecker;
import io.github.dsw.check.consistency.SequentialChecker;
import io.github.dsw.check.consistency.SessionChecker;
import io.github.dsw.check.consistency.Verdict;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Chapter 12's checkers against chapter 5's linearizability checker on the same histories: sequential
 * consistency, weak causal (cc), causal convergence (ccv), causal memory, the four session guarantees, and
 * convergence, each a benchmark method, the linearizability check ({@link #linearizability}) the anchor.
 *
 * <p>Shapes ({@code OPSxKEYS}): the linearizable read/write histories of
 * {@link ConsistencyCheckerSpeed#generate(long, int, int, int, int)} (10 processes, unique values, half reads),
 * each followed by one final read per key at 3 replicas (so convergence has something to check; the history
 * stays linearizable). {@code stale-OPSxKEYS}: the same plus one more process whose only operation, after
 * everything else, reads k0's initial value: sequentially consistent (that read goes first) but not
 * linearizable, so the sequential checker's own search has to decide it (the linearizability pass fails).
 *
 * <p>Expect: every ratio to {@link #linearizability} within ~10x on the linearizable shapes (sequential
 * consistency is decided by the linearizability pass there); on the stale shapes the sequential search's own
 * cost shows.
 *
 * <p>How to run this: {@code ./dsw bench quick --only ConsistencyCheckers}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class ConsistencyCheckers {
    private static final int PROCESSES = 10;
    private static final int REPLICAS = 3;

    @Param({"1000x1", "1000x10", "3000x10", "stale-1000x10"})
    public String shape;

    private History history;
    /**
     * What {@link #convergence} checks: the history without the stale shapes' extra read, which comes after the
     * final reads, and convergence refuses a history whose final reads do not follow quiescence (the base shape's
     * events are a prefix, so the final-read marks are the same).
     */
    private History convergenceHistory;
    private Map<Integer, String> finals;
    private final LinearizabilityChecker lin = new LinearizabilityChecker();
    private final SequentialChecker sequential = new SequentialChecker(
            LinearizabilityChecker.Budget.defaults().withSearchTimeNs(60_000_000_000L));
    private final CausalChecker causal = new CausalChecker();

    /** The history of {@code shape}, as described in the class comment. */
    public static History history(String shape) {
        boolean stale = shape.startsWith("stale-");
        String[] parts = (stale ? shape.substring(6) : shape).split("x");
        History h = ConsistencyCheckerSpeed.generate(1, Integer.parseInt(parts[0]), PROCESSES, Integer.parseInt(parts[1]), REPLICAS);
        if (!stale) {
            return h;
        }
        List<HistoryEvent> events = new ArrayList<>(h.events());
        long t = events.get(events.size() - 1).timeNs() + 1_000;
        int p = PROCESSES + REPLICAS;
        events.add(HistoryEvent.invoke(p, Fn.READ, "k0", null, t));
        events.add(HistoryEvent.complete(p, Type.OK, Fn.READ, "k0", null, t + 1));
        return History.of(events);
    }

    @Setup(Level.Trial)
    public void generate() {
        history = history(shape);
        finals = ConsistencyCheckerSpeed.finalMarks(history, PROCESSES);
        finals.keySet().removeIf(i -> history.events().get(i).process() >= PROCESSES + REPLICAS);
        convergenceHistory = shape.startsWith("stale-") ? history(shape.substring("stale-".length())) : history;
    }

    @Benchmark
    @Quick({"shape=1000x10,3000x10,stale-1000x10"})
    public LinearizabilityChecker.Result linearizability() {
        return lin.checkKv(history);
    }

    @Benchmark
    @Quick({"shape=1000x10,3000x10,stale-1000x10"})
    public Verdict sequential() {
        return sequential.check(history);
    }

    @Benchmark
    @Quick({"shape=1000x10,3000x10"})
    public Verdict cc() {
        return causal.check(history, CausalChecker.Variant.CC);
    }

    @Benchmark
    @Quick({"shape=1000x10,3000x10"})
    public Verdict ccv() {
        return causal.check(history, CausalChecker.Variant.CCV);
    }

    @Benchmark
    @Quick({"shape=1000x10,3000x10"})
    public Verdict causalMemory() {
        return causal.check(history, CausalChecker.Variant.CM);
    }

    @Benchmark
    @Quick({"shape=1000x10,3000x10"})
    public List<Verdict> session() {
        return SessionChecker.checkAll(history);
    }

    @Benchmark
    @Quick({"shape=1000x10,3000x10"})
    public Verdict convergence() {
        return ConvergenceChecker.check(convergenceHistory, finals);
    }
}
