package io.github.dsw.paxos;

import io.github.dsw.paxos.PaxosMessage.Accepted;
import java.util.HashMap;
import java.util.Map;

/**
 * The learner of single-decree Paxos ("Paxos Made Simple", section 2.3): a value is chosen once a
 * phase-2 quorum of acceptors has accepted the same proposal, i.e. the same ballot (one ballot carries
 * one value, since a proposer sends a single accept value per ballot). Counting acceptances of the
 * same value across different ballots would be wrong: two minorities of different ballots are not a
 * quorum. Its state is volatile; after a restart it learns again from new accepted messages or from a
 * {@link PaxosMessage.Chosen}.
 */
public final class Learner {
    private final Quorums quorums;
    private final Map<Ballot, Map<Integer, Long>> votes = new HashMap<>();
    private Long chosen;

    public Learner(Quorums quorums) {
        if (quorums == null) {
            throw new IllegalArgumentException("quorums must not be null");
        }
        this.quorums = quorums;
    }

    /** Counts an acceptance (duplicates from one acceptor count once); true if it made the value chosen. */
    public boolean onAccepted(int acceptor, Accepted a) {
        if (chosen != null) {
            return false;
        }
        Map<Integer, Long> byAcceptor = votes.computeIfAbsent(a.ballot(), b -> new HashMap<>());
        byAcceptor.put(acceptor, a.value());
        if (quorums.isPhase2Quorum(byAcceptor.size())) {
            chosen = a.value();
            votes.clear();
            return true;
        }
        return false;
    }

    /** Takes the chosen value from another learner; true if it was not known yet. */
    public boolean onChosen(long value) {
        if (chosen != null) {
            if (chosen != value) {
                throw new IllegalStateException("two chosen values: " + chosen + " and " + value);
            }
            return false;
        }
        chosen = value;
        votes.clear();
        return true;
    }

    /** The chosen value, or null while unknown. */
    public Long chosen() {
        return chosen;
    }
}
