package io.github.dsw.commit;

/**
 * How each RM wants to vote on each transaction: a pure function of (seed, transaction, RM), so that
 * an RM rebuilt after a crash wants what it wanted before, and a run replays from its seed. An RM
 * still votes no when it lost the transaction's work in a crash, whatever the plan says.
 *
 * @param seed        seed of the plan
 * @param noPerMillion probability, in millionths, that one RM wants to abort one transaction
 */
public record VotePlan(long seed, int noPerMillion) {

    public VotePlan {
        if (noPerMillion < 0 || noPerMillion > 1_000_000) {
            throw new IllegalArgumentException("noPerMillion must be in 0..1000000, got " + noPerMillion);
        }
    }

    /** Every RM votes yes. */
    public static VotePlan allYes() {
        return new VotePlan(0, 0);
    }

    /** True if RM {@code rm} wants to commit {@code tx}. */
    public boolean yes(long tx, int rm) {
        long z = seed + tx * 0x9E3779B97F4A7C15L + (rm + 1) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L; // SplitMix64's finaliser
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        z ^= z >>> 31;
        return Long.remainderUnsigned(z, 1_000_000) >= noPerMillion;
    }
}
