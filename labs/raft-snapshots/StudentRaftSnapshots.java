import io.github.dsw.raft.RaftRules;
import io.github.dsw.raft.Snapshot;
import io.github.dsw.raft.SnapshotMeta;
import java.util.function.LongUnaryOperator;

/**
 * Lab raft-snapshots (course chapter 7; MIT 6.5840's part 3D): the follower's side of log compaction, the
 * InstallSnapshot receiver of the extended Raft paper's Figure 13 (section 7). A leader that has compacted away the
 * entries a follower needs sends its snapshot in chunks, one in flight at a time; the workbench's Raft answers each
 * chunk, persists a complete snapshot and restores the state machine from it. You write:
 *
 * <p>{@link #newAssembler}: a fresh buffer (one per server incarnation: a crash loses a partial snapshot) that
 * assembles the chunks (steps 2-4): a chunk at offset 0 starts a new snapshot (dropping any partial one of another
 * snapshot or another leader's term); a chunk is appended only if its offset is exactly the number of bytes held
 * (anything else is a duplicate or out of order: ignore it, and {@code expected} tells the leader where to resume);
 * bytes of two snapshots, or of two terms' leaders, are never mixed; the chunk marked {@code done} completes it:
 * return {@code new Snapshot(meta, allBytes)} and empty the buffer.
 *
 * <p>{@link #keepEntriesAfter}: steps 6-7. If the log holds the snapshot's last entry (same index AND term), the
 * entries after it are still valid: keep them (true). Otherwise the snapshot has entries this log lacks, and ours
 * may conflict with them: discard the whole log (false). {@code termAt} is defined from {@code baseIndex} (the
 * current snapshot's index) to {@code lastIndex}.
 *
 * <p>Grade: {@code ./dsw grade raft-snapshots}.
 */
public final class StudentRaftSnapshots implements RaftRules.Snapshots {

    @Override
    public RaftRules.SnapshotAssembler newAssembler() {
        throw new UnsupportedOperationException("lab raft-snapshots: newAssembler is not implemented yet");
    }

    @Override
    public boolean keepEntriesAfter(long snapshotIndex, long snapshotTerm, long lastIndex, long baseIndex, LongUnaryOperator termAt) {
        throw new UnsupportedOperationException("lab raft-snapshots: keepEntriesAfter is not implemented yet");
    }
}
