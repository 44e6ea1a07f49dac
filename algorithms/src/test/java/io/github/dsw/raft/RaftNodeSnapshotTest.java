package io.github.dsw.raft;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.dsw.raft.RaftMessage.AppendEntries;
import io.github.dsw.raft.RaftMessage.AppendResponse;
import io.github.dsw.raft.RaftMessage.InstallSnapshot;
import io.github.dsw.raft.RaftMessage.InstallSnapshotResponse;
import io.github.dsw.raft.RaftMessage.VoteResponse;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link RaftNode}'s log compaction and InstallSnapshot on their own, message by message, with the
 * expected behaviour taken from the receiver and sender rules of the extended Raft paper's Figure 13
 * (section 7) and the dissertation's section 5.1: a snapshot that describes a prefix of the log keeps
 * the entries after it (step 6), otherwise the log is discarded (step 7); a snapshot older than the
 * commit index is ignored; chunks are accepted only in order; the snapshot is persisted in the same
 * Ready as the answer (so before it is sent) and handed to the application to restore.
 */
class RaftNodeSnapshotTest {

    private static final int LEADER = 0;

    /** Server 1 of 3, no PreVote/CheckQuorum (so nothing but the messages here drives it). */
    private static RaftNode follower() {
        return RaftNode.create(RaftConfig.builder(1, 3).preVote(false).checkQuorum(false).build(), b -> 0);
    }

    private static List<LogEntry> entries(long... terms) {
        List<LogEntry> list = new ArrayList<>();
        for (long t : terms) {
            list.add(new LogEntry(t, "c" + list.size()));
        }
        return list;
    }

    private static byte[] bytes(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (i * 7 + 3);
        }
        return b;
    }

    /** Sends the follower AppendEntries(term, prev 0, entries, leaderCommit) and drains the Ready. */
    private static void append(RaftNode f, long term, List<LogEntry> entries, long leaderCommit) {
        f.step(LEADER, new AppendEntries(term, 0, 0, entries, leaderCommit, 0));
        f.ready();
    }

    private static <T extends RaftMessage> T only(Ready rd, Class<T> type) {
        assertEquals(1, rd.messages().size(), "one answer: " + rd.messages());
        assertEquals(LEADER, rd.messages().get(0).to());
        return type.cast(rd.messages().get(0).message());
    }

    @Test
    void snapshotDescribingAPrefixKeepsTheEntriesAfterIt() {
        RaftNode f = follower();
        append(f, 1, entries(1, 1, 1, 1, 1), 2);
        byte[] data = bytes(10);
        f.step(LEADER, new InstallSnapshot(1, new SnapshotMeta(3, 1), 0, data, true, 0));
        // Figure 13 step 6: the entry at lastIncludedIndex has lastIncludedTerm: retain what follows it
        assertEquals(3, f.snapshotIndex());
        assertEquals(5, f.lastIndex());
        assertEquals("c3", f.entry(4).command());
        assertEquals("c4", f.entry(5).command());
        assertEquals(1, f.termAt(3), "termAt(snapshotIndex) is the snapshot's term");
        assertThrows(IllegalArgumentException.class, () -> f.entry(3), "compacted");
        assertThrows(IllegalArgumentException.class, () -> f.termAt(2), "compacted");
        assertEquals(3, f.commitIndex());
        Ready rd = f.ready();
        assertEquals(new Snapshot(new SnapshotMeta(3, 1), data), rd.snapshot(), "persisted in the Ready that carries the answer");
        assertTrue(rd.mustSync());
        assertEquals(rd.snapshot(), rd.restore(), "handed to the application to restore");
        assertEquals(4, rd.firstCommittedIndex());
        assertTrue(rd.committed().isEmpty());
        assertTrue(rd.entries().isEmpty(), "entries 4 and 5 were already stable");
        assertEquals(6, rd.firstEntryIndex(), "stored log still ends at 5");
        InstallSnapshotResponse r = only(rd, InstallSnapshotResponse.class);
        assertTrue(r.installed());
        assertEquals(3, r.matchIndex());
        assertEquals(3, f.lastApplied());
    }

    @Test
    void snapshotWithAConflictingEntryDiscardsTheWholeLog() {
        RaftNode f = follower();
        append(f, 1, entries(1, 1, 1, 1, 1), 1);
        f.step(LEADER, new InstallSnapshot(2, new SnapshotMeta(4, 2), 0, bytes(5), true, 0));
        // step 7: our entry 4 has term 1, not 2: everything goes, including entry 5 after it
        assertEquals(4, f.snapshotIndex());
        assertEquals(4, f.lastIndex());
        assertEquals(2, f.status().lastTerm());
        assertEquals(4, f.commitIndex());
        Ready rd = f.ready();
        assertEquals(5, rd.firstEntryIndex(), "the stored log must end at the snapshot: last = 4");
        assertTrue(rd.entries().isEmpty());
        assertEquals(4, rd.restore().index());
        assertEquals(2, f.currentTerm(), "the leader's term was adopted");
    }

    @Test
    void snapshotBeyondTheLogDiscardsIt() {
        RaftNode f = follower();
        append(f, 1, entries(1, 1), 0);
        f.step(LEADER, new InstallSnapshot(1, new SnapshotMeta(8, 1), 0, bytes(3), true, 0));
        assertEquals(8, f.snapshotIndex());
        assertEquals(8, f.lastIndex());
        // the next AppendEntries must match at the snapshot's index (termAt(8) = 1)
        f.ready();
        f.step(LEADER, new AppendEntries(1, 8, 1, List.of(new LogEntry(1, "x")), 9, 0));
        Ready rd = f.ready();
        AppendResponse ar = only(rd, AppendResponse.class);
        assertTrue(ar.success());
        assertEquals(9, ar.matchIndex());
        assertEquals(9, rd.firstCommittedIndex());
        assertEquals(List.of(new LogEntry(1, "x")), rd.committed());
    }

    @Test
    void snapshotOlderThanCommitIndexIsIgnored() {
        RaftNode f = follower();
        append(f, 1, entries(1, 1, 1, 1, 1), 4);
        long version = f.status().logVersion();
        f.step(LEADER, new InstallSnapshot(1, new SnapshotMeta(3, 1), 0, bytes(4), true, 0));
        assertEquals(0, f.snapshotIndex());
        assertEquals(5, f.lastIndex());
        assertEquals(version, f.status().logVersion(), "log untouched");
        Ready rd = f.ready();
        assertNull(rd.snapshot());
        assertNull(rd.restore());
        InstallSnapshotResponse r = only(rd, InstallSnapshotResponse.class);
        assertTrue(r.installed(), "the leader learns it need not send it");
        assertEquals(4, r.matchIndex(), "everything through commitIndex matches the leader");
    }

    @Test
    void chunksAreAcceptedOnlyInOrder() {
        RaftNode f = follower();
        append(f, 1, entries(1), 1);
        SnapshotMeta meta = new SnapshotMeta(6, 1);
        byte[] data = bytes(10);
        // a chunk after offset 0 without a first chunk: "I hold nothing of it"
        f.step(LEADER, new InstallSnapshot(1, meta, 4, Arrays.copyOfRange(data, 4, 8), false, 0));
        assertEquals(0, only(f.ready(), InstallSnapshotResponse.class).nextOffset());
        f.step(LEADER, new InstallSnapshot(1, meta, 0, Arrays.copyOfRange(data, 0, 4), false, 0));
        InstallSnapshotResponse r = only(f.ready(), InstallSnapshotResponse.class);
        assertFalse(r.installed());
        assertEquals(4, r.nextOffset());
        assertEquals(4, f.status().incomingSnapshotBytes());
        // a gap (chunk 4..8 lost): rejected, the follower says where it is
        f.step(LEADER, new InstallSnapshot(1, meta, 8, Arrays.copyOfRange(data, 8, 10), true, 0));
        assertEquals(4, only(f.ready(), InstallSnapshotResponse.class).nextOffset());
        assertEquals(0, f.snapshotIndex(), "not installed from a gapped buffer");
        // a duplicate of the first chunk: ignored
        f.step(LEADER, new InstallSnapshot(1, meta, 0, Arrays.copyOfRange(data, 0, 4), false, 0));
        assertEquals(4, only(f.ready(), InstallSnapshotResponse.class).nextOffset());
        assertEquals(4, f.status().incomingSnapshotBytes());
        f.step(LEADER, new InstallSnapshot(1, meta, 4, Arrays.copyOfRange(data, 4, 8), false, 0));
        assertEquals(8, only(f.ready(), InstallSnapshotResponse.class).nextOffset());
        f.step(LEADER, new InstallSnapshot(1, meta, 8, Arrays.copyOfRange(data, 8, 10), true, 0));
        Ready rd = f.ready();
        assertTrue(only(rd, InstallSnapshotResponse.class).installed());
        assertArrayEquals(data, rd.restore().data(), "the chunks reassembled in order");
        assertEquals(0, f.status().incomingSnapshotBytes());
    }

    @Test
    void chunksOfAnotherTermsLeaderAreNotMixed() {
        RaftNode f = follower();
        append(f, 1, entries(1), 1);
        SnapshotMeta meta = new SnapshotMeta(6, 1);
        f.step(LEADER, new InstallSnapshot(1, meta, 0, bytes(4), false, 0));
        f.ready();
        // a new leader (term 2, server 2) sends the same snapshot's second chunk: its encoding may differ
        f.step(2, new InstallSnapshot(2, meta, 4, bytes(4), false, 0));
        Ready rd = f.ready();
        assertEquals(2, rd.messages().get(0).to());
        assertEquals(0, ((InstallSnapshotResponse) rd.messages().get(0).message()).nextOffset());
    }

    @Test
    void staleTermInstallSnapshotIsAnsweredWithTheCurrentTerm() {
        RaftNode f = RaftNode.create(RaftConfig.defaults(1, 3), b -> 0); // PreVote/CheckQuorum on
        f.step(2, new AppendEntries(3, 0, 0, List.of(), 0, 0));
        f.ready();
        f.step(LEADER, new InstallSnapshot(2, new SnapshotMeta(6, 2), 0, bytes(3), true, 0));
        assertEquals(0, f.snapshotIndex(), "Figure 13 step 1: reply immediately if term < currentTerm");
        assertEquals(3, only(f.ready(), RaftMessage.class).term());
    }

    @Test
    void compactDropsThePrefixAndPersistsTheSnapshot() {
        RaftNode leader = singleServerLeader();
        for (int i = 0; i < 9; i++) {
            leader.propose("p" + i);
        }
        Ready rd = leader.ready();
        assertEquals(10, rd.committed().size(), "no-op and nine commands commit at once on one server");
        long term = leader.termAt(6);
        assertThrows(IllegalArgumentException.class, () -> leader.compact(11, new byte[0]), "beyond lastApplied");
        assertTrue(leader.compact(6, bytes(3)));
        assertEquals(6, leader.snapshotIndex());
        assertEquals(10, leader.lastIndex());
        assertEquals(term, leader.termAt(6));
        assertEquals("p6", leader.entry(8).command());
        assertThrows(IllegalArgumentException.class, () -> leader.entry(6));
        assertFalse(leader.compact(5, bytes(3)), "older than the current snapshot");
        rd = leader.ready();
        assertEquals(new Snapshot(new SnapshotMeta(6, term), bytes(3)), rd.snapshot());
        assertNull(rd.restore(), "the application already has this state");
        assertTrue(rd.committed().isEmpty());
        assertEquals(new Proposal.Accepted(11), leader.propose("after"));
        rd = leader.ready();
        assertEquals(11, rd.firstEntryIndex());
        assertEquals(11, rd.firstCommittedIndex());
    }

    @Test
    void restartFromASnapshotRestoresItFirst() {
        Snapshot snap = new Snapshot(new SnapshotMeta(5, 2), bytes(7));
        List<LogEntry> after = entries(2, 3);
        RaftNode r = RaftNode.restart(RaftConfig.defaults(1, 3), b -> 0, new HardState(3, RaftNode.NONE), snap, after);
        assertEquals(5, r.commitIndex(), "a snapshot covers only committed entries");
        assertEquals(7, r.lastIndex());
        assertEquals(3, r.status().lastTerm());
        assertEquals(2, r.termAt(5));
        Ready rd = r.ready();
        assertEquals(snap, rd.restore());
        assertNull(rd.snapshot(), "already durable");
        assertEquals(6, rd.firstCommittedIndex());
        assertTrue(rd.committed().isEmpty(), "entries 6 and 7 are not known to be committed");
        assertEquals(5, r.lastApplied());
        assertThrows(IllegalArgumentException.class,
                () -> RaftNode.restart(RaftConfig.defaults(1, 3), b -> 0, new HardState(1, RaftNode.NONE), snap, after),
                "a snapshot term above currentTerm is impossible");
    }

    /** Server 0 of 3 made leader of term 1 by hand (votes from server 1), log = the no-op. */
    private static RaftNode threeServerLeader(int chunkBytes) {
        RaftNode l = RaftNode.create(RaftConfig.builder(0, 3).preVote(false).checkQuorum(false).snapshotChunkBytes(chunkBytes).build(), b -> 0);
        while (l.role() != RaftNode.Role.CANDIDATE) {
            l.tick();
        }
        l.step(1, new VoteResponse(1, true, false));
        assertEquals(RaftNode.Role.LEADER, l.role());
        l.ready();
        return l;
    }

    private static RaftNode singleServerLeader() {
        RaftNode l = RaftNode.create(RaftConfig.defaults(0, 1), b -> 0);
        while (l.role() != RaftNode.Role.LEADER) {
            l.tick();
        }
        return l;
    }

    private static List<InstallSnapshot> chunksTo(Ready rd, int peer) {
        List<InstallSnapshot> out = new ArrayList<>();
        for (Envelope e : rd.messages()) {
            if (e.to() == peer && e.message() instanceof InstallSnapshot is) {
                out.add(is);
            }
        }
        return out;
    }

    @Test
    void leaderSendsItsSnapshotInChunksOneAtATime() {
        RaftNode l = threeServerLeader(4);
        // server 1 acknowledges everything; commit, apply and compact 21 entries
        for (int i = 0; i < 20; i++) {
            l.propose("p" + i);
        }
        l.step(1, new AppendResponse(1, true, 21, 0, 0, 0, 0));
        l.ready();
        assertEquals(21, l.lastApplied());
        byte[] data = bytes(10);
        l.compact(21, data);
        l.ready();
        // server 2 says its log is empty: nextIndex 1 <= snapshotIndex 21, the entries are gone
        l.step(2, new AppendResponse(1, false, 0, 0, 0, 1, 0));
        assertTrue(l.status().progress().get(2).sendingSnapshot());
        List<InstallSnapshot> c = chunksTo(l.ready(), 2);
        assertEquals(1, c.size(), "one chunk in flight");
        assertEquals(new InstallSnapshot(1, new SnapshotMeta(21, 1), 0, Arrays.copyOfRange(data, 0, 4), false, 0), c.get(0));
        // heartbeat while the chunk is young: nothing; a heartbeat later still unanswered: resent
        l.tick();
        assertTrue(chunksTo(l.ready(), 2).isEmpty(), "not resent within one heartbeat interval");
        l.tick();
        List<InstallSnapshot> again = chunksTo(l.ready(), 2);
        assertEquals(1, again.size(), "unanswered for a heartbeat interval: resent");
        // the same chunk; only the read context differs (each heartbeat round carries a new one, for leases)
        InstallSnapshot r = again.get(0);
        assertEquals(new InstallSnapshot(1, new SnapshotMeta(21, 1), 0, Arrays.copyOfRange(data, 0, 4), false, r.readContext()), r);
        SnapshotMeta meta = new SnapshotMeta(21, 1);
        l.step(2, new InstallSnapshotResponse(1, meta, false, 0, 4, 0));
        c = chunksTo(l.ready(), 2);
        assertEquals(1, c.size());
        assertEquals(4, c.get(0).offset());
        assertArrayEquals(Arrays.copyOfRange(data, 4, 8), c.get(0).data());
        // a stale (duplicated) answer about offset 4 changes nothing
        l.step(2, new InstallSnapshotResponse(1, meta, false, 0, 4, 0));
        assertTrue(chunksTo(l.ready(), 2).isEmpty());
        // the follower crashed and lost its buffer: back to offset 0
        l.step(2, new InstallSnapshotResponse(1, meta, false, 0, 0, 0));
        c = chunksTo(l.ready(), 2);
        assertEquals(0, c.get(0).offset());
        l.step(2, new InstallSnapshotResponse(1, meta, false, 0, 4, 0));
        l.step(2, new InstallSnapshotResponse(1, meta, false, 0, 8, 0));
        c = chunksTo(l.ready(), 2);
        assertEquals(2, c.size());
        assertEquals(8, c.get(1).offset());
        assertTrue(c.get(1).done(), "the last chunk (2 bytes) says done");
        assertEquals(2, c.get(1).length());
        // installed: replication resumes with AppendEntries after the snapshot
        l.propose("p-after");
        l.step(2, new InstallSnapshotResponse(1, meta, true, 21, 0, 0));
        assertFalse(l.status().progress().get(2).sendingSnapshot());
        assertEquals(21, l.status().progress().get(2).match());
        Ready rd = l.ready();
        AppendEntries ae = rd.messages().stream().filter(e -> e.to() == 2 && e.message() instanceof AppendEntries)
                .map(e -> (AppendEntries) e.message()).findFirst().orElseThrow();
        assertEquals(21, ae.prevLogIndex());
        assertEquals(1, ae.prevLogTerm(), "termAt(snapshotIndex) = snapshotTerm");
        assertEquals(1, ae.entries().size());
    }

    @Test
    void aLaterCompactionDoesNotRestartATransferUnderWay() {
        RaftNode l = threeServerLeader(4);
        for (int i = 0; i < 20; i++) {
            l.propose("p" + i);
        }
        l.step(1, new AppendResponse(1, true, 21, 0, 0, 0, 0));
        l.ready();
        l.compact(10, bytes(6));
        l.ready();
        l.step(2, new AppendResponse(1, false, 0, 0, 0, 1, 0));
        SnapshotMeta first = new SnapshotMeta(10, 1);
        assertEquals(first, chunksTo(l.ready(), 2).get(0).meta());
        l.compact(21, bytes(9)); // while the transfer of the first snapshot is under way
        l.ready();
        l.step(2, new InstallSnapshotResponse(1, first, false, 0, 4, 0));
        List<InstallSnapshot> c = chunksTo(l.ready(), 2);
        assertEquals(first, c.get(0).meta(), "the transfer goes on with the snapshot it started with");
        assertTrue(c.get(0).done());
        // installed at 10: entries 11.. are compacted too, so the newer snapshot follows, from offset 0
        l.step(2, new InstallSnapshotResponse(1, first, true, 10, 0, 0));
        c = chunksTo(l.ready(), 2);
        assertEquals(new SnapshotMeta(21, 1), c.get(0).meta());
        assertEquals(0, c.get(0).offset());
        assertEquals(10, l.status().progress().get(2).match());
    }

    @Test
    void anAppendResponseShowingTheFollowerCaughtUpEndsTheTransfer() {
        RaftNode l = threeServerLeader(4);
        for (int i = 0; i < 20; i++) {
            l.propose("p" + i);
        }
        l.step(1, new AppendResponse(1, true, 21, 0, 0, 0, 0));
        l.ready();
        l.compact(15, bytes(12));
        l.ready();
        l.step(2, new AppendResponse(1, false, 0, 0, 0, 1, 0));
        assertTrue(l.status().progress().get(2).sendingSnapshot());
        l.ready();
        // a delayed answer to an earlier AppendEntries: short of the snapshot, it changes nothing
        l.step(2, new AppendResponse(1, true, 12, 0, 0, 0, 0));
        assertTrue(l.status().progress().get(2).sendingSnapshot());
        // one proving the follower holds everything through 18: the snapshot (15) is not needed
        l.step(2, new AppendResponse(1, true, 18, 0, 0, 0, 0));
        assertFalse(l.status().progress().get(2).sendingSnapshot());
        assertEquals(18, l.status().progress().get(2).match());
        AppendEntries ae = l.ready().messages().stream().filter(e -> e.to() == 2 && e.message() instanceof AppendEntries)
                .map(e -> (AppendEntries) e.message()).findFirst().orElseThrow();
        assertEquals(18, ae.prevLogIndex());
    }

    @Test
    void anEmptySnapshotIsOneChunkMarkedDone() {
        RaftNode l = threeServerLeader(4);
        l.propose("p");
        l.step(1, new AppendResponse(1, true, 2, 0, 0, 0, 0));
        l.ready();
        l.compact(2, new byte[0]);
        l.ready();
        l.step(2, new AppendResponse(1, false, 0, 0, 0, 1, 0));
        InstallSnapshot is = chunksTo(l.ready(), 2).get(0);
        assertEquals(0, is.length());
        assertTrue(is.done());
        RaftNode f = RaftNode.create(RaftConfig.builder(2, 3).preVote(false).checkQuorum(false).build(), b -> 0);
        f.step(LEADER, is);
        Ready rd = f.ready();
        assertEquals(0, rd.restore().size());
        assertEquals(2, f.lastIndex());
    }

    @Test
    void chunksAreASignOfLifeForTheFollower() {
        RaftNode f = RaftNode.create(RaftConfig.defaults(1, 3), b -> 0); // election timeout 10 ticks
        SnapshotMeta meta = new SnapshotMeta(100, 1);
        for (int i = 0; i < 50; i++) {
            f.step(LEADER, new InstallSnapshot(1, meta, i, new byte[] {(byte) i}, false, 0));
            f.tick();
            f.ready();
        }
        assertEquals(RaftNode.Role.FOLLOWER, f.role(), "no election while chunks keep arriving");
        assertEquals(LEADER, f.leaderId());
        assertEquals(50, f.status().incomingSnapshotBytes());
    }

    @Test
    void aCandidateReceivingAChunkOfItsTermFollowsTheLeader() {
        RaftNode c = RaftNode.create(RaftConfig.builder(1, 3).preVote(false).checkQuorum(false).build(), b -> 0);
        while (c.role() != RaftNode.Role.CANDIDATE) {
            c.tick();
        }
        c.ready();
        c.step(2, new InstallSnapshot(c.currentTerm(), new SnapshotMeta(5, 1), 0, bytes(3), true, 0));
        assertEquals(RaftNode.Role.FOLLOWER, c.role());
        assertEquals(2, c.leaderId());
        assertEquals(5, c.snapshotIndex());
    }

    @Test
    void aFollowerReceivingASnapshotStillConfirmsReadIndex() {
        RaftNode l = threeServerLeader(4);
        l.step(1, new AppendResponse(1, true, 1, 0, 0, 0, 0)); // the no-op commits: ReadIndex is allowed
        l.ready();
        l.compact(1, bytes(10));
        l.ready();
        l.step(2, new AppendResponse(1, false, 0, 0, 0, 1, 0));
        assertTrue(l.status().progress().get(2).sendingSnapshot());
        l.ready();
        assertTrue(l.readIndex("r"));
        assertTrue(l.ready().readStates().isEmpty(), "server 1 is silent: only server 2 can confirm");
        // the chunk in flight left before the read; the heartbeat resend carries the read's context
        l.tick();
        l.tick();
        InstallSnapshot resent = chunksTo(l.ready(), 2).get(0);
        assertTrue(resent.readContext() >= 1, "a context at least the read's (heartbeat rounds also number contexts)");
        RaftNode f = RaftNode.create(RaftConfig.builder(2, 3).preVote(false).checkQuorum(false).build(), b -> 0);
        f.step(LEADER, resent);
        InstallSnapshotResponse answer = only(f.ready(), InstallSnapshotResponse.class);
        assertEquals(resent.readContext(), answer.readContext(), "the follower echoes the context");
        l.step(2, answer);
        assertEquals(List.of(new ReadState("r", 1)), l.ready().readStates());
    }

    @Test
    void argumentChecks() {
        assertThrows(IllegalArgumentException.class, () -> new SnapshotMeta(3, 0));
        assertThrows(IllegalArgumentException.class, () -> new SnapshotMeta(0, 1));
        assertThrows(IllegalArgumentException.class, () -> RaftConfig.builder(0, 3).snapshotChunkBytes(0).build());
        assertThrows(IllegalArgumentException.class, () -> new InstallSnapshot(1, SnapshotMeta.NONE, -1, new byte[0], true, 0));
        assertThrows(IllegalArgumentException.class, () -> singleServerLeader().compact(1, null));
        assertEquals(64 * 1024, RaftConfig.defaults(0, 3).snapshotChunkBytes());
    }
}
