package io.github.dsw.bench.commit;

import io.github.dsw.bench.Quick;
import io.github.dsw.commit.CommitMessage;
import io.github.dsw.commit.Layout;
import io.github.dsw.commit.PaxosCommitNode;
import io.github.dsw.commit.TwoPhaseCommitNode;
import io.github.dsw.commit.VotePlan;
import io.github.dsw.runtime.Context;
import io.github.dsw.runtime.Node;
import io.github.dsw.runtime.Rng;
import io.github.dsw.runtime.SplitMix64;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The CPU cost of one failure-free transaction of 2PC, Paxos Commit and Faster Paxos Commit outside the
 * simulator: the protocol's nodes ({@code N = 5}, {@code F = 1}, separate processes) exchange their messages
 * through an in-memory FIFO pump with a hash-map store, fsync free, timers ignored. Divide by the messages the
 * pump delivered ({@link #messagesPerTransaction}: the paper's 3N-1, (N+1)(F+3)-2, N(2F+3) = 14, 22, 25) for the
 * cost per message step.
 *
 * <p>Anchor: 2PC. Expect Paxos Commit and Faster Paxos Commit to cost more in proportion to their message counts
 * (about 1.6x and 1.8x) plus the acceptors' bundling (measured on the quiet machine: 1.40x and 1.64x, because a
 * bundled phase 2b carries N votes in one message; datasets/results/vm-20261203-commit-settled-quiet); all of it microseconds, far below one network delay, which is
 * why the chapter compares the protocols by message delays and counts rather than CPU.
 *
 * <p>Warm-up: ten 1 s iterations. With three (the earlier setting) Paxos Commit had not settled: in a quiet run its
 * measured iterations were 28, 18, 33, 11.5 and 11.5 us (datasets/results/vm-20261203-commit-quiet), and a run with
 * JMH's gc profiler showed why it is the JIT, not the garbage: the allocation per transaction is flat (about 25 KB,
 * against 18 KB for 2PC) from the first iteration on, while the time per transaction keeps falling until the
 * seventh to tenth second, once C2 has compiled the protocol's message switch and inlined the per-transaction maps.
 *
 * <p>How to run this: {@code ./dsw bench full --only CommitSteps}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(2)
@Warmup(iterations = 10, time = 1)
@Measurement(iterations = 10, time = 1)
public class CommitSteps {

    @Param({"2pc", "paxos-commit", "faster-paxos-commit"})
    public String protocol;

    static final int N = 5;
    static final int F = 1;

    private Layout layout;
    private Node<CommitMessage>[] nodes;
    private Stub[] contexts;
    private final ArrayDeque<Object[]> queue = new ArrayDeque<>();
    private long tx;
    private long delivered;

    /** The per-process context: a map store, sends into the shared queue, timers and outputs dropped. */
    private final class Stub implements Context<CommitMessage> {
        final int self;
        final Map<String, Object> store = new HashMap<>();
        final SplitMix64 random = new SplitMix64(7);

        Stub(int self) {
            this.self = self;
        }

        public int self() {
            return self;
        }

        public int servers() {
            return layout.processes();
        }

        public long now() {
            return 0;
        }

        public long monotonicNow() {
            return 0;
        }

        public Rng random() {
            return random;
        }

        public void send(int to, CommitMessage m) {
            queue.add(new Object[] {self, to, m});
        }

        public long setTimer(long delayNs, Object tag) {
            return 0;
        }

        public void cancelTimer(long timerId) {
        }

        public Object read(String key) {
            return store.get(key);
        }

        public void write(String key, Object value) {
            store.put(key, value);
        }

        public void fsync() {
        }

        public void output(Object event) {
        }
    }

    @Setup
    @SuppressWarnings("unchecked")
    public void setUp() {
        layout = protocol.equals("2pc") ? Layout.coordinated(N, false) : Layout.paxos(N, F, false);
        nodes = new Node[layout.processes()];
        contexts = new Stub[layout.processes()];
        fresh();
    }

    /** New nodes and stores (every 100 transactions, so that per-transaction state does not pile up). */
    private void fresh() {
        VotePlan plan = VotePlan.allYes();
        for (int p = 0; p < nodes.length; p++) {
            nodes[p] = switch (protocol) {
                case "2pc" -> new TwoPhaseCommitNode(layout, plan, p);
                case "paxos-commit" -> new PaxosCommitNode(layout, plan, false, p);
                default -> new PaxosCommitNode(layout, plan, true, p);
            };
            contexts[p] = new Stub(p);
            nodes[p].start(contexts[p]);
        }
    }

    @Benchmark
    @Quick
    public long oneTransaction() {
        if (++tx % 100 == 0) {
            fresh();
        }
        for (int r = 0; r < N; r++) {
            nodes[layout.rm(r)].receive(contexts[layout.rm(r)], -1, new CommitMessage.Work(tx));
        }
        if (layout.rmAt(layout.coordinator()) < 0) {
            nodes[layout.coordinator()].receive(contexts[layout.coordinator()], -1, new CommitMessage.Work(tx));
        }
        nodes[0].receive(contexts[0], -1, new CommitMessage.Begin(tx));
        long count = 0;
        Object[] e;
        while ((e = queue.poll()) != null) {
            int to = (Integer) e[1];
            nodes[to].receive(contexts[to], (Integer) e[0], (CommitMessage) e[2]);
            count++;
        }
        delivered = count;
        return count;
    }

    /** Messages one transaction exchanged, for dividing the time per transaction. */
    public long messagesPerTransaction() {
        return delivered;
    }
}
