package io.github.dsw.paxos;

/**
 * A proposal number ("Paxos Made Simple", section 2.2): a round, with ties broken by the proposer's id,
 * so that two proposers never issue the same ballot (section 2.3: "different proposers choose their
 * numbers from disjoint sets"). A proposer never reuses a round, even across crashes, because it
 * persists the last round it tried before sending the prepare (see {@link Proposer}).
 *
 * @param round    increasing number chosen by the proposer; 0 only in {@link #ZERO}
 * @param proposer the server id of the proposer; -1 only in {@link #ZERO}
 */
public record Ballot(long round, int proposer) implements Comparable<Ballot> {

    /** Smaller than every real ballot: the state of an acceptor that has promised nothing. */
    public static final Ballot ZERO = new Ballot(0, -1);

    public Ballot {
        if (round < 0) {
            throw new IllegalArgumentException("round must be >= 0, got " + round);
        }
        if (proposer < -1) {
            throw new IllegalArgumentException("proposer must be >= -1, got " + proposer);
        }
    }

    @Override
    public int compareTo(Ballot o) {
        return round != o.round ? Long.compare(round, o.round) : Integer.compare(proposer, o.proposer);
    }

    /** True if this ballot is strictly greater than {@code o}. */
    public boolean above(Ballot o) {
        return compareTo(o) > 0;
    }

    @Override
    public String toString() {
        return round + "." + proposer;
    }
}
