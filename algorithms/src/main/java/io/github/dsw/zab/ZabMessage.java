package io.github.dsw.zab;

import io.github.dsw.check.HistoryEvent.Fn;
import java.util.List;

/**
 * Everything that travels in a Zab ensemble, in the order of the phases (Junqueira, Reed and Serafini, DSN 2011,
 * section IV; ZooKeeper's packet names in parentheses where they differ): election notifications, discovery
 * (CEPOCH = FOLLOWERINFO, NEWEPOCH = LEADERINFO, ACK-E = ACKEPOCH), synchronisation (NEWLEADER carrying the DIFF,
 * TRUNC or SNAP that brings the follower to the leader's history, ACK-LD, UPTODATE), broadcast (PROPOSAL, ACK,
 * COMMIT), the leader's PING, a follower forwarding a client's change to the leader (REQUEST), and the
 * client's requests and replies.
 */
public sealed interface ZabMessage {

    /** A server's role (ZooKeeper's {@code ServerState}; OBSERVING is not modelled). */
    enum ServerState { LOOKING, FOLLOWING, LEADING }

    /**
     * A vote of fast leader election: for {@code leader}, whose history ends at {@code zxid} and whose current
     * epoch is {@code peerEpoch}. Votes are ordered by (peerEpoch, zxid, leader) ({@link #beats}): the server with
     * the most recent history wins, ties go to the higher id (ZooKeeper's {@code totalOrderPredicate}).
     */
    record Vote(int leader, Zxid zxid, long peerEpoch) {
        public boolean beats(Vote o) {
            if (peerEpoch != o.peerEpoch) {
                return peerEpoch > o.peerEpoch;
            }
            int c = zxid.compareTo(o.zxid);
            return c != 0 ? c > 0 : leader > o.leader;
        }
    }

    /** Fast leader election's notification: the sender's vote, its election round ({@code logicalclock}) and role. */
    record Notification(Vote vote, long electionEpoch, ServerState state) implements ZabMessage {
    }

    /** Discovery, follower to prospective leader: CEPOCH(f.p), the last epoch the follower accepted. */
    record CEpoch(long acceptedEpoch) implements ZabMessage {
    }

    /** Discovery, leader to follower: NEWEPOCH(e'), e' above every accepted epoch of a quorum. */
    record NewEpoch(long epoch) implements ZabMessage {
    }

    /** Discovery, follower to leader: ACK-E(f.a, h_f) summarised by the last zxid, as ZooKeeper's ACKEPOCH does. */
    record AckEpoch(long epoch, long currentEpoch, Zxid lastZxid) implements ZabMessage {
    }

    /** How NEWLEADER brings a follower's history to the leader's (ZooKeeper's DIFF, TRUNC, SNAP packets). */
    enum SyncMode {
        /** The follower's history is a prefix of the leader's: append {@code txns}. */
        DIFF,
        /** The follower has transactions the leader does not: cut its history after {@code base}, then append. */
        TRUNC,
        /** Neither: replace the follower's history by {@code txns} (a snapshot of the whole history). */
        SNAP
    }

    /**
     * Synchronisation, leader to follower: NEWLEADER(e', I_e') with the difference that brings the follower's
     * history to the leader's. ZooKeeper sends DIFF/TRUNC/SNAP and NEWLEADER as separate packets on one TCP
     * stream; here they are one message because the simulated links may reorder. {@code base} is the zxid after
     * which {@code txns} apply (DIFF: the follower's last zxid; TRUNC: where to cut; SNAP: {@link Zxid#ZERO});
     * {@code lastZxid} is the leader's last zxid, which the follower's history must end at afterwards.
     */
    record NewLeader(long epoch, SyncMode mode, Zxid base, List<Txn> txns, Zxid lastZxid) implements ZabMessage {
        public NewLeader {
            txns = List.copyOf(txns);
        }
    }

    /**
     * Synchronisation, leader to follower: NEWLEADER(e') with SNAP from the leader's snapshot, for a follower too far
     * behind for a DIFF or TRUNC from the log the leader still holds (it compacted the rest): the follower replaces
     * its state by {@code snapshot} and its history by the transactions after it, {@code txns}, which end at
     * {@code lastZxid} (ZooKeeper's LearnerHandler sends a SNAP the same way: the snapshot, then the log after it).
     */
    record NewLeaderSnapshot(long epoch, ZabSnapshot snapshot, List<Txn> txns, Zxid lastZxid) implements ZabMessage {
        public NewLeaderSnapshot {
            txns = List.copyOf(txns);
        }
    }

    /** Synchronisation, follower to leader: ACK-LD, the follower now holds the leader's history up to {@code lastZxid}. */
    record AckNewLeader(long epoch, Zxid lastZxid) implements ZabMessage {
    }

    /** End of synchronisation: a quorum holds the initial history, which is committed up to {@code commitZxid}. */
    record UpToDate(long epoch, Zxid commitZxid) implements ZabMessage {
    }

    /** Broadcast: PROPOSAL(e', ⟨v, z⟩). */
    record Proposal(long epoch, Txn txn) implements ZabMessage {
    }

    /**
     * Broadcast with batching on ({@link ZabNode#ZabNode(io.github.dsw.runtime.Context, Mutation, int)}): several
     * consecutive PROPOSALs in one message, logged with one fsync and acknowledged with one ACK of the last zxid.
     */
    record ProposalBatch(long epoch, List<Txn> txns) implements ZabMessage {
        public ProposalBatch {
            txns = List.copyOf(txns);
        }
    }

    /** Broadcast: ACK(e', z), the follower has logged every transaction up to {@code zxid}. */
    record Ack(long epoch, Zxid zxid) implements ZabMessage {
    }

    /** Broadcast: COMMIT(e', z), deliver every transaction up to {@code zxid}. */
    record Commit(long epoch, Zxid zxid) implements ZabMessage {
    }

    /** The leader's heartbeat; it repeats the commit point, so a lost COMMIT is repaired by the next PING. */
    record Ping(long epoch, Zxid commitZxid) implements ZabMessage {
    }

    /** A follower's answer to a PING: the leader counts a quorum of these to keep leading. */
    record PingAck(long epoch) implements ZabMessage {
    }

    /** A follower passes a client's state change to the leader (ZooKeeper's REQUEST packet). */
    record Forward(Object value) implements ZabMessage {
    }

    /**
     * A client operation: {@code value} null (read), a Long (write) or a Cas; {@code firstUnanswered} as in the
     * Raft store's requests (the session table forgets this client's answers below it).
     */
    record Request(long requestId, Fn f, String key, Object value, long firstUnanswered) implements ZabMessage {
    }

    /**
     * The answer: {@code retry} true means "this server is not serving now, try another" (the operation's fate is
     * unknown here); otherwise definite, {@code ok} false for a cas whose expected value did not match.
     */
    record Reply(long requestId, boolean ok, Long value, boolean retry) implements ZabMessage {
        public static Reply retry(long requestId) {
            return new Reply(requestId, false, null, true);
        }
    }
}
