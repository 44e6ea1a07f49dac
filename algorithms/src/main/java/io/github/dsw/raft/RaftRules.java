package io.github.dsw.raft;

import io.github.dsw.runtime.Context;
import java.util.List;
import java.util.function.IntUnaryOperator;
import java.util.function.LongUnaryOperator;

/**
 * The four decisions of Raft that the course's labs let a student write, one interface per lab (as MIT 6.5840's
 * parts 3A-3D), each with the workbench's own rule as {@link #REFERENCE}: who gets a vote and when to time out
 * ({@link Election}, lab {@code raft-election}), the AppendEntries consistency check and the commit rule
 * ({@link Replication}, {@code raft-replication}), what is written and fsynced before a message leaves and how a
 * server comes back from it ({@link Persistence}, {@code raft-persistence}), and the InstallSnapshot receiver
 * ({@link Snapshots}, {@code raft-snapshots}). Everything else of {@link RaftNode} (roles, terms, progress, flow
 * control, reads, membership) stays the reference's. A server's rules are part of its {@link RaftConfig}; the
 * default is {@link #REFERENCE} everywhere, so nothing changes unless a lab swaps one part.
 */
public record RaftRules(Election election, Replication replication, Persistence persistence, Snapshots snapshots) {

    public RaftRules {
        if (election == null || replication == null || persistence == null || snapshots == null) {
            throw new IllegalArgumentException("every part of the rules must be given");
        }
    }

    /** The workbench's own rules. */
    public static final RaftRules REFERENCE = new RaftRules(ReferenceRules.INSTANCE, ReferenceRules.INSTANCE,
            ReferenceRules.INSTANCE, ReferenceRules.INSTANCE);

    public RaftRules withElection(Election e) {
        return new RaftRules(e, replication, persistence, snapshots);
    }

    public RaftRules withReplication(Replication r) {
        return new RaftRules(election, r, persistence, snapshots);
    }

    public RaftRules withPersistence(Persistence p) {
        return new RaftRules(election, replication, p, snapshots);
    }

    public RaftRules withSnapshots(Snapshots s) {
        return new RaftRules(election, replication, persistence, s);
    }

    @Override
    public String toString() {
        return this.equals(REFERENCE) ? "reference" : "RaftRules[" + election + ", " + replication + ", " + persistence + ", " + snapshots + "]";
    }

    /**
     * A RequestVote as the receiver sees it, after the term rules (a request of a higher term has already made
     * this server a follower of that term, with no vote; a pre-vote does not change the term).
     *
     * @param currentTerm  this server's term
     * @param votedFor     whom it voted for in currentTerm ({@link RaftNode#NONE} if nobody)
     * @param leaderId     the leader it follows in currentTerm ({@link RaftNode#NONE} if none known)
     * @param candidate    the requesting server
     * @param term         the term the candidate asks a vote for (currentTerm + 1 for a pre-vote of a follower)
     * @param lastLogIndex index of the candidate's last log entry
     * @param lastLogTerm  term of the candidate's last log entry
     * @param preVote      a PreVote ("would you vote for me in {@code term}?"; dissertation 9.6): nothing changes
     * @param myLastIndex  index of this server's last log entry
     * @param myLastTerm   term of this server's last log entry
     */
    public record VoteRequest(long currentTerm, int votedFor, int leaderId, int candidate, long term, long lastLogIndex,
                              long lastLogTerm, boolean preVote, long myLastIndex, long myLastTerm) {
    }

    /** Lab {@code raft-election}: the RequestVote receiver and the randomised election timeout (sections 5.2, 5.4.1). */
    public interface Election {
        /** Whether to grant the vote (or pre-vote); a granted real vote is recorded (and persisted) by the node. */
        boolean grantVote(VoteRequest request);

        /**
         * The election timeout in ticks, in [minTicks, maxTicks], drawn anew at every reset; {@code random.applyAsInt(b)}
         * is uniform in [0, b).
         */
        int electionTimeout(int minTicks, int maxTicks, IntUnaryOperator random);
    }

    /** A follower's log as the AppendEntries receiver sees it. */
    public interface FollowerLog {
        /** Index of the last entry (0 for an empty log). */
        long lastIndex();

        /** The term of the entry at {@code index}, for commitIndex <= index <= lastIndex (index 0 has term 0). */
        long termAt(long index);

        /** Index of the highest entry known to be committed. */
        long commitIndex();

        /** Drops the entries from {@code index} on; throws if that would drop a committed entry. */
        void truncateFrom(long index);

        /** Appends {@code e} at lastIndex + 1. */
        void append(LogEntry e);

        /** Raises commitIndex to {@code index} (never lowers it; not beyond lastIndex). */
        void commitTo(long index);
    }

    /** Lab {@code raft-replication}: the AppendEntries receiver and the leader's commit rule (sections 5.3, 5.4.2). */
    public interface Replication {
        /**
         * The AppendEntries receiver (Figure 2, steps 2-5): reject (return -1) unless the log holds an entry at
         * {@code prevLogIndex} with term {@code prevLogTerm}; else append the entries not already there (truncating
         * the log from the first conflicting one), raise commitIndex to min(leaderCommit, index of the last new
         * entry), and return the index through which the log now matches the leader's (prevLogIndex + entries).
         */
        long appendEntries(FollowerLog log, long prevLogIndex, long prevLogTerm, List<LogEntry> entries, long leaderCommit);

        /**
         * The leader's commitIndex after an acknowledgement: the largest N above {@code commitIndex} stored on a
         * majority of the voters ({@code voterMatch}: each voter's matchIndex, the leader's own last index included
         * if it votes) whose entry is of {@code currentTerm} (Figure 8), or {@code commitIndex} if there is none.
         */
        long commitIndex(long currentTerm, long commitIndex, long lastIndex, LongUnaryOperator termAt, long[] voterMatch);
    }

    /** Lab {@code raft-persistence}: what a server writes before its messages leave, and how it comes back (Figure 2, "persistent state"). */
    public interface Persistence {
        /**
         * Makes durable what {@code ready} asks: its hard state (term, vote) if not null, its snapshot if not null,
         * its entries (at indexes firstEntryIndex, ...; they replace whatever the stored log held from there on),
         * and fsyncs if the Ready is not empty. The environment sends the Ready's messages only after the fsync.
         */
        void persist(Context<?> ctx, Ready ready);

        /** Rebuilds the node from what is durable at start ({@link RaftNode#restart}); term 0 and an empty log at first boot. */
        RaftNode load(Context<?> ctx, RaftConfig config);
    }

    /** A follower's volatile buffer of the snapshot a leader sends in chunks (extended paper Figure 13, steps 2-4). */
    public interface SnapshotAssembler {
        /**
         * Offers the chunk {@code data} at {@code offset} of snapshot {@code meta} from the leader of {@code currentTerm};
         * returns the whole snapshot when {@code done} completes it, else null.
         */
        Snapshot offer(SnapshotMeta meta, long currentTerm, long offset, byte[] data, boolean done);

        /** The offset of the next chunk expected of {@code meta} from the leader of {@code currentTerm} (0 if nothing held of it). */
        long expected(SnapshotMeta meta, long currentTerm);

        /** Bytes held of a snapshot being received (0 if none). */
        long held();
    }

    /** Lab {@code raft-snapshots}: the InstallSnapshot receiver (extended paper section 7, Figure 13). */
    public interface Snapshots {
        /** A fresh, empty assembler: one per server incarnation (a crash loses a partial snapshot). */
        SnapshotAssembler newAssembler();

        /**
         * Figure 13, steps 6-7: whether the entries after a complete snapshot ({@code snapshotIndex},
         * {@code snapshotTerm}) stay valid in a log ending at {@code lastIndex} (terms by {@code termAt}, defined from
         * the log's current base to lastIndex) and are kept; if not, the whole log is replaced by the snapshot.
         */
        boolean keepEntriesAfter(long snapshotIndex, long snapshotTerm, long lastIndex, long baseIndex, LongUnaryOperator termAt);
    }
}
