package io.github.dsw.bench.sim;

import io.github.dsw.bench.Quick;
import io.github.dsw.runtime.Context;
import io.github.dsw.runtime.Node;
import io.github.dsw.sim.Latency;
import io.github.dsw.sim.LinkModel;
import io.github.dsw.sim.SimConfig;
import io.github.dsw.sim.Simulator;
import io.github.dsw.sim.Trace;
import java.util.PriorityQueue;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * How many messages per second of wall time the deterministic simulator delivers for a simple
 * request/response protocol: 4 servers each keep 8 requests in flight to random peers, every request is
 * answered, every answer triggers the next request (log-normal link delays, no faults). The score is
 * delivered messages per second (one JMH operation = one delivery).
 *
 * <p>Anchor: {@link #eventQueueOnly} does the same number of add/poll pairs on a
 * {@link PriorityQueue} ordered the same way, with no node code, no network model and no RNG: the floor
 * any event-driven simulator of this shape pays. The ratio {@code pingPong / eventQueueOnly} is the
 * share of a delivery that is the event queue. Expect the simulator within a small factor of the bare
 * queue, and above the chapter's target of 1,000,000 messages/s on one core. {@code trace=HASH} adds
 * the cost of building and hashing a trace line per event (what reproducibility tests use).
 *
 * <p>How to run this: {@code ./dsw bench full --only SimulatorThroughput}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(2)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Quick({"trace=COUNTS"})
public class SimulatorThroughput {
    static final int MESSAGES = 100_000;

    @Param({"COUNTS", "HASH"})
    public String trace;

    sealed interface Msg {
    }

    record Ask(int seq) implements Msg {
    }

    record Answer(int seq) implements Msg {
    }

    /** Keeps 8 requests in flight; answers whatever it is asked. */
    static final class Peer implements Node<Msg> {
        @Override
        public void start(Context<Msg> ctx) {
            for (int i = 0; i < 8; i++) {
                ctx.send(ctx.random().nextInt(ctx.servers()), new Ask(i));
            }
        }

        @Override
        public void receive(Context<Msg> ctx, int from, Msg message) {
            switch (message) {
                case Ask a -> ctx.send(from, new Answer(a.seq()));
                case Answer a -> ctx.send(ctx.random().nextInt(ctx.servers()), new Ask(a.seq() + 1));
            }
        }

        @Override
        public void timer(Context<Msg> ctx, Object tag) {
        }
    }

    @Benchmark
    @OperationsPerInvocation(MESSAGES)
    public long pingPong() {
        SimConfig config = new SimConfig(42, 4, LinkModel.reliable(new Latency.LogNormal(1_000_000, 0.3)),
                LinkModel.reliable(new Latency.Constant(500_000)), 0, Trace.Level.valueOf(trace), false);
        Simulator<Msg> sim = new Simulator<>(config, id -> new Peer());
        while (sim.trace().delivered() < MESSAGES && sim.step()) {
            // run until MESSAGES deliveries
        }
        return sim.trace().hash() + sim.now();
    }

    /** One queued event of the anchor: the same (time, sequence) ordering as the simulator. */
    record Ev(long time, long seq) {
    }

    @Benchmark
    @OperationsPerInvocation(MESSAGES)
    public long eventQueueOnly() {
        PriorityQueue<Ev> q = new PriorityQueue<>((a, b) -> a.time != b.time ? Long.compare(a.time, b.time) : Long.compare(a.seq, b.seq));
        long seq = 0;
        long x = 42;
        for (int i = 0; i < 32; i++) {
            q.add(new Ev(i, seq++));
        }
        long sum = 0;
        for (int i = 0; i < MESSAGES; i++) {
            Ev e = q.poll();
            x = x * 6364136223846793005L + 1442695040888963407L; // LCG: a cheap stand-in for a delay draw
            q.add(new Ev(e.time + 500_000 + ((x >>> 40) & 0xfffff), seq++));
            sum += e.time;
        }
        return sum;
    }
}
