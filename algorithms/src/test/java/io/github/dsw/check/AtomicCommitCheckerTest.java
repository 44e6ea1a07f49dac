package io.github.dsw.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Planted violations of each property of atomic commit, and correct histories that must pass. */
class AtomicCommitCheckerTest {

    @Test
    void allYesAndCommitEverywhereIsCorrect() {
        AtomicCommitChecker c = new AtomicCommitChecker(3);
        for (int rm = 0; rm < 3; rm++) {
            c.vote(7, rm, true);
        }
        for (int rm = 0; rm < 3; rm++) {
            c.decide(7, rm, true, rm);
        }
        assertTrue(c.violations().isEmpty());
        assertTrue(c.termination(List.of(7L), rm -> true).isEmpty());
    }

    @Test
    void commitAndAbortOfOneTransactionBreakAgreement() {
        AtomicCommitChecker c = new AtomicCommitChecker(2);
        c.vote(1, 0, true);
        c.vote(1, 1, true);
        c.decide(1, 0, true, 10);
        c.decide(1, 1, false, 11);
        assertEquals("agreement", c.violations().get(0).property());
    }

    @Test
    void aParticipantChangingItsMindBreaksAgreement() {
        AtomicCommitChecker c = new AtomicCommitChecker(1);
        c.vote(1, 0, true);
        c.decide(1, 0, false, 1);
        c.decide(1, 0, true, 2);
        assertEquals("agreement", c.violations().get(0).property());
    }

    @Test
    void commitWithoutEveryYesBreaksValidity() {
        AtomicCommitChecker c = new AtomicCommitChecker(3);
        c.vote(1, 0, true);
        c.vote(1, 1, true); // participant 2 never voted
        c.decide(1, 0, true, 1);
        assertEquals("validity", c.violations().get(0).property());
        AtomicCommitChecker d = new AtomicCommitChecker(2);
        d.vote(1, 0, true);
        d.vote(1, 1, false);
        d.vote(1, 1, true);
        assertEquals("validity", d.violations().get(0).property());
    }

    @Test
    void aVoterWithoutDecisionBreaksTerminationButANonVoterOwesNothing() {
        AtomicCommitChecker c = new AtomicCommitChecker(3);
        c.vote(1, 0, true);
        c.vote(1, 1, false);
        c.decide(1, 1, false, 5);
        var missing = c.termination(List.of(1L), rm -> true);
        assertEquals(1, missing.size());
        assertTrue(missing.get(0).detail().contains("[0]"), missing.toString());
        assertTrue(c.termination(List.of(1L), rm -> rm != 0).isEmpty(), "a crashed-for-good participant is excused");
    }
}
