package io.github.dsw.raft;

import java.util.Arrays;
import java.util.List;

/**
 * The messages of Raft (Ongaro and Ousterhout, "In Search of an Understandable Consensus Algorithm",
 * USENIX ATC 2014, Figure 2), with the PreVote flag of Ongaro's dissertation (section 9.6) and the fast
 * back-off hint (conflict term and index) of the extended paper's section 5.3, and InstallSnapshot
 * (extended paper section 7, Figure 13; dissertation section 5.1, Figure 5.3). The sender's id is given
 * by the transport, so messages do not carry it.
 */
public sealed interface RaftMessage {

    /** The sender's term (for a granted pre-vote: the term the pre-candidate would campaign in). */
    long term();

    /**
     * RequestVote: "vote for me in {@code term}"; with {@code preVote}, "would you vote for me in
     * {@code term}?", which changes no state at the receiver. {@code leaderTransfer} marks the campaign
     * of a server told to start one by {@link TimeoutNow} (dissertation 3.10): voters then ignore their
     * CheckQuorum lease, since the leader they heard from asked for this election (etcd's campaignTransfer).
     */
    record RequestVote(long term, long lastLogIndex, long lastLogTerm, boolean preVote, boolean leaderTransfer)
            implements RaftMessage {
        /** An ordinary (pre-)vote request, not part of a leadership transfer. */
        public RequestVote(long term, long lastLogIndex, long lastLogTerm, boolean preVote) {
            this(term, lastLogIndex, lastLogTerm, preVote, false);
        }
    }

    /** Answer to a {@link RequestVote} of the same kind. */
    record VoteResponse(long term, boolean granted, boolean preVote) implements RaftMessage {
        /** The vote (or pre-vote) is granted, for {@code term}. */
        public static VoteResponse grant(long term, boolean preVote) {
            return new VoteResponse(term, true, preVote);
        }

        /** The vote (or pre-vote) is refused; {@code term} is the voter's. */
        public static VoteResponse reject(long term, boolean preVote) {
            return new VoteResponse(term, false, preVote);
        }
    }

    /**
     * AppendEntries: the entries that follow {@code prevLogIndex} (whose term must be
     * {@code prevLogTerm} at the receiver: the consistency check), and the leader's commit index.
     * Empty {@code entries} make a heartbeat. {@code readContext} is the id of the leader's latest
     * ReadIndex request (0 if none), echoed in the answer: an answer echoing c confirms, for every read
     * with id <= c, that this server still followed the leader after the read arrived.
     */
    record AppendEntries(long term, long prevLogIndex, long prevLogTerm, List<LogEntry> entries, long leaderCommit,
                         long readContext) implements RaftMessage {
        public AppendEntries {
            entries = List.copyOf(entries);
        }

        /** An AppendEntries without entries: a heartbeat, or the confirmation round of a read. */
        public static AppendEntries heartbeat(long term, long prevLogIndex, long prevLogTerm, long leaderCommit, long readContext) {
            return new AppendEntries(term, prevLogIndex, prevLogTerm, List.of(), leaderCommit, readContext);
        }
    }

    /**
     * Answer to an {@link AppendEntries}. On success {@code matchIndex} is the last index known to match
     * the leader's log. On rejection {@code rejectedIndex} is the prevLogIndex that failed, and
     * {@code conflictTerm} / {@code conflictIndex} the back-off hint: the receiver's term at that index
     * and the first index it holds of that term, or 0 and (its last index + 1) if its log is too short.
     * {@code readContext} echoes the request's.
     */
    record AppendResponse(long term, boolean success, long matchIndex, long rejectedIndex, long conflictTerm,
                          long conflictIndex, long readContext) implements RaftMessage {
        /** The consistency check passed: the receiver's log matches the leader's through {@code matchIndex}. */
        public static AppendResponse accept(long term, long matchIndex, long readContext) {
            return new AppendResponse(term, true, matchIndex, 0, 0, 0, readContext);
        }

        /**
         * The consistency check failed at {@code rejectedIndex}: the receiver holds term {@code conflictTerm}
         * there, from index {@code conflictIndex} on (section 5.3's back-off hint).
         */
        public static AppendResponse reject(long term, long rejectedIndex, long conflictTerm, long conflictIndex, long readContext) {
            return new AppendResponse(term, false, 0, rejectedIndex, conflictTerm, conflictIndex, readContext);
        }

        /** The consistency check failed because the receiver's log ends at {@code lastIndex}, before {@code rejectedIndex}. */
        public static AppendResponse logTooShort(long term, long rejectedIndex, long lastIndex, long readContext) {
            return new AppendResponse(term, false, 0, rejectedIndex, 0, lastIndex + 1, readContext);
        }

        /** The answer to a leader of an older term: it carries nothing but the receiver's {@code term}, which deposes it. */
        public static AppendResponse staleTerm(long term) {
            return new AppendResponse(term, false, 0, 0, 0, 0, 0);
        }
    }

    /**
     * InstallSnapshot (extended paper Figure 13): one chunk of the leader's snapshot, {@code data} being
     * the bytes at {@code offset}; {@code done} marks the last chunk. {@code meta} holds
     * lastIncludedIndex and lastIncludedTerm (and is where the configuration would go, dissertation
     * Figure 5.3). The leader sends one chunk at a time, in order. {@code readContext} is as in
     * {@link AppendEntries}: a follower receiving a snapshot still confirms a ReadIndex round.
     * Equality compares the bytes.
     */
    record InstallSnapshot(long term, SnapshotMeta meta, long offset, byte[] data, boolean done, long readContext)
            implements RaftMessage {
        public InstallSnapshot {
            if (meta == null || data == null || offset < 0) {
                throw new IllegalArgumentException("need meta and data, and offset >= 0; got offset " + offset);
            }
            data = data.clone();
        }

        @Override
        public byte[] data() {
            return data.clone();
        }

        /** Length of the chunk in bytes. */
        public int length() {
            return data.length;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof InstallSnapshot s && term == s.term && meta.equals(s.meta) && offset == s.offset
                    && Arrays.equals(data, s.data) && done == s.done && readContext == s.readContext;
        }

        @Override
        public int hashCode() {
            return (int) (31 * (31 * term + offset) + meta.hashCode()) + Arrays.hashCode(data);
        }

        @Override
        public String toString() {
            return "InstallSnapshot[term=" + term + ", meta=" + meta + ", offset=" + offset + ", " + data.length + " bytes, done=" + done
                    + ", readContext=" + readContext + "]";
        }
    }

    /**
     * Answer to an {@link InstallSnapshot} about the snapshot {@code meta}. Figure 13 answers with the
     * term only; the leader here also learns where the follower stands, so that a lost chunk, a
     * duplicate or a follower that crashed and lost its partial snapshot cost one round, not a timeout:
     * {@code installed} says the follower's log now matches the leader's through {@code matchIndex}
     * (the snapshot is installed, or was older than the follower's commitIndex); otherwise
     * {@code nextOffset} is the offset of the next chunk it expects (0: it holds nothing of this snapshot).
     * {@code readContext} echoes the request's.
     */
    record InstallSnapshotResponse(long term, SnapshotMeta meta, boolean installed, long matchIndex, long nextOffset,
                                   long readContext) implements RaftMessage {
        /** The receiver's log now matches the leader's through {@code matchIndex}. */
        public static InstallSnapshotResponse installed(long term, SnapshotMeta meta, long matchIndex, long readContext) {
            return new InstallSnapshotResponse(term, meta, true, matchIndex, 0, readContext);
        }

        /** The receiver expects the chunk at {@code nextOffset} of {@code meta}'s snapshot next (0: it holds nothing of it). */
        public static InstallSnapshotResponse expect(long term, SnapshotMeta meta, long nextOffset, long readContext) {
            return new InstallSnapshotResponse(term, meta, false, 0, nextOffset, readContext);
        }
    }

    /**
     * TimeoutNow (dissertation section 3.10): the leader of {@code term}, transferring its leadership,
     * tells a caught-up voter to start an election at once, skipping PreVote.
     */
    record TimeoutNow(long term) implements RaftMessage {
    }
}
