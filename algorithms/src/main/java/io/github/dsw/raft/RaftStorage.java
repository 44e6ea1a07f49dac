package io.github.dsw.raft;

import io.github.dsw.runtime.Context;
import java.util.ArrayList;
import java.util.List;

/**
 * Raft's durable state in a simulator node's storage. Layout: {@code term} (Long), {@code vote}
 * (Integer), {@code snap} (the latest {@link Snapshot}, absent before the first), {@code last} (Long, the
 * index of the last log entry) and {@code e/<index>} (a {@link LogEntry}) for snapshot index < index <=
 * last. Keys above {@code last} are garbage left by a truncation, keys at or below the snapshot's index
 * garbage left by compaction; both are ignored (the simulator's storage has no delete, and a real
 * implementation would drop whole log segments below the snapshot). A snapshot, the entries and
 * {@code last} written in one step become durable together, at that step's fsync.
 */
final class RaftStorage {
    private RaftStorage() {
    }

    /** Rebuilds a node from what is durable (an empty log and term 0 on first boot). */
    static RaftNode load(Context<?> ctx, RaftConfig config) {
        Long term = (Long) ctx.read("term");
        Integer vote = (Integer) ctx.read("vote");
        Long last = (Long) ctx.read("last");
        Snapshot snap = (Snapshot) ctx.read("snap");
        if (snap == null) {
            snap = Snapshot.NONE;
        }
        List<LogEntry> entries = new ArrayList<>();
        for (long i = snap.index() + 1; last != null && i <= last; i++) {
            entries.add((LogEntry) ctx.read("e/" + i));
        }
        HardState hard = new HardState(term == null ? 0 : term, vote == null ? RaftNode.NONE : vote);
        var random = ctx.random(); // the simulation's single RNG outlives this call
        return RaftNode.restart(config, random::nextInt, hard, snap, entries);
    }

    /**
     * Writes the Ready's hard state, snapshot and entries and fsyncs if the Ready is not empty. The fsync is
     * requested even when this step wrote nothing: an answer may rest on writes of an earlier step whose
     * fsync is still running (an empty heartbeat acknowledged right after a big append), and the
     * simulator completes fsyncs in order, so this one completes after every earlier one.
     */
    static void persist(Context<?> ctx, Ready rd) {
        if (rd.hardState() != null) {
            ctx.write("term", rd.hardState().currentTerm());
            ctx.write("vote", rd.hardState().votedFor());
        }
        if (rd.snapshot() != null) {
            ctx.write("snap", rd.snapshot());
        }
        if (!rd.entries().isEmpty() || rd.snapshot() != null) {
            long index = rd.firstEntryIndex();
            for (LogEntry e : rd.entries()) {
                ctx.write("e/" + index, e);
                index++;
            }
            ctx.write("last", index - 1); // after a snapshot that replaced the whole log: its own index
        }
        if (!rd.isEmpty()) {
            ctx.fsync(); // this step's messages and outputs leave only after this completes
        }
    }
}
