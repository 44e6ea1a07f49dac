package io.github.dsw.bench.raft;

import io.github.dsw.bench.Quick;
import io.github.dsw.raft.HardState;
import io.github.dsw.raft.LogEntry;
import io.github.dsw.raft.Proposal;
import io.github.dsw.raft.RaftConfig;
import io.github.dsw.raft.RaftMessage;
import io.github.dsw.raft.RaftMessage.AppendEntries;
import io.github.dsw.raft.RaftMessage.AppendResponse;
import io.github.dsw.raft.RaftNode;
import io.github.dsw.raft.Ready;
import java.util.ArrayList;
import java.util.List;
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
 * The CPU cost of {@link RaftNode} steps outside the simulator, in a 5-server cluster whose other servers
 * are played by the benchmark (messages built by hand, {@link RaftNode#ready()} called after each step so
 * that the hand-off of entries to persist, messages and committed entries is paid for, as a real server
 * pays for it; nothing is written to disk or sent):
 * <ul>
 *   <li>{@link #followerAppend}: a follower handles one AppendEntries carrying {@code entries} new entries
 *       at the end of its log (consistency check, append, commit index from the leader) and hands out its
 *       Ready. Its log is rebuilt from one entry every 1024 messages, so that it stays small (the rebuild is
 *       amortised into the score, below 1 %). Divide the 64-entry score by 64 for the cost per entry.</li>
 *   <li>{@link #leaderCommit}: the leader's work for one entry with batch size 1: propose, AppendEntries
 *       to the four followers, their four answers (the entry commits at the second, a majority with the
 *       leader), the commit notification to the followers, and the Ready. The score is ns per entry committed.</li>
 *   <li>{@link #heartbeatRound}: one heartbeat tick of the leader (empty AppendEntries to four followers)
 *       and the four answers.</li>
 * </ul>
 *
 * <p>Anchor: {@code PaxosSteps.acceptorAccept} (a Multi-Paxos acceptor's phase 2b for one value) does the
 * follower's job for one entry, but with a stub context that only counts its sends, while
 * {@code followerAppend} also builds the AppendEntries, the answer and the {@link Ready} (copies of the
 * new entries, the outbox and the committed entries): expect it several times slower (4.0 times in
 * {@code datasets/results/vm-20261125-0813-raft-steps}). With 64 entries expect far less than 64 times the
 * 1-entry cost (the check, the answer and the Ready are per message: that is what batching saves; 10.1 times
 * in that run, so 6.4 times less per entry). Expect {@code leaderCommit} a few times a follower step (it handles four answers
 * and sends eight messages) and all of them far below a network round trip (hundreds of microseconds in a data
 * centre): the protocol's CPU cost does not limit throughput, messages do.
 *
 * <p>How to run this: {@code ./dsw bench full --only RaftSteps}
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(2)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class RaftSteps {

    static final int SERVERS = 5;
    static final int REBUILD_EVERY = 1024;

    private static RaftConfig config(int id) {
        return RaftConfig.builder(id, SERVERS).preVote(false).checkQuorum(true).build();
    }

    /** Server 1 of the cluster as a follower of server 0 in term 1, with a one-entry log. */
    @State(Scope.Thread)
    public static class Follower {
        /** Entries per AppendEntries. */
        @Param({"1", "64"})
        public int entries;

        List<LogEntry> batch;
        RaftNode node;
        int sinceRebuild;

        @Setup(Level.Iteration)
        public void setUp() {
            List<LogEntry> b = new ArrayList<>();
            for (int i = 0; i < entries; i++) {
                b.add(new LogEntry(1, "command-" + i));
            }
            batch = List.copyOf(b);
            rebuild();
        }

        void rebuild() {
            node = RaftNode.restart(config(1), b -> 0, new HardState(1, 0), List.of(new LogEntry(1, null)));
            node.ready();
            sinceRebuild = 0;
        }
    }

    /** Server 0 elected by votes of 1 and 2, every follower in replicate state after answering the no-op. */
    @State(Scope.Thread)
    public static class Leader {
        RaftNode node;
        long term;

        @Setup(Level.Iteration)
        public void setUp() {
            RaftNode n = RaftNode.create(config(0), b -> 0);
            for (int t = 0; t < n.config().electionTicks(); t++) {
                n.tick();
            }
            term = n.currentTerm();
            n.step(1, new RaftMessage.VoteResponse(term, true, false));
            n.step(2, new RaftMessage.VoteResponse(term, true, false));
            if (n.role() != RaftNode.Role.LEADER) {
                throw new IllegalStateException("set-up: server 0 did not become leader");
            }
            for (int f = 1; f < SERVERS; f++) {
                n.step(f, new AppendResponse(term, true, n.lastIndex(), 0, 0, 0, 0));
            }
            n.ready();
            node = n;
        }
    }

    @Benchmark
    @Quick
    public Ready followerAppend(Follower s) {
        if (++s.sinceRebuild > REBUILD_EVERY) {
            s.rebuild();
        }
        long last = s.node.lastIndex();
        s.node.step(0, new AppendEntries(1, last, 1, s.batch, last, 0));
        return s.node.ready();
    }

    @Benchmark
    @Quick
    public Ready leaderCommit(Leader s) {
        long index = ((Proposal.Accepted) s.node.propose("command")).index();
        for (int f = 1; f < SERVERS; f++) {
            s.node.step(f, new AppendResponse(s.term, true, index, 0, 0, 0, 0));
        }
        return s.node.ready();
    }

    @Benchmark
    @Quick
    public Ready heartbeatRound(Leader s) {
        for (int t = 0; t < s.node.config().heartbeatTicks(); t++) {
            s.node.tick();
        }
        long last = s.node.lastIndex();
        for (int f = 1; f < SERVERS; f++) {
            s.node.step(f, new AppendResponse(s.term, true, last, 0, 0, 0, 0));
        }
        return s.node.ready();
    }
}
