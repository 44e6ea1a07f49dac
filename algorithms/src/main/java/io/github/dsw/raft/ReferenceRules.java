package io.github.dsw.raft;

import io.github.dsw.runtime.Context;
import java.util.List;
import java.util.function.IntUnaryOperator;
import java.util.function.LongUnaryOperator;

/** The workbench's own {@link RaftRules}: the rules {@link RaftNode} had inline before the labs split them out. */
final class ReferenceRules implements RaftRules.Election, RaftRules.Replication, RaftRules.Persistence, RaftRules.Snapshots {

    static final ReferenceRules INSTANCE = new ReferenceRules();

    private ReferenceRules() {
    }

    @Override
    public boolean grantVote(RaftRules.VoteRequest r) {
        boolean canVote = r.votedFor() == r.candidate()
                || (r.votedFor() == RaftNode.NONE && r.leaderId() == RaftNode.NONE)
                || (r.preVote() && r.term() > r.currentTerm());
        // section 5.4.1: the candidate's log must be at least as up-to-date as ours
        boolean upToDate = r.lastLogTerm() > r.myLastTerm() || (r.lastLogTerm() == r.myLastTerm() && r.lastLogIndex() >= r.myLastIndex());
        return canVote && upToDate;
    }

    @Override
    public int electionTimeout(int minTicks, int maxTicks, IntUnaryOperator random) {
        return minTicks + random.applyAsInt(maxTicks - minTicks + 1);
    }

    @Override
    public long appendEntries(RaftRules.FollowerLog log, long prev, long prevLogTerm, List<LogEntry> entries, long leaderCommit) {
        if (prev < log.commitIndex()) {
            // Everything up to commitIndex already matches the leader (Leader Completeness); say so.
            return log.commitIndex();
        }
        if (prev > log.lastIndex() || log.termAt(prev) != prevLogTerm) {
            return -1;
        }
        // the entries the log may already hold (a duplicate or reordered AppendEntries) are compared by term up to the
        // first one that is new or conflicts (the log is cut there); that one and all after it are appended, with no
        // further checks (past the log's end nothing can match): the per-entry work of a plain append is the append
        long last = log.lastIndex();
        long index = prev;
        java.util.Iterator<LogEntry> it = entries.iterator();
        LogEntry next = null;
        while (it.hasNext()) {
            LogEntry e = it.next();
            index++;
            if (index > last) {
                next = e;
                break;
            }
            if (log.termAt(index) != e.term()) {
                log.truncateFrom(index);
                next = e;
                break;
            }
        }
        if (next != null) {
            log.append(next);
            while (it.hasNext()) {
                log.append(it.next());
            }
        }
        long lastNew = prev + entries.size();
        if (leaderCommit > log.commitIndex()) {
            log.commitTo(Math.min(leaderCommit, lastNew));
        }
        return lastNew;
    }

    @Override
    public long commitIndex(long currentTerm, long commitIndex, long lastIndex, LongUnaryOperator termAt, long[] voterMatch) {
        return commit(currentTerm, commitIndex, lastIndex, termAt, voterMatch, false);
    }

    /** The commit rule; {@code naive} counts replicas of entries of earlier terms too ({@link Mutation#NAIVE_COUNTING}). */
    static long commit(long currentTerm, long commitIndex, long lastIndex, LongUnaryOperator termAt, long[] voterMatch, boolean naive) {
        int quorum = voterMatch.length / 2 + 1;
        for (long n = lastIndex; n > commitIndex; n--) {
            if (!naive && termAt.applyAsLong(n) != currentTerm) {
                return commitIndex; // Figure 8: older entries only commit with a current-term entry after them
            }
            int count = 0;
            for (long m : voterMatch) {
                count += m >= n ? 1 : 0;
            }
            if (count >= quorum) {
                return n;
            }
        }
        return commitIndex;
    }

    @Override
    public void persist(Context<?> ctx, Ready ready) {
        RaftStorage.persist(ctx, ready);
    }

    @Override
    public RaftNode load(Context<?> ctx, RaftConfig config) {
        return RaftStorage.load(ctx, config);
    }

    @Override
    public RaftRules.SnapshotAssembler newAssembler() {
        return new SnapshotReceiver();
    }

    @Override
    public boolean keepEntriesAfter(long snapshotIndex, long snapshotTerm, long lastIndex, long baseIndex, LongUnaryOperator termAt) {
        return snapshotIndex <= lastIndex && termAt.applyAsLong(snapshotIndex) == snapshotTerm;
    }

    @Override
    public String toString() {
        return "reference";
    }
}
