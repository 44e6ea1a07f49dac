package io.github.dsw.check;

import static io.github.dsw.check.HistoryEvent.Fn.CAS;
import static io.github.dsw.check.HistoryEvent.Fn.READ;
import static io.github.dsw.check.HistoryEvent.Fn.WRITE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.dsw.check.HistoryEvent.Cas;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Verdicts on hand-made histories follow from the definition of linearizability (Herlihy and Wing,
 * TOPLAS 1990, §3) for a register that starts at nil; random histories are cross-checked against a
 * brute-force enumeration of orders ({@link BruteForceChecker}) and against histories that are
 * linearizable by construction ({@link Histories#atomic}).
 */
class LinearizabilityCheckerTest {
    private final LinearizabilityChecker checker = new LinearizabilityChecker();

    private boolean lin(History h) {
        return checker.checkRegister(h).linearizable();
    }

    @Test
    void sequentialWriteThenReadOfIt() {
        assertTrue(lin(Histories.register().invoke(0, WRITE, 1L, 0).ok(0, WRITE, 1L, 1)
                .invoke(1, READ, null, 2).ok(1, READ, 1L, 3).build()));
    }

    @Test
    void staleReadAfterACompletedWriteIsNotLinearizable() {
        assertFalse(lin(Histories.register().invoke(0, WRITE, 1L, 0).ok(0, WRITE, 1L, 1)
                .invoke(1, READ, null, 2).ok(1, READ, null, 3).build()));
    }

    @Test
    void readDuringAWriteMaySeeEitherValue() {
        for (Long seen : new Long[] {null, 1L}) {
            assertTrue(lin(Histories.register().invoke(0, WRITE, 1L, 0).invoke(1, READ, null, 1)
                    .ok(1, READ, seen, 2).ok(0, WRITE, 1L, 3).build()), "read " + seen);
        }
    }

    @Test
    void newOldInversionIsNotLinearizable() {
        // Lamport's regular-but-not-atomic register: during one write, a read sees the new value and a
        // later read (invoked after the first returned) sees the old one.
        assertFalse(lin(Histories.register().invoke(0, WRITE, 1L, 0)
                .invoke(1, READ, null, 1).ok(1, READ, 1L, 2)
                .invoke(2, READ, null, 3).ok(2, READ, null, 4)
                .ok(0, WRITE, 1L, 10).build()));
        // the opposite order (old, then new) is fine
        assertTrue(lin(Histories.register().invoke(0, WRITE, 1L, 0)
                .invoke(1, READ, null, 1).ok(1, READ, null, 2)
                .invoke(2, READ, null, 3).ok(2, READ, 1L, 4)
                .ok(0, WRITE, 1L, 10).build()));
    }

    @Test
    void afterTwoConcurrentWritesReadersMustAgree() {
        Histories.Builder b = Histories.register().invoke(0, WRITE, 1L, 0).invoke(1, WRITE, 2L, 0)
                .ok(0, WRITE, 1L, 5).ok(1, WRITE, 2L, 5);
        Histories.Builder flip = Histories.register().invoke(0, WRITE, 1L, 0).invoke(1, WRITE, 2L, 0)
                .ok(0, WRITE, 1L, 5).ok(1, WRITE, 2L, 5);
        assertTrue(lin(b.invoke(2, READ, null, 6).ok(2, READ, 2L, 7).invoke(2, READ, null, 8).ok(2, READ, 2L, 9).build()));
        assertFalse(lin(flip.invoke(2, READ, null, 6).ok(2, READ, 1L, 7).invoke(2, READ, null, 8).ok(2, READ, 2L, 9).build()));
    }

    @Test
    void onlyOneOfTwoCasFromTheSameValueCanSucceed() {
        Cas to1 = new Cas(0, 1);
        Cas to2 = new Cas(0, 2);
        assertFalse(lin(Histories.register().invoke(0, WRITE, 0L, 0).ok(0, WRITE, 0L, 1)
                .invoke(1, CAS, to1, 2).invoke(2, CAS, to2, 2).ok(1, CAS, to1, 3).ok(2, CAS, to2, 3).build()));
        assertTrue(lin(Histories.register().invoke(0, WRITE, 0L, 0).ok(0, WRITE, 0L, 1)
                .invoke(1, CAS, to1, 2).invoke(2, CAS, to2, 2).ok(1, CAS, to1, 3).fail(2, CAS, to2, 3)
                .invoke(2, READ, null, 4).ok(2, READ, 1L, 5).build()));
    }

    @Test
    void casOnNilNeverSucceeds() {
        assertFalse(lin(Histories.register().invoke(0, CAS, new Cas(0, 1), 0).ok(0, CAS, new Cas(0, 1), 1).build()));
    }

    @Test
    void failedWriteDefinitelyDidNotHappen() {
        assertFalse(lin(Histories.register().invoke(0, WRITE, 1L, 0).fail(0, WRITE, 1L, 1)
                .invoke(1, READ, null, 2).ok(1, READ, 1L, 3).build()));
    }

    @Test
    void infoWriteMayTakeEffectMuchLaterOrNever() {
        // never
        assertTrue(lin(Histories.register().invoke(0, WRITE, 1L, 0).info(0, WRITE, 1L, 1)
                .invoke(1, READ, null, 2).ok(1, READ, null, 3).build()));
        // long after its info: nil then 1
        assertTrue(lin(Histories.register().invoke(0, WRITE, 1L, 0).info(0, WRITE, 1L, 1)
                .invoke(1, READ, null, 2).ok(1, READ, null, 3)
                .invoke(1, READ, null, 100).ok(1, READ, 1L, 101).build()));
        // but once seen it cannot be unseen
        assertFalse(lin(Histories.register().invoke(0, WRITE, 1L, 0).info(0, WRITE, 1L, 1)
                .invoke(1, READ, null, 2).ok(1, READ, 1L, 3)
                .invoke(1, READ, null, 4).ok(1, READ, null, 5).build()));
        // an operation still pending at the end counts as info
        assertTrue(lin(Histories.register().invoke(0, WRITE, 1L, 0)
                .invoke(1, READ, null, 2).ok(1, READ, 1L, 3).build()));
    }

    @Test
    void infoWriteCannotTakeEffectBeforeItIsInvoked() {
        assertFalse(lin(Histories.register().invoke(1, READ, null, 0).ok(1, READ, 1L, 1)
                .invoke(0, WRITE, 1L, 2).info(0, WRITE, 1L, 3).build()));
    }

    @Test
    void keysAreCheckedIndependentlyAndTheBadKeyIsNamed() {
        List<HistoryEvent> ev = new ArrayList<>();
        ev.add(HistoryEvent.invoke(0, WRITE, "a", 1L, 0));
        ev.add(HistoryEvent.complete(0, HistoryEvent.Type.OK, WRITE, "a", 1L, 1));
        ev.add(HistoryEvent.invoke(1, READ, "b", null, 2));
        ev.add(HistoryEvent.complete(1, HistoryEvent.Type.OK, READ, "b", null, 3)); // fine: b was never written
        ev.add(HistoryEvent.invoke(1, READ, "a", null, 4));
        ev.add(HistoryEvent.complete(1, HistoryEvent.Type.OK, READ, "a", null, 5)); // stale
        History h = History.of(ev);
        LinearizabilityChecker.Result r = checker.checkKv(h);
        assertFalse(r.linearizable());
        assertEquals("a", r.key());
        assertThrows(IllegalArgumentException.class, () -> checker.checkRegister(h));
        // as one register (keys ignored) it would be linearizable... which is why register refuses 2 keys
    }

    @Test
    void agreesWithBruteForceOnRandomTinyHistories() {
        int disagreements = 0;
        int linear = 0;
        for (long seed = 0; seed < 3000; seed++) {
            History h = seed % 2 == 0 ? Histories.random(seed, 3, 6, 3) : Histories.atomic(seed, 3, 7, 0.2, 3);
            boolean expected = BruteForceChecker.linearizable(h.operations());
            boolean actual = checker.checkRegister(h).linearizable();
            linear += expected ? 1 : 0;
            assertEquals(expected, actual, "seed=" + seed + " (replay: Histories." + (seed % 2 == 0 ? "random" : "atomic")
                    + "(" + seed + ", ...))\n" + Timeline.render(h.operations()));
        }
        assertTrue(linear > 1500 && linear < 2900, "both verdicts well represented: " + linear + " linearizable");
        assertEquals(0, disagreements);
    }

    @Test
    void historiesLinearizableByConstructionPass() {
        for (long seed = 0; seed < 50; seed++) {
            History h = Histories.atomic(seed, 10, 400, 0.05, 5);
            assertTrue(checker.checkRegister(h).linearizable(), "seed=" + seed);
        }
    }

    @Test
    void tenThousandOperationsTenProcesses() {
        History h = Histories.atomic(7, 10, 10_000, 0.01, 5);
        LinearizabilityChecker.Result r = checker.checkRegister(h);
        assertTrue(r.linearizable(), r.describe());
    }

    @Test
    void failureWindowIsSmallStillNonLinearizableAndHoldsTheCulprit() {
        // 2000 linearizable operations, then a write of 99 completes and a later read sees nil.
        History good = Histories.atomic(3, 5, 2000, 0.0, 5);
        List<HistoryEvent> ev = new ArrayList<>(good.events());
        long t = ev.get(ev.size() - 1).timeNs() + 10;
        ev.add(HistoryEvent.invoke(100, WRITE, "x", 99L, t));
        ev.add(HistoryEvent.complete(100, HistoryEvent.Type.OK, WRITE, "x", 99L, t + 1));
        ev.add(HistoryEvent.invoke(101, READ, "x", null, t + 2));
        ev.add(HistoryEvent.complete(101, HistoryEvent.Type.OK, READ, "x", 3L, t + 3));
        LinearizabilityChecker.Result r = checker.checkRegister(History.of(ev));
        assertFalse(r.linearizable());
        assertTrue(r.window().size() <= 12, r.describe());
        assertTrue(r.window().stream().anyMatch(o -> o.process() == 100), "the write that made it stale: " + r.describe());
        assertTrue(r.window().stream().anyMatch(o -> o.process() == 101), r.describe());
        assertFalse(checker.isLinearizable(r.window()), "the window itself is not linearizable");
        assertTrue(BruteForceChecker.linearizable(r.window()) == false, "and brute force agrees");
        assertTrue(r.describe().contains("p101 read -> 3"), r.describe());
    }

    @Test
    void windowsOfRandomFailuresAreNonLinearizableByBruteForce() {
        int checked = 0;
        for (long seed = 0; seed < 400; seed++) {
            History h = Histories.random(seed, 3, 8, 3);
            LinearizabilityChecker.Result r = checker.checkRegister(h);
            if (!r.linearizable()) {
                checked++;
                assertFalse(BruteForceChecker.linearizable(r.window()), "seed=" + seed + "\n" + r.describe());
                assertTrue(r.window().size() <= h.operations().size());
            }
        }
        assertTrue(checked > 50);
    }
}
