import io.github.dsw.raft.HardState;
import io.github.dsw.raft.LogEntry;
import io.github.dsw.raft.RaftConfig;
import io.github.dsw.raft.RaftNode;
import io.github.dsw.raft.RaftRules;
import io.github.dsw.raft.Ready;
import io.github.dsw.raft.Snapshot;
import io.github.dsw.runtime.Context;
import java.util.ArrayList;
import java.util.List;

/**
 * Lab raft-persistence (course chapter 7; MIT 6.5840's part 3C): what a Raft server must make durable, and how it
 * comes back after a crash. The workbench's Raft hands every effect out in a {@link Ready}; its host calls YOUR
 * {@link #persist} after every step, then sends the Ready's messages, which the environment releases only after
 * your {@code ctx.fsync()} completes. At start (boot and every restart) it calls YOUR {@link #load}.
 *
 * <p>Storage is a key-value map: {@code ctx.write(key, value)} (any object: Long, Integer, LogEntry, Snapshot...),
 * {@code ctx.read(key)} (null if absent; there is no delete), {@code ctx.fsync()}. A crash loses every write not
 * fsynced. Figure 2's persistent state is currentTerm, votedFor and the log; with compaction, the latest snapshot
 * too.
 * <ul>
 *   <li>{@code ready.hardState()}: the term and vote to write, or null if unchanged;</li>
 *   <li>{@code ready.entries()}: entries at indexes {@code ready.firstEntryIndex()}, ... They REPLACE whatever your
 *       stored log held from firstEntryIndex on (a follower truncated a conflicting suffix): remember where the log
 *       now ends;</li>
 *   <li>{@code ready.snapshot()}: a snapshot to keep, or null; the stored log then starts after its index;</li>
 *   <li>fsync whenever {@code !ready.isEmpty()}: a vote or an acknowledgement must never rest on state a crash
 *       could lose.</li>
 * </ul>
 * {@link #load}: read it all back and call
 * {@code RaftNode.restart(config, ctx.random()::nextInt, new HardState(term, votedFor), snapshot, entries)} with
 * {@link Snapshot#NONE} if there is none and the entries after the snapshot, in order. At first boot: term 0,
 * votedFor {@link RaftNode#NONE}, no entries.
 *
 * <p>Grade: {@code ./dsw grade raft-persistence}.
 */
public final class StudentRaftPersistence implements RaftRules.Persistence {

    @Override
    public void persist(Context<?> ctx, Ready ready) {
        throw new UnsupportedOperationException("lab raft-persistence: persist is not implemented yet");
    }

    @Override
    public RaftNode load(Context<?> ctx, RaftConfig config) {
        throw new UnsupportedOperationException("lab raft-persistence: load is not implemented yet");
    }
}
