package io.github.dsw.commit;

import java.util.List;

/**
 * Every message of the commit protocols in this package, named as in Gray and Lamport, "Consensus on
 * Transaction Commit" (ACM TODS 31(1), 2006): a transaction manager (TM, the coordinator) or a Paxos
 * Commit leader, N resource managers (RMs, the participants) and, for Paxos Commit, 2F+1 acceptors.
 * One record per kind, so that the simulator counts each kind separately.
 *
 * <p>{@link Work} and {@link Begin} come from the client that runs the transaction (they are the
 * transaction's own execution, not the commit protocol, and are not counted as commit messages).
 */
public sealed interface CommitMessage {

    /** The transaction this message belongs to. */
    long tx();

    // ------------------------------------------------------------ from the client

    /** Client to every RM and to the coordinator: transaction {@code tx} ran here and will be committed. */
    record Work(long tx) implements CommitMessage {
    }

    /** Client to RM 0: commit {@code tx} ("the RM that first wants to commit", section 2 of the paper). */
    record Begin(long tx) implements CommitMessage {
    }

    // ------------------------------------------------------------ two- and three-phase commit

    /** TM to an RM: vote on {@code tx} (phase 1 of 2PC; CanCommit of 3PC). */
    record Prepare(long tx) implements CommitMessage {
    }

    /** RM to TM: {@code yes} = Prepared (durably), otherwise Aborted. */
    record Vote(long tx, int rm, boolean yes) implements CommitMessage {
    }

    /** TM (or a Paxos Commit leader, or a 3PC recovery coordinator) to an RM: the outcome. */
    record Decision(long tx, boolean commit) implements CommitMessage {
    }

    /** An in-doubt RM asks the TM for the outcome (after a timeout or a restart). */
    record Inquire(long tx, int rm) implements CommitMessage {
    }

    /** 3PC: TM to RM, everyone voted yes; move to pre-committed. */
    record PreCommit(long tx) implements CommitMessage {
    }

    /** 3PC: RM to TM, pre-committed. */
    record Ack(long tx, int rm) implements CommitMessage {
    }

    /** 3PC termination protocol: an RM that timed out asks the others for their state. */
    record StateRequest(long tx, int rm) implements CommitMessage {
    }

    /** 3PC termination protocol: an RM's state for {@code tx}. */
    record StateReport(long tx, int rm, ThreePhaseCommitNode.State state) implements CommitMessage {
    }

    // ------------------------------------------------------------ Paxos Commit

    /** RM 0 to the leader: start committing {@code tx} (the paper's BeginCommit). */
    record BeginCommit(long tx) implements CommitMessage {
    }

    /** One instance's value in a phase 2a message: RM {@code ins} is prepared, or aborted. */
    record Value(int ins, boolean prepared) {
    }

    /** One instance's vote held by an acceptor: value {@code prepared} accepted in ballot {@code bal}. */
    record Accepted(int ins, int bal, boolean prepared) {
    }

    /**
     * Phase 2a of some instances of {@code tx}, ballot {@code bal}: in ballot 0 from an RM for its own
     * instance (section 4: an RM is the ballot-0 leader of its instance), in higher ballots from a leader.
     */
    record Phase2a(long tx, int bal, List<Value> values) implements CommitMessage {
        public Phase2a {
            values = List.copyOf(values);
        }
    }

    /** Phase 2b of acceptor {@code acc}: the instances it accepted, bundled into one message (section 5). */
    record Phase2b(long tx, int acc, List<Accepted> accepted) implements CommitMessage {
        public Phase2b {
            accepted = List.copyOf(accepted);
        }
    }

    /** Phase 1a of ballot {@code bal > 0} for instances {@code instances}, from a leader in recovery. */
    record Phase1a(long tx, int bal, List<Integer> instances) implements CommitMessage {
        public Phase1a {
            instances = List.copyOf(instances);
        }
    }

    /**
     * Phase 1b: {@code ok} if acceptor {@code acc} promised ballot {@code bal} for those instances, with what it
     * accepted before; otherwise {@code promised} is the higher ballot it already promised.
     */
    record Phase1b(long tx, int bal, int acc, boolean ok, int promised, List<Accepted> accepted) implements CommitMessage {
        public Phase1b {
            accepted = List.copyOf(accepted);
        }
    }
}
