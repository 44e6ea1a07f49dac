import io.github.dsw.raft.RaftNode;
import io.github.dsw.raft.RaftRules;
import java.util.function.IntUnaryOperator;

/**
 * Lab raft-election (course chapter 7; MIT 6.5840's part 3A): Raft's leader election. The workbench's Raft runs
 * with YOUR rules for the two decisions below; everything else (terms, roles, heartbeats, replication) is its own.
 *
 * <p>{@link #grantVote}: the RequestVote receiver of the paper's Figure 2 (Ongaro and Ousterhout, "In Search of an
 * Understandable Consensus Algorithm", 2014). The node has already applied the term rules (a request of a higher
 * term made it a follower of that term, with no vote), so {@code r.term()} is {@code r.currentTerm()} for a real vote.
 * Grant if this server has not voted for anybody else in this term ({@code r.votedFor()} is {@link RaftNode#NONE} or
 * the candidate) AND the candidate's log is at least as up-to-date as ours (section 5.4.1: compare the last entries'
 * terms; with equal last terms, the longer log wins). The node records and persists a granted vote.
 * Two refinements of the workbench (Ongaro's dissertation): a PRE-VOTE ({@code r.preVote()}, section 9.6) asks
 * "would you vote for me in term {@code r.term()}?" without changing anything; answer yes if that term is above
 * yours and the log is up-to-date, whatever you voted in your own term. And a follower that knows a leader in its
 * term ({@code r.leaderId() != NONE}) and has not voted may refuse a real vote (a server that hears from a leader
 * should not help depose it; section 4.2.3).
 *
 * <p>{@link #electionTimeout}: a timeout in ticks drawn uniformly from [minTicks, maxTicks], anew at every reset
 * (section 5.2: randomised timeouts make split votes rare); {@code random.applyAsInt(b)} is uniform in [0, b).
 *
 * <p>Grade: {@code ./dsw grade raft-election}.
 */
public final class StudentRaftElection implements RaftRules.Election {

    @Override
    public boolean grantVote(RaftRules.VoteRequest r) {
        throw new UnsupportedOperationException("lab raft-election: grantVote is not implemented yet");
    }

    @Override
    public int electionTimeout(int minTicks, int maxTicks, IntUnaryOperator random) {
        throw new UnsupportedOperationException("lab raft-election: electionTimeout is not implemented yet");
    }
}
