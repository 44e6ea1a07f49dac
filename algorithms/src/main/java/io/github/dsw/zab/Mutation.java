package io.github.dsw.zab;

/**
 * Deliberately wrong variants of Zab, kept to show that each rule matters: every one is caught by the invariants
 * of {@code ZabInvariants} (scenarios) in a test. Off ({@link #NONE}) by default; chosen with {@code --mutation}
 * of {@code ./dsw simulate zab-kv} or a notebook's setting.
 */
public enum Mutation {
    /** Zab as specified. */
    NONE,
    /**
     * The leader skips synchronisation (phase 2): its NEWLEADER carries no DIFF, TRUNC or SNAP and followers take it
     * as it is, so a follower that missed committed transactions, or holds ones the new primary never had, delivers
     * its own history. Caught as a broken agreement or total order.
     */
    SKIP_SYNC,
    /**
     * The leader commits a proposal as soon as it has logged it, without waiting for a quorum of ACKs. A leader
     * that crashes right after can take a delivered transaction with it. Caught as a broken agreement.
     */
    COMMIT_BEFORE_QUORUM,
    /**
     * A follower accepts a PROPOSAL (and a COMMIT) from whichever server sends it, whatever its epoch: a deposed
     * primary that still believes it leads gets its proposals into the new epoch's histories. Caught as a broken
     * primary order or agreement.
     */
    ACCEPT_OLD_EPOCH;

    /** The CLI spelling: lower case with dashes ({@code skip-sync}). */
    public String cliName() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }
}
