package io.github.dsw.bench.paxos;

import io.github.dsw.bench.Quick;
import io.github.dsw.paxos.Acceptor;
import io.github.dsw.paxos.Ballot;
import io.github.dsw.paxos.PaxosMessage;
import io.github.dsw.paxos.Proposer;
import io.github.dsw.paxos.Quorums;
import io.github.dsw.runtime.Context;
import io.github.dsw.runtime.SplitMix64;
import java.util.HashMap;
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
 * The CPU cost of one Paxos step outside the simulator, with a minimal in-memory {@link Context} (a hash
 * map for durable state, sends and outputs only counted, fsync free): the per-message work that the
 * batching model's fixed cost per round is made of.
 *
 * <ul>
 *   <li>{@link #acceptorAccept}: an acceptor handles one Accept (phase 2b): read state, persist the
 *       acceptance, send Accepted to every learner.</li>
 *   <li>{@link #acceptorPrepare}: an acceptor handles one Prepare with a higher ballot (phase 1b).</li>
 *   <li>{@link #leaderRound}: a proposer runs phase 1a, receives a quorum of empty promises and sends
 *       phase 2a to every acceptor — the leader's work for one (non-stable-leader) round.</li>
 * </ul>
 *
 * <p>Anchor: {@link #acceptorPrepare} and {@link #acceptorAccept} do the same amount of work (one read,
 * one write, a few sends), so expect them within a small factor of each other; {@link #leaderRound}
 * handles a quorum of messages and sends 2n, so expect it several times slower and growing with
 * {@code nodes}. Expect tens to hundreds of ns per acceptor step: far below a network round trip, which
 * is why batching pays off only through message counts, not CPU.
 *
 * <p>How to run this: {@code ./dsw bench full --only PaxosSteps}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(2)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class PaxosSteps {

    @Param({"3", "5", "7"})
    public int nodes;

    private StubContext ctx;
    private Acceptor acceptor;
    private Quorums quorums;
    private long round;
    private final Ballot fixed = new Ballot(1, 0);
    private long value;

    @Setup(Level.Trial)
    public void setUp() {
        ctx = new StubContext(nodes);
        acceptor = new Acceptor();
        quorums = Quorums.majority(nodes);
        acceptor.onPrepare(ctx, 0, new PaxosMessage.Prepare(fixed));
    }

    @Benchmark
    @Quick({"nodes=5"})
    public int acceptorAccept() {
        acceptor.onAccept(ctx, 0, new PaxosMessage.Accept(fixed, value++));
        return ctx.sends;
    }

    @Benchmark
    @Quick({"nodes=5"})
    public int acceptorPrepare() {
        // A fresh acceptor state every call would measure allocation; a rising ballot keeps every call a promise.
        acceptor.onPrepare(ctx, 1, new PaxosMessage.Prepare(new Ballot(++round, 1)));
        return ctx.sends;
    }

    @Benchmark
    @Quick({"nodes=5"})
    public int leaderRound() {
        Proposer p = new Proposer(quorums);
        p.propose(ctx, value++);
        Ballot b = p.ballot();
        int q = quorums.phase1();
        for (int i = 0; i < q; i++) {
            p.onPromise(ctx, i, new PaxosMessage.Promise(b, Ballot.ZERO, null));
        }
        return ctx.sends;
    }

    /** Enough of a node's environment for one step: state in a map, effects counted. */
    static final class StubContext implements Context<PaxosMessage> {
        private final int servers;
        private final Map<String, Object> store = new HashMap<>();
        private final SplitMix64 random = new SplitMix64(1);
        int sends;
        long timers;

        StubContext(int servers) {
            this.servers = servers;
        }

        @Override
        public int self() {
            return 0;
        }

        @Override
        public int servers() {
            return servers;
        }

        @Override
        public long now() {
            return 0;
        }

        @Override
        public long monotonicNow() {
            return 0;
        }

        @Override
        public SplitMix64 random() {
            return random;
        }

        @Override
        public void send(int to, PaxosMessage message) {
            sends++;
        }

        @Override
        public long setTimer(long delayNs, Object tag) {
            return timers++;
        }

        @Override
        public void cancelTimer(long timerId) {
        }

        @Override
        public Object read(String key) {
            return store.get(key);
        }

        @Override
        public void write(String key, Object value) {
            store.put(key, value);
        }

        @Override
        public void fsync() {
        }

        @Override
        public void output(Object event) {
        }
    }
}
