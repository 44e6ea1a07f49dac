package io.github.dsw.sim;

import java.util.Locale;

/**
 * Workload shapes that expose bugs, applied to a driver's own {@link Workload.Spec}: random testing finds
 * a stale read only if a read comes soon after the write it misses and after the leadership change that
 * made it possible, and a lost update only if clients fight over the same key. Named on the command line in
 * lower case with dashes ({@code cas-heavy}).
 */
public enum WorkloadBias {
    /** The driver's own workload, unchanged. */
    NORMAL,
    /**
     * Reads right after leadership changes, a trigger: every operation a client issues within
     * {@link #LEADER_READS_WINDOW_TIMEOUTS} election timeouts after the driver's {@link Observations} saw the
     * leader change is a read ({@link Workload#readsAfter}); otherwise the driver's own mix. A stale read needs a
     * read soon after the write it misses and after the change that made it possible; writes in that window only
     * muddy which write a read missed. Drivers without observations run their own mix.
     */
    LEADER_READS,
    /** Few keys, high contention: one key, values 0..2, 40% reads, 40% writes, 20% cas, half the think time. */
    CONTENTION,
    /** A cas-heavy mix: 20% reads, 10% writes, 70% cas on the driver's keys. */
    CAS_HEAVY;

    /** How long after an observed leader change {@link #LEADER_READS} issues only reads, in election timeouts. */
    public static final int LEADER_READS_WINDOW_TIMEOUTS = 2;

    /** {@code base} reshaped by this bias ({@link #NORMAL} returns it as is). */
    public Workload.Spec apply(Workload.Spec base) {
        return switch (this) {
            case NORMAL -> base;
            case LEADER_READS -> base; // the trigger is the driver's: Workload.readsAfter
            case CONTENTION -> new Workload.Spec(0.4, 0.4, 1, 0, 3, base.timeoutNs(), base.thinkNs() / 2, base.ratePerSec());
            case CAS_HEAVY -> base.withMix(0.2, 0.1);
        };
    }

    /** The command-line spelling. */
    public String cliName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** Parses a command-line spelling ({@code leader-reads}); unknown names throw with the allowed list. */
    public static WorkloadBias parse(String word) {
        for (WorkloadBias b : values()) {
            if (b.cliName().equals(word)) {
                return b;
            }
        }
        throw new IllegalArgumentException("unknown workload '" + word + "' (allowed: normal, leader-reads, contention, cas-heavy)");
    }
}
