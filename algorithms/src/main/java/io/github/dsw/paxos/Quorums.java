package io.github.dsw.paxos;

/**
 * Which sets of acceptors form quorums, by size. Paxos is safe whenever every phase-1 quorum intersects
 * every phase-2 quorum: the proposer of a higher ballot then hears, in phase 1, from at least one
 * acceptor of any phase-2 quorum that chose a value at a lower ballot. Majorities ("Paxos Made Simple",
 * section 2.2) are the classic case; Flexible Paxos (Howard, Malkhi and Spiegelman, "Flexible Paxos:
 * Quorum intersection revisited", OPODIS 2016) keeps only the needed intersection, |Q1| + |Q2| > N, so
 * that a leader can commit with a small phase-2 quorum at the price of a large phase-1 quorum.
 *
 * @param acceptors N, the number of acceptors
 * @param phase1    size of a phase-1 (prepare/promise) quorum
 * @param phase2    size of a phase-2 (accept/accepted) quorum
 */
public record Quorums(int acceptors, int phase1, int phase2) {

    public Quorums {
        if (acceptors < 1) {
            throw new IllegalArgumentException("acceptors must be >= 1, got " + acceptors);
        }
        if (phase1 < 1 || phase1 > acceptors || phase2 < 1 || phase2 > acceptors) {
            throw new IllegalArgumentException("phase1 and phase2 must be in 1.." + acceptors + ", got " + phase1 + ", " + phase2);
        }
        if (phase1 + phase2 <= acceptors) {
            throw new IllegalArgumentException("need phase1 + phase2 > acceptors so that every phase-1 quorum meets every phase-2 quorum, got "
                    + phase1 + " + " + phase2 + " <= " + acceptors);
        }
    }

    /** Majorities: floor(N/2) + 1 for both phases. */
    public static Quorums majority(int acceptors) {
        if (acceptors < 1) {
            throw new IllegalArgumentException("acceptors must be >= 1, got " + acceptors);
        }
        return new Quorums(acceptors, acceptors / 2 + 1, acceptors / 2 + 1);
    }

    /** Flexible Paxos quorums; rejects sizes with |Q1| + |Q2| <= N. */
    public static Quorums flexible(int acceptors, int phase1, int phase2) {
        return new Quorums(acceptors, phase1, phase2);
    }

    /** True if {@code answers} distinct acceptors form a phase-1 quorum. */
    public boolean isPhase1Quorum(int answers) {
        return answers >= phase1;
    }

    /** True if {@code answers} distinct acceptors form a phase-2 quorum. */
    public boolean isPhase2Quorum(int answers) {
        return answers >= phase2;
    }
}
