package io.github.dsw.raft.golden;

import io.github.dsw.raft.ConfChange;
import io.github.dsw.raft.HardState;
import io.github.dsw.raft.LogEntry;
import io.github.dsw.raft.Membership;
import io.github.dsw.raft.PeerStatus;
import io.github.dsw.raft.Proposal;
import io.github.dsw.raft.RaftConfig;
import io.github.dsw.raft.RaftNode;
import io.github.dsw.raft.Snapshot;
import io.github.dsw.raft.Status;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The only place where the golden-scenario interpreter builds a {@link RaftNode} or reads its state:
 * {@code Config} construction, restart, the getters behind {@code status} and {@code log}, the leader's
 * per-peer progress, and the result of {@code proposeConfChange}. Everything else the interpreter does
 * to a node is one of the stable inputs ({@code tick}, {@code step}, {@code propose}, {@code compact},
 * {@code transferLeadership}, {@code readIndex}, {@code leaseRead}) or {@code ready()}.
 * When RaftNode's construction or inspection API changes, this file is what to adapt.
 *
 * <p>Server ids: a cluster of n servers uses RaftNode ids 1..n (the paper's S1..Sn). RaftNode's id
 * universe is 0..servers-1, so every node is built with {@code servers = n + 1} and initial voters
 * {1..n} (or the script's {@code voters}); id 0 is outside every configuration and never exists.
 * That way the ids in scripts, in the printed output and in RaftNode's own refusal messages agree.
 */
final class RaftSurface {

    private RaftSurface() {
    }

    /** What a script's {@code nodes} line chooses. */
    record Options(int servers, Set<Integer> voters, int electionTicks, int heartbeatTicks, boolean preVote, boolean checkQuorum,
                   int maxEntriesPerAppend, int maxInflight, int snapshotChunkBytes, double maxClockDrift) {
    }

    /**
     * Every election timeout is exactly {@code electionTicks} (the random source always answers 0 and the
     * range is [E, E]): the script decides who times out first by whom it ticks.
     */
    private static RaftConfig config(Options o, int id) {
        return RaftConfig.builder(id, o.servers() + 1)
                .initialVoters(new TreeSet<>(o.voters()))
                .preVote(o.preVote()).checkQuorum(o.checkQuorum())
                .electionTicks(o.electionTicks(), o.electionTicks()).heartbeatTicks(o.heartbeatTicks())
                .maxEntriesPerAppend(o.maxEntriesPerAppend())
                .maxInflight(o.maxInflight())
                .snapshotChunkBytes(o.snapshotChunkBytes())
                .maxClockDrift(o.maxClockDrift()).build();
    }

    static RaftNode create(Options o, int id) {
        return RaftNode.create(config(o, id), bound -> 0);
    }

    static RaftNode restart(Options o, int id, HardState hard, Snapshot snapshot, List<LogEntry> entries) {
        return RaftNode.restart(config(o, id), bound -> 0, hard, snapshot, entries);
    }

    /** What {@code status} prints and what the interpreter diffs after every input to report changes. */
    record View(RaftNode.Role role, long term, int votedFor, int leader, long commit, long applied, long lastIndex, long lastTerm,
                long snapshotIndex, long snapshotTerm, Membership membership, int leadTransferee, long ticks) {
    }

    static View view(RaftNode n) {
        Status s = n.status();
        return new View(s.role(), s.term(), s.vote(), s.leader(), s.commitIndex(), s.lastApplied(), s.lastIndex(), s.lastTerm(),
                s.snapshotIndex(), n.snapshot().term(), s.configuration(), s.leadTransferee(), s.ticks());
    }

    /** A leader's view of one peer (etcd's Progress). */
    record Progress(int peer, long match, long next, boolean sendingSnapshot, boolean learnerCaughtUp) {
    }

    /** The leader's progress for every other member of its configuration, by id; empty if not leader. */
    static List<Progress> progress(RaftNode n) {
        List<Progress> out = new ArrayList<>();
        if (n.role() != RaftNode.Role.LEADER) {
            return out;
        }
        Status s = n.status();
        Membership m = s.configuration();
        for (int p = 0; p < n.config().servers(); p++) {
            if (p != n.config().id() && m.isMember(p)) {
                PeerStatus pr = s.progress().get(p);
                out.add(new Progress(p, pr.match(), pr.next(), pr.sendingSnapshot(), pr.learnerCaughtUp()));
            }
        }
        return out;
    }

    /** The entries after the snapshot, in index order (the first has index snapshotIndex + 1). */
    static List<LogEntry> entries(RaftNode n) {
        List<LogEntry> out = new ArrayList<>();
        for (long i = n.snapshotIndex() + 1; i <= n.lastIndex(); i++) {
            out.add(n.entry(i));
        }
        return out;
    }

    /** The result of a membership change proposal: its index, or why it was refused. */
    record ConfResult(long index, String refusal) {
    }

    static ConfResult proposeConfChange(RaftNode n, ConfChange change) {
        return switch (n.proposeConfChange(change)) {
            case Proposal.Accepted a -> new ConfResult(a.index(), null);
            case Proposal.Refused r -> new ConfResult(-1, r.reason());
        };
    }
}
