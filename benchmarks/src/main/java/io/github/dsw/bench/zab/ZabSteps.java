package io.github.dsw.bench.zab;

import io.github.dsw.bench.Quick;
import io.github.dsw.runtime.Context;
import io.github.dsw.runtime.SplitMix64;
import io.github.dsw.zab.Mutation;
import io.github.dsw.zab.Txn;
import io.github.dsw.zab.ZabMessage;
import io.github.dsw.zab.ZabMessage.Ack;
import io.github.dsw.zab.ZabMessage.AckEpoch;
import io.github.dsw.zab.ZabMessage.AckNewLeader;
import io.github.dsw.zab.ZabMessage.CEpoch;
import io.github.dsw.zab.ZabMessage.Commit;
import io.github.dsw.zab.ZabMessage.NewEpoch;
import io.github.dsw.zab.ZabMessage.NewLeader;
import io.github.dsw.zab.ZabMessage.Notification;
import io.github.dsw.zab.ZabMessage.Proposal;
import io.github.dsw.zab.ZabMessage.ServerState;
import io.github.dsw.zab.ZabMessage.SyncMode;
import io.github.dsw.zab.ZabMessage.UpToDate;
import io.github.dsw.zab.ZabMessage.Vote;
import io.github.dsw.zab.ZabNode;
import io.github.dsw.zab.Zxid;
import java.util.HashMap;
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
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The CPU cost of {@link ZabNode} steps outside the simulator, in a 5-server ensemble whose other servers are played
 * by the benchmark (the node is brought to the broadcast phase through election, discovery and synchronisation with
 * hand-built messages; a stub {@link Context} keeps writes in a map and counts sends):
 * <ul>
 *   <li>{@link #followerProposal}: a follower logs one PROPOSAL (in zxid order), acknowledges it, and delivers it on
 *       the COMMIT that follows: the follower's whole work per transaction. Its history is rebuilt every 1024
 *       transactions so that it stays small (amortised into the score).</li>
 *   <li>{@link #leaderCommit}: the leader's work for one transaction: propose (log, PROPOSAL to four followers),
 *       four ACKs (it commits at the second, a quorum with the leader) and the COMMITs.</li>
 * </ul>
 *
 * <p>Anchor: {@code RaftSteps.followerAppend} (1 entry) and {@code RaftSteps.leaderCommit} do the same jobs for Raft
 * in a 5-server cluster, with Raft's {@code Ready} hand-off that Zab's node does not have (it writes through the
 * context), and {@code PaxosSteps.acceptorAccept} a Paxos acceptor's. Expect the same order of magnitude as Raft
 * (both append to a list, count a quorum and build a handful of messages), and all of them far below a network round
 * trip: the protocol's CPU cost does not limit throughput, messages and disks do.
 *
 * <p>How to run this: {@code ./dsw bench full --only ZabSteps}
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(2)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class ZabSteps {

    static final int SERVERS = 5;
    static final int REBUILD_EVERY = 1024;
    static final ZabNode.Listener NO_HOST = new ZabNode.Listener() {
        @Override
        public void delivered(Context<ZabMessage> ctx, long index, Txn txn) {
        }

        @Override
        public void stoppedServing(Context<ZabMessage> ctx) {
        }
    };

    /** Server 0 following server 4 in epoch 1, up to date, with an empty history. */
    @State(Scope.Thread)
    public static class Follower {
        StubContext ctx;
        ZabNode node;
        long counter;

        @Setup(Level.Iteration)
        public void setUp() {
            rebuild();
        }

        void rebuild() {
            ctx = new StubContext(0);
            node = new ZabNode(ctx, Mutation.NONE);
            node.start(ctx, NO_HOST);
            Vote v = new Vote(4, Zxid.ZERO, 0);
            node.receive(ctx, 4, new Notification(v, 1, ServerState.LOOKING));
            node.receive(ctx, 1, new Notification(v, 1, ServerState.LOOKING));
            for (int t = 0; t <= ZabNode.FINALIZE_TICKS; t++) {
                node.tick(ctx);
            }
            node.receive(ctx, 4, new NewEpoch(1));
            node.receive(ctx, 4, new NewLeader(1, SyncMode.DIFF, Zxid.ZERO, List.of(), Zxid.ZERO));
            node.receive(ctx, 4, new UpToDate(1, Zxid.ZERO));
            if (!node.serving() || node.leader() != 4) {
                throw new IllegalStateException("set-up: server 0 does not follow server 4: " + node);
            }
            counter = 0;
        }
    }

    /** Server 4 leading epoch 1 with all four followers synchronised. */
    @State(Scope.Thread)
    public static class Leader {
        StubContext ctx;
        ZabNode node;

        @Setup(Level.Iteration)
        public void setUp() {
            ctx = new StubContext(4);
            node = new ZabNode(ctx, Mutation.NONE);
            node.start(ctx, NO_HOST);
            Vote v = new Vote(4, Zxid.ZERO, 0);
            for (int f = 0; f < 4; f++) {
                node.receive(ctx, f, new Notification(v, 1, ServerState.LOOKING));
            }
            for (int t = 0; t <= ZabNode.FINALIZE_TICKS; t++) {
                node.tick(ctx);
            }
            for (int f = 0; f < 4; f++) {
                node.receive(ctx, f, new CEpoch(0));
            }
            for (int f = 0; f < 4; f++) {
                node.receive(ctx, f, new AckEpoch(1, 0, Zxid.ZERO));
            }
            for (int f = 0; f < 4; f++) {
                node.receive(ctx, f, new AckNewLeader(1, Zxid.ZERO));
            }
            if (!node.serving() || node.state() != ServerState.LEADING) {
                throw new IllegalStateException("set-up: server 4 does not lead: " + node);
            }
        }
    }

    @Benchmark
    @Quick
    public long followerProposal(Follower s) {
        if (s.counter >= REBUILD_EVERY) {
            s.rebuild();
        }
        Zxid z = new Zxid(1, ++s.counter);
        s.node.receive(s.ctx, 4, new Proposal(1, new Txn(z, "command")));
        s.node.receive(s.ctx, 4, new Commit(1, z));
        return s.node.deliveredCount();
    }

    @Benchmark
    @Quick
    public long leaderCommit(Leader s) {
        s.node.submit(s.ctx, "command");
        Zxid z = s.node.lastZxid();
        for (int f = 0; f < 4; f++) {
            s.node.receive(s.ctx, f, new Ack(1, z));
        }
        return s.node.deliveredCount();
    }

    /** Enough of a node's environment for one step: durable state in a map, sends counted. */
    static final class StubContext implements Context<ZabMessage> {
        private final int self;
        private final Map<String, Object> store = new HashMap<>();
        private final SplitMix64 random = new SplitMix64(1);
        int sends;
        long timers;

        StubContext(int self) {
            this.self = self;
        }

        @Override
        public int self() {
            return self;
        }

        @Override
        public int servers() {
            return SERVERS;
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
        public void send(int to, ZabMessage message) {
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
