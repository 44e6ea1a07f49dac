package io.github.dsw.check;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.IntPredicate;

/**
 * Checks the properties of atomic commit (Gray and Lamport, "Consensus on Transaction Commit", 2006,
 * section 2; Bernstein, Hadzilacos and Goodman, "Concurrency Control and Recovery in Database Systems",
 * 1987, chapter 7) on what the participants report, as they report it:
 * <ul>
 *   <li><b>agreement</b>: no participant decides commit while another decides abort (and none changes its mind);
 *   <li><b>validity</b>: commit only if every participant voted yes, and no participant that voted no sees commit;
 *   <li><b>termination</b> ({@link #termination}): every participant that voted, and that must decide under the
 *       failures the protocol tolerates, has decided by the end of the run. A participant that never voted owes no
 *       decision: it may abort alone at any time, and one that crashed before voting has lost the transaction's work
 *       (its recovery undoes it), which is an abort nobody needs to hear about. The blocked participants of 2PC are
 *       the ones that voted yes.
 * </ul>
 * The checker knows nothing of the protocol: it is fed votes and decisions with their virtual times.
 * Transactions and participants are kept in sorted maps, so reports are deterministic.
 */
public final class AtomicCommitChecker {

    /** A broken property: {@code property} is agreement, validity or termination. */
    public record Violation(String property, long tx, String detail) {
        @Override
        public String toString() {
            return property + " violated for transaction " + tx + ": " + detail;
        }
    }

    /** What is known of one transaction. */
    private static final class Tx {
        final BitSet yes = new BitSet();
        final BitSet no = new BitSet();
        final Map<Integer, Boolean> decision = new TreeMap<>();
        final Map<Integer, Long> decidedNs = new TreeMap<>();
    }

    private final int participants;
    private final Map<Long, Tx> txs = new TreeMap<>();
    private final List<Violation> violations = new ArrayList<>();

    /** A checker for transactions over participants {@code 0 .. participants-1}. */
    public AtomicCommitChecker(int participants) {
        if (participants < 1) {
            throw new IllegalArgumentException("participants must be >= 1, got " + participants);
        }
        this.participants = participants;
    }

    private Tx tx(long tx) {
        return txs.computeIfAbsent(tx, k -> new Tx());
    }

    private void checkRm(int rm) {
        if (rm < 0 || rm >= participants) {
            throw new IllegalArgumentException("participant must be in 0.." + (participants - 1) + ", got " + rm);
        }
    }

    /** Participant {@code rm} voted on {@code tx}. */
    public void vote(long tx, int rm, boolean yes) {
        checkRm(rm);
        Tx t = tx(tx);
        (yes ? t.yes : t.no).set(rm);
        if (yes && t.no.get(rm)) {
            violations.add(new Violation("validity", tx, "participant " + rm + " voted no and then yes"));
        }
        if (!yes && t.decision.containsValue(Boolean.TRUE)) {
            violations.add(new Violation("validity", tx, "participant " + rm + " voted no after a commit"));
        }
    }

    /** Participant {@code rm} decided {@code tx} at virtual time {@code atNs}. */
    public void decide(long tx, int rm, boolean commit, long atNs) {
        checkRm(rm);
        Tx t = tx(tx);
        Boolean before = t.decision.get(rm);
        if (before != null && before != commit) {
            violations.add(new Violation("agreement", tx, "participant " + rm + " decided " + word(before) + " and then " + word(commit)));
            return;
        }
        for (Map.Entry<Integer, Boolean> e : t.decision.entrySet()) {
            if (e.getValue() != commit) {
                violations.add(new Violation("agreement", tx, "participant " + e.getKey() + " decided " + word(e.getValue())
                        + " but participant " + rm + " decided " + word(commit)));
                break;
            }
        }
        if (commit && (t.yes.cardinality() < participants || !t.no.isEmpty())) {
            violations.add(new Violation("validity", tx, "participant " + rm + " committed, but the yes votes were " + t.yes
                    + " and the no votes " + t.no + " of " + participants));
        }
        if (before == null) {
            t.decision.put(rm, commit);
            t.decidedNs.put(rm, atNs);
        }
    }

    private static String word(boolean commit) {
        return commit ? "commit" : "abort";
    }

    /** Agreement and validity violations found so far (in the order found). */
    public List<Violation> violations() {
        return List.copyOf(violations);
    }

    /**
     * Termination: every participant that voted on a transaction and for which {@code mustDecide} holds has decided it.
     * Returns the missing decisions, one violation per transaction.
     */
    public List<Violation> termination(List<Long> transactions, IntPredicate mustDecide) {
        return missing(transactions, rm -> mustDecide.test(rm), true);
    }

    /** Whether every participant for which {@code mustDecide} holds, voter or not, has decided all of {@code transactions}. */
    public boolean allDecided(List<Long> transactions, IntPredicate mustDecide) {
        return missing(transactions, mustDecide, false).isEmpty();
    }

    private List<Violation> missing(List<Long> transactions, IntPredicate mustDecide, boolean votersOnly) {
        List<Violation> out = new ArrayList<>();
        for (long tx : transactions) {
            Tx t = txs.get(tx);
            List<Integer> missing = new ArrayList<>();
            for (int rm = 0; rm < participants; rm++) {
                boolean voted = t != null && (t.yes.get(rm) || t.no.get(rm));
                if (mustDecide.test(rm) && (voted || !votersOnly) && (t == null || !t.decision.containsKey(rm))) {
                    missing.add(rm);
                }
            }
            if (!missing.isEmpty()) {
                out.add(new Violation("termination", tx, "participants " + missing + " never decided"));
            }
        }
        return out;
    }

    /** The decision of {@code tx} if some participant decided it, else null. */
    public Boolean outcome(long tx) {
        Tx t = txs.get(tx);
        return t == null || t.decision.isEmpty() ? null : t.decision.values().iterator().next();
    }

    /** Participant {@code rm}'s decision on {@code tx} (true: commit), or null if it has not decided. */
    public Boolean decision(long tx, int rm) {
        Tx t = txs.get(tx);
        return t == null ? null : t.decision.get(rm);
    }

    /** When participant {@code rm} first decided {@code tx}, or -1. */
    public long decidedNs(long tx, int rm) {
        Tx t = txs.get(tx);
        Long ns = t == null ? null : t.decidedNs.get(rm);
        return ns == null ? -1 : ns;
    }

    /** Whether participant {@code rm} voted yes on {@code tx}. */
    public boolean votedYes(long tx, int rm) {
        Tx t = txs.get(tx);
        return t != null && t.yes.get(rm);
    }
}
