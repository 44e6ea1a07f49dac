package io.github.dsw.raft;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.dsw.raft.ConfChange.Type;
import io.github.dsw.raft.RaftMessage.AppendEntries;
import io.github.dsw.raft.RaftMessage.AppendResponse;
import io.github.dsw.raft.RaftMessage.InstallSnapshot;
import io.github.dsw.raft.RaftMessage.InstallSnapshotResponse;
import io.github.dsw.raft.RaftMessage.VoteResponse;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Learner catch-up (dissertation 4.2.1) on a {@link RaftNode} leader driven message by message: the
 * leader is server 0 of a universe of 4 ids whose boot voters are 0, 1, 2; server 3 joins as a learner.
 * The expectations are the dissertation's rule (promote only a learner whose catch-up round, in its
 * current membership, finished within an election timeout), whichever message carried it there.
 */
class RaftNodeLearnerTest {

    private static RaftNode leader() {
        RaftNode l = RaftNode.create(RaftConfig.builder(0, 4).preVote(false).checkQuorum(false).initialVoters(Set.of(0, 1, 2))
                .snapshotChunkBytes(1 << 20).build(), b -> 0);
        while (l.role() != RaftNode.Role.CANDIDATE) {
            l.tick();
        }
        l.step(1, new VoteResponse(1, true, false));
        assertEquals(RaftNode.Role.LEADER, l.role());
        ack(l, 1); // the no-op commits: changes are allowed
        l.ready();
        return l;
    }

    /** Follower {@code peer} acknowledges everything the leader has, echoing its newest read context. */
    private static void ack(RaftNode l, int peer) {
        l.step(peer, new AppendResponse(l.currentTerm(), true, l.lastIndex(), 0, 0, 0, readContext(l)));
    }

    /** The newest read context the leader has sent (heartbeat rounds number them). */
    private static long readContext(RaftNode l) {
        long c = 0;
        for (Envelope e : l.ready().messages()) {
            if (e.message() instanceof AppendEntries ae) {
                c = Math.max(c, ae.readContext());
            } else if (e.message() instanceof InstallSnapshot is) {
                c = Math.max(c, is.readContext());
            }
        }
        return c;
    }

    private static void commitChange(RaftNode l, ConfChange change) {
        long index = assertInstanceOf(Proposal.Accepted.class, l.proposeConfChange(change), "proposed " + change).index();
        ack(l, 1);
        assertTrue(l.commitIndex() >= index, change + " committed");
        l.ready();
    }

    @Test
    void aServerRemovedAndAddedAgainMustCatchUpAgain() {
        RaftNode l = leader();
        commitChange(l, new ConfChange(Type.ADD_LEARNER, 3));
        ack(l, 3);
        assertTrue(l.status().progress().get(3).learnerCaughtUp(), "caught up in its first membership");
        commitChange(l, new ConfChange(Type.REMOVE, 3));
        commitChange(l, new ConfChange(Type.ADD_LEARNER, 3));
        // it comes back with an empty disk: a heartbeat round reaches it and it rejects, so it is alive
        for (int i = 0; i < l.config().heartbeatTicks(); i++) {
            l.tick();
        }
        long ctx = readContext(l);
        assertTrue(ctx > 0, "the heartbeat round carries a read context");
        l.step(3, new AppendResponse(l.currentTerm(), false, 0, l.status().progress().get(3).next() - 1, 0, 1, ctx));
        assertFalse(l.status().progress().get(3).learnerCaughtUp(), "an empty server added again has not caught up");
        String why = assertInstanceOf(Proposal.Refused.class, l.proposeConfChange(new ConfChange(Type.PROMOTE, 3))).reason();
        assertTrue(why.contains("not caught up"), why);
        ack(l, 3); // now it holds the whole log
        assertTrue(l.status().progress().get(3).learnerCaughtUp());
    }

    @Test
    void aLearnerThatCatchesUpByInstallSnapshotIsCaughtUpWithoutFurtherEntries() {
        RaftNode l = leader();
        commitChange(l, new ConfChange(Type.ADD_LEARNER, 3));
        assertTrue(l.compact(l.lastApplied(), new byte[] {1, 2, 3}), "the log up to the change is compacted");
        l.ready();
        // the learner's log is empty: it rejects the probe, and the entries it needs are gone
        l.step(3, new AppendResponse(l.currentTerm(), false, 0, l.status().progress().get(3).next() - 1, 0, 1, 0));
        assertTrue(l.status().progress().get(3).sendingSnapshot(), "InstallSnapshot");
        InstallSnapshot chunk = null;
        for (Envelope e : l.ready().messages()) {
            if (e.to() == 3 && e.message() instanceof InstallSnapshot is) {
                chunk = is;
            }
        }
        assertTrue(chunk != null && chunk.done(), "one chunk");
        l.step(3, new InstallSnapshotResponse(l.currentTerm(), chunk.meta(), true, chunk.meta().index(), 0, chunk.readContext()));
        assertEquals(l.lastIndex(), l.status().progress().get(3).match(), "the snapshot brought it to the leader's last index (an idle cluster)");
        assertTrue(l.status().progress().get(3).learnerCaughtUp(), "its round ended with the snapshot, well within an election timeout");
        long index = assertInstanceOf(Proposal.Accepted.class, l.proposeConfChange(new ConfChange(Type.PROMOTE, 3)), "promotion accepted").index();
        assertEquals(Set.of(0, 1, 2, 3), l.status().configuration().voters(), "in effect once appended");
        ack(l, 1);
        assertTrue(l.commitIndex() < index, "2 of the 4 new voters do not commit it (section 4.1: the new majority counts)");
        ack(l, 3);
        assertTrue(l.commitIndex() >= index, "3 of 4 do");
    }
}
