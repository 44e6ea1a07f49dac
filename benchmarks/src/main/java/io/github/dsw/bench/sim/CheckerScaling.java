package io.github.dsw.bench.sim;

import io.github.dsw.bench.Quick;
import io.github.dsw.check.History;
import io.github.dsw.check.LinearizabilityChecker;
import io.github.dsw.sim.Trace;
import io.github.dsw.register.RegisterRun;
import java.util.Set;
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
 * Time to check a single-register history for linearizability, as a function of its size ({@code ops})
 * and of its concurrency ({@code clients}, the number of processes with an operation outstanding at
 * once). The histories are real: ABD runs in the simulator (seed 1, 5 servers, no faults, reads and
 * writes of values 0..4 on one key), so they are linearizable and the checker must explore until it
 * has linearized every operation, the worst case for a positive verdict.
 *
 * <p>Anchor: {@link #pairOnly} turns the same history into operations (pairing invocations with
 * completions), the floor of any checker. Wing–Gong without Lowe's cache is exponential in the
 * concurrency; with it, expect roughly linear growth in {@code ops} and a growth in {@code clients}
 * that stays far below exponential. The chapter's target: 10,000 operations with 10 clients in under a
 * second (average time per check, in ms here).
 *
 * <p>The shapes of issue 23 (10k and 100k operations, 10 keys, a corrupted read, info operations) are
 * measured by {@link CheckerShapes}, on histories generated linearizable by construction.
 *
 * <p>How to run this: {@code ./dsw bench full --only CheckerScaling}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(2)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class CheckerScaling {

    @Param({"1000", "3000", "10000"})
    public int ops;

    @Param({"2", "5", "10", "20"})
    public int clients;

    private History history;
    private final LinearizabilityChecker checker = new LinearizabilityChecker();

    @Setup(Level.Trial)
    public void simulate() {
        RegisterRun.Settings s = new RegisterRun.Settings(RegisterRun.Protocol.ABD, 1, 5, clients, ops, Set.of(),
                Trace.Level.COUNTS, false);
        RegisterRun.Outcome o = RegisterRun.run(s);
        if (!o.verdict().linearizable()) {
            throw new IllegalStateException("ABD history not linearizable: " + o.verdict().describe());
        }
        history = o.history();
    }

    @Benchmark
    @Quick({"ops=10000", "clients=10,20"})
    public LinearizabilityChecker.Result check() {
        return checker.checkRegister(history);
    }

    @Benchmark
    @Quick({"ops=10000", "clients=10"})
    public int pairOnly() {
        return history.operations().size();
    }
}
