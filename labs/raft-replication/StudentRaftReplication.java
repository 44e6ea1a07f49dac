import io.github.dsw.raft.LogEntry;
import io.github.dsw.raft.RaftRules;
import java.util.List;
import java.util.function.LongUnaryOperator;

/**
 * Lab raft-replication (course chapter 7; MIT 6.5840's part 3B): Raft's log replication. The workbench's Raft runs
 * with YOUR rules for the two decisions below; the rest (leader election, nextIndex back-off, flow control) is its own.
 *
 * <p>{@link #appendEntries}: the AppendEntries receiver of Figure 2 (Ongaro and Ousterhout 2014), steps 2-5, on the
 * follower's log ({@code log}: lastIndex, termAt, commitIndex, truncateFrom, append, commitTo):
 * <ol>
 *   <li>reject (return -1) if the log has no entry at prevLogIndex whose term is prevLogTerm (index 0 has term 0);</li>
 *   <li>for each new entry: if the log already has an entry at its index with the same term, skip it (the message
 *       may be a duplicate or arrive late: NEVER truncate what matches); if the terms differ, truncate the log from
 *       that index and append; beyond the end, append;</li>
 *   <li>if leaderCommit is above the commit index, raise it to min(leaderCommit, index of the last new entry);</li>
 *   <li>return the index through which the log now matches the leader's: prevLogIndex + number of entries.</li>
 * </ol>
 * Hint: entries up to the commit index match the leader's already (Leader Completeness); an AppendEntries whose
 * prevLogIndex is below it can be answered with the commit index without looking at the log.
 *
 * <p>{@link #commitIndex}: the leader's rule (Figure 2, "Rules for Servers", Leaders, last point, and section 5.4.2):
 * the largest N above commitIndex such that a MAJORITY of {@code voterMatch} is >= N and the entry at N is of the
 * current term; entries of earlier terms are never committed by counting replicas (Figure 8 shows why), only with
 * a current-term entry after them. Return commitIndex itself if there is no such N.
 *
 * <p>Grade: {@code ./dsw grade raft-replication}.
 */
public final class StudentRaftReplication implements RaftRules.Replication {

    @Override
    public long appendEntries(RaftRules.FollowerLog log, long prevLogIndex, long prevLogTerm, List<LogEntry> entries, long leaderCommit) {
        throw new UnsupportedOperationException("lab raft-replication: appendEntries is not implemented yet");
    }

    @Override
    public long commitIndex(long currentTerm, long commitIndex, long lastIndex, LongUnaryOperator termAt, long[] voterMatch) {
        throw new UnsupportedOperationException("lab raft-replication: commitIndex is not implemented yet");
    }
}
