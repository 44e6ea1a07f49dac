package io.github.dsw.check.consistency;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.dsw.check.History;
import io.github.dsw.check.HistoryEvent;
import io.github.dsw.check.HistoryEvent.Cas;
import io.github.dsw.check.HistoryEvent.Fn;
import io.github.dsw.check.HistoryEvent.Type;
import io.github.dsw.check.LinearizabilityChecker;
import io.github.dsw.check.consistency.CausalChecker.Variant;
import io.github.dsw.check.consistency.SessionChecker.Guarantee;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The chapter 12 checkers on histories made by hand from the definitions (each the textbook separating example
 * of two models, or one of Bouajjani et al.'s bad patterns, or one session guarantee broken alone), and
 * cross-checked against {@link BruteForce} on thousands of small random histories; the hierarchy
 * linearizable ⇒ sequential ⇒ causal memory ⇒ weak causal, and sequential ⇒ causal convergence ⇒ weak causal,
 * as a property of random histories. Random failures print the seed that reproduces them.
 */
class ConsistencyCheckersTest {
    private final SequentialChecker sc = new SequentialChecker();
    private final CausalChecker causal = new CausalChecker();

    private boolean sc(History h) {
        return sc.check(h).satisfied();
    }

    private boolean cm(History h) {
        return causal.check(h, Variant.CM).satisfied();
    }

    private boolean cc(History h) {
        return causal.check(h, Variant.CC).satisfied();
    }

    private boolean ccv(History h) {
        return causal.check(h, Variant.CCV).satisfied();
    }

    private static boolean lin(History h) {
        return new LinearizabilityChecker().checkKv(h).linearizable();
    }

    // ------------------------------------------------------------------ separating examples

    @Test
    void staleReadAfterACompletedWriteIsSequentialButNotLinearizable() {
        // p1 reads the initial value after p0's write completed: order the read first (program order allows it)
        History h = new Kv().w(0, "x", 1).r(1, "x", null).build();
        assertFalse(lin(h));
        assertTrue(sc(h));
        assertTrue(BruteForce.sequential(h));
        // decided without the search: p1's one operation stretched over all time is linearizable
        assertTrue(sc.check(h).explanation().contains("stretched"), sc.check(h).explanation());
    }

    @Test
    void storeBufferingIsCausalButNotSequentialAndEachKeyAloneIsSequential() {
        // Dekker's litmus test: each process writes its key then reads the other's initial value
        History h = new Kv().w(0, "x", 1).w(1, "y", 1).r(0, "y", null).r(1, "x", null).build();
        Verdict v = sc.check(h);
        assertEquals(Verdict.Outcome.VIOLATED, v.outcome());
        assertEquals(4, v.witnesses().size(), v.describe());
        assertTrue(v.minimal());
        assertTrue(cm(h) && cc(h) && ccv(h));
        // not compositional: every key's own history is sequentially consistent
        for (History part : h.byKey().values()) {
            assertTrue(sc(part));
        }
        assertFalse(BruteForce.sequential(h));
    }

    @Test
    void readingOneTwoOneIsWeaklyCausalButNeitherCausalMemoryNorConvergent() {
        // two concurrent writes; p2 sees 1, then 2, then 1 again
        History h = new Kv().w(0, "x", 1).w(1, "x", 2).r(2, "x", 1).r(2, "x", 2).r(2, "x", 1).build();
        assertTrue(cc(h));
        assertFalse(cm(h));
        assertFalse(ccv(h));
        assertEquals(Verdict.Outcome.VIOLATED, SessionChecker.check(h, Guarantee.MR).outcome());
        assertTrue(BruteForce.cc(h) && !BruteForce.cm(h) && !BruteForce.ccv(h));
    }

    @Test
    void twoReadersSeeingConcurrentWritesInOppositeOrdersAreCausalMemoryButNotConvergent() {
        History h = new Kv().w(0, "x", 1).w(1, "x", 2).r(2, "x", 1).r(2, "x", 2).r(3, "x", 2).r(3, "x", 1).build();
        assertTrue(cm(h));
        Verdict v = causal.check(h, Variant.CCV);
        assertEquals(Verdict.Outcome.VIOLATED, v.outcome());
        assertTrue(v.explanation().startsWith("CyclicCF"), v.explanation());
        assertFalse(sc(h));
        assertTrue(BruteForce.cm(h) && !BruteForce.ccv(h));
    }

    // ------------------------------------------------------------------ Bouajjani et al.'s bad patterns

    private void pattern(History h, String name) {
        Verdict v = causal.check(h, Variant.CC);
        assertEquals(Verdict.Outcome.VIOLATED, v.outcome(), v.describe());
        assertTrue(v.explanation().startsWith(name), v.explanation());
        assertFalse(v.witnesses().isEmpty());
        assertFalse(BruteForce.cc(h));
        assertFalse(cm(h));
        assertFalse(ccv(h));
    }

    @Test
    void thinAirRead() {
        pattern(new Kv().w(0, "x", 1).r(1, "x", 7).build(), "ThinAirRead");
    }

    @Test
    void cyclicCausalOrder() {
        // each reads the value the other writes only after its read
        History h = new Kv().event(HistoryEvent.invoke(0, Fn.READ, "x", null, 0)).event(HistoryEvent.invoke(1, Fn.READ, "y", null, 0))
                .event(HistoryEvent.complete(0, Type.OK, Fn.READ, "x", 1L, 0)).event(HistoryEvent.complete(1, Type.OK, Fn.READ, "y", 1L, 0))
                .w(0, "y", 1).w(1, "x", 1).build();
        pattern(h, "CyclicCO");
    }

    @Test
    void writeCausallyBeforeAnInitialRead() {
        // p1 sees y = 1, written after x = 1, then reads x's initial value
        pattern(new Kv().w(0, "x", 1).w(0, "y", 1).r(1, "y", 1).r(1, "x", null).build(), "WriteCOInitRead");
    }

    @Test
    void readOfAValueOverwrittenInItsCausalPast() {
        pattern(new Kv().w(0, "x", 1).w(0, "x", 2).r(1, "x", 2).r(1, "x", 1).build(), "WriteCORead");
    }

    @Test
    void cyclicHappensBeforeIsACausalMemoryViolationOnly() {
        // p2 reads 2, 1, 2: its one serialization would need 2 before 1 and 1 before 2 (the paper's CyclicHB)
        History h = new Kv().w(0, "x", 1).w(1, "x", 2).r(2, "x", 2).r(2, "x", 1).r(2, "x", 2).build();
        assertTrue(cc(h));
        Verdict v = causal.check(h, Variant.CM);
        assertEquals(Verdict.Outcome.VIOLATED, v.outcome());
        assertTrue(v.explanation().startsWith("CyclicHB"), v.explanation());
        assertTrue(v.minimal(), v.describe());
        assertTrue(v.witnesses().size() <= 5, v.describe());
        assertFalse(BruteForce.cm(h));
    }

    @Test
    void writeHappensBeforeAnInitialReadIsNamedAndTheHistoryIsCausallyConvergent() {
        // p1 writes z, x = 2, y; p2 reads x = 1 (p0's), z's initial value, y = 1 (so x = 2 is in its past), x = 1 again.
        // p2's serialization of all writes must put x = 2 before x = 1 (its last read returns 1 with x = 2 before it),
        // x = 1 before its first read, so z = 1 (before x = 2) before its read of z's initial value: not causal
        // memory, though no write of z is in that read's causal past (CC holds) and one arbitration (z, x2, y, x1)
        // explains every read from its causal past (CCv holds): CCv does not imply CM.
        History h = new Kv().w(0, "x", 1).w(1, "z", 1).w(1, "x", 2).w(1, "y", 1)
                .r(2, "x", 1).r(2, "z", null).r(2, "y", 1).r(2, "x", 1).build();
        assertTrue(cc(h));
        assertTrue(BruteForce.cc(h));
        assertTrue(ccv(h));
        assertTrue(BruteForce.ccv(h));
        Verdict v = causal.check(h, Variant.CM);
        assertEquals(Verdict.Outcome.VIOLATED, v.outcome(), v.describe());
        assertTrue(v.explanation().startsWith("WriteHBInitRead"), v.explanation());
        assertTrue(v.explanation().contains("p2 read -> nil"), v.explanation());
        assertFalse(BruteForce.cm(h));
    }

    // ------------------------------------------------------------------ session guarantees, each broken alone

    private void onlyViolated(History h, Guarantee broken) {
        for (Guarantee g : Guarantee.values()) {
            Verdict v = SessionChecker.check(h, g);
            assertEquals(g == broken ? Verdict.Outcome.VIOLATED : Verdict.Outcome.SATISFIED, v.outcome(), g + ": " + v.describe());
            assertEquals(v.outcome(), BruteForce.session(h, g), g.toString());
        }
    }

    @Test
    void readYourWritesAlone() {
        onlyViolated(new Kv().w(0, "x", 1).r(0, "x", null).build(), Guarantee.RYW);
    }

    @Test
    void readYourWritesAloneThroughACycle() {
        // p0 writes 1 then 2, reads 1 (so 2 before 1 in its view), then 2 (1 before 2): no order explains its reads
        onlyViolated(new Kv().w(0, "x", 1).w(0, "x", 2).r(0, "x", 1).r(0, "x", 2).build(), Guarantee.RYW);
    }

    @Test
    void sessionsSeeingEachOthersConcurrentWritesKeepEveryGuarantee() {
        // the causal store's pattern: each session writes, then reads the other's concurrent write. Each session
        // saw its own write and then a write it may order later; only a global order of writes (convergence, CCv)
        // is impossible. Causal memory holds, and it implies the four guarantees (Brzezinski et al. 2004).
        History h = new Kv().w(0, "x", 1).w(1, "x", 2).r(0, "x", 2).r(1, "x", 1).build();
        for (Verdict v : SessionChecker.checkAll(h)) {
            assertTrue(v.satisfied(), v.describe());
            assertEquals(Verdict.Outcome.SATISFIED, BruteForce.session(h, Guarantee.valueOf(v.model().toUpperCase(java.util.Locale.ROOT))));
        }
        assertTrue(cm(h));
        assertFalse(ccv(h));
    }

    @Test
    void monotonicReadsAlone() {
        onlyViolated(new Kv().w(0, "x", 1).r(1, "x", 1).r(1, "x", null).build(), Guarantee.MR);
    }

    @Test
    void monotonicWritesAlone() {
        onlyViolated(new Kv().w(0, "x", 1).w(0, "x", 2).r(1, "x", 2).r(1, "x", 1).build(), Guarantee.MW);
    }

    @Test
    void writesFollowReadsAlone() {
        // p1 read 1 and then wrote 2 (so 2 is after 1); p2 observes 2 and then 1
        onlyViolated(new Kv().w(0, "x", 1).r(1, "x", 1).w(1, "x", 2).r(2, "x", 2).r(2, "x", 1).build(), Guarantee.WFR);
    }

    @Test
    void allFourHoldOnASequentialRun() {
        History h = new Kv().w(0, "x", 1).r(1, "x", 1).w(1, "x", 2).r(0, "x", 2).w(0, "y", 3).r(1, "y", 3).build();
        for (Verdict v : SessionChecker.checkAll(h)) {
            assertTrue(v.satisfied(), v.describe());
        }
    }

    // ------------------------------------------------------------------ bad input

    @Test
    void causalAndSessionRefuseCasAndRepeatedValuesNamingTheEvent() {
        History cas = new Kv().event(HistoryEvent.invoke(0, Fn.CAS, "x", new Cas(1, 2), 0))
                .event(HistoryEvent.complete(0, Type.OK, Fn.CAS, "x", new Cas(1, 2), 0)).build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> causal.check(cas, Variant.CM));
        assertTrue(e.getMessage().contains("event 1"), e.getMessage());
        History twice = new Kv().w(0, "x", 1).w(1, "x", 1).build();
        e = assertThrows(IllegalArgumentException.class, () -> SessionChecker.checkAll(twice));
        assertTrue(e.getMessage().contains("events 1 and 3"), e.getMessage());
    }

    // ------------------------------------------------------------------ sequential consistency's search

    @Test
    void sequentialHandlesCasAndIndeterminateWrites() {
        // p0's write of 2 is indeterminate: p1 reads 2 (so it happened), then null: not SC
        History h = new Kv().event(HistoryEvent.invoke(0, Fn.WRITE, "x", 2L, 0)).r(1, "x", 2).r(1, "x", null)
                .event(HistoryEvent.complete(0, Type.INFO, Fn.WRITE, "x", 2L, 0)).build();
        assertFalse(sc(h));
        assertFalse(BruteForce.sequential(h));
        History ok = new Kv().event(HistoryEvent.invoke(0, Fn.WRITE, "x", 2L, 0)).r(1, "x", null)
                .event(HistoryEvent.invoke(2, Fn.CAS, "x", Cas.fromNil(5), 0)).event(HistoryEvent.complete(2, Type.OK, Fn.CAS, "x", null, 0))
                .r(1, "x", 5).build();
        assertTrue(sc(ok));
        assertTrue(BruteForce.sequential(ok));
    }

    @Test
    void sequentialAnswersUnknownWhenTheBudgetRunsOut() {
        // four processes each write and read back their own value: the search needs five configurations
        Kv k = new Kv();
        for (int p = 0; p < 4; p++) {
            k.w(p, "x", p + 1);
        }
        for (int p = 0; p < 4; p++) {
            k.r(p, "x", p + 1);
        }
        History h = k.build();
        Verdict v = new SequentialChecker(LinearizabilityChecker.Budget.defaults().withMaxConfigurations(3)).check(h);
        assertEquals(Verdict.Outcome.UNKNOWN, v.outcome(), v.describe());
        assertTrue(v.explanation().contains("configuration budget"), v.explanation());
        assertTrue(sc(h));
    }

    // ------------------------------------------------------------------ against brute force, and the hierarchy

    @Test
    void sequentialAgreesWithBruteForceOnRandomHistories() {
        int sat = 0;
        int nonLin = 0;
        for (long seed = 1; seed <= 3000; seed++) {
            History h = Kv.random(seed, 2 + (int) (seed % 2), 4 + (int) (seed % 4), 1 + (int) (seed % 2), 0.6, 0.0, 0.3);
            boolean expected = BruteForce.sequential(h);
            Verdict v = sc.check(h);
            assertEquals(expected, v.satisfied(), "seed " + seed + ": " + v.describe());
            // the search alone, without the linearizability pass that decides the linearizable ones first
            SequentialChecker.Search search = new SequentialChecker.Search(h.operations(), 5_000_000, 1 << 26, Long.MAX_VALUE);
            assertEquals(expected, search.run() == Verdict.Outcome.SATISFIED, "seed " + seed + ": search alone");
            nonLin += expected && !lin(h) ? 1 : 0;
            if (v.violated()) {
                assertFalse(BruteForce.sequential(Windows.history(v.witnesses())), "seed " + seed + ": the window is satisfiable");
            }
            sat += expected ? 1 : 0;
        }
        assertTrue(sat > 300 && sat < 2700, "both verdicts exercised: " + sat + " of 3000 satisfied");
        assertTrue(nonLin > 100, "sequential but not linearizable histories exercised: " + nonLin);
    }

    @Test
    void causalModelsAgreeWithBruteForceOnRandomHistories() {
        int[] sat = new int[3];
        for (long seed = 1; seed <= 3000; seed++) {
            History h = Kv.random(seed, 2 + (int) (seed % 2), 4 + (int) (seed % 4), 1 + (int) (seed % 2), 0.6, 0.03, 0.0);
            boolean[] expected = {BruteForce.cc(h), BruteForce.cm(h), BruteForce.ccv(h)};
            Variant[] vs = {Variant.CC, Variant.CM, Variant.CCV};
            for (int i = 0; i < 3; i++) {
                Verdict v = causal.check(h, vs[i]);
                assertEquals(expected[i], v.satisfied(), "seed " + seed + ", " + vs[i] + ": " + v.describe());
                sat[i] += expected[i] ? 1 : 0;
            }
        }
        for (int s : sat) {
            assertTrue(s > 300 && s < 2700, "both verdicts exercised: " + java.util.Arrays.toString(sat));
        }
    }

    @Test
    void sessionGuaranteesAgreeWithBruteForceOnRandomHistories() {
        for (long seed = 1; seed <= 3000; seed++) {
            History h = Kv.random(seed, 2 + (int) (seed % 2), 4 + (int) (seed % 4), 1 + (int) (seed % 2), 0.6, 0.03, 0.0);
            List<Verdict> all = SessionChecker.checkAll(h);
            for (Verdict v : all) {
                Guarantee g = Guarantee.valueOf(v.model().toUpperCase(java.util.Locale.ROOT));
                assertEquals(BruteForce.session(h, g), v.outcome(), "seed " + seed + ", " + g + ": " + v.describe());
            }
        }
    }

    @Test
    void theHierarchyHoldsOnRandomHistories() {
        int[] count = new int[5];
        for (long seed = 1; seed <= 2000; seed++) {
            History h = Kv.random(seed, 2 + (int) (seed % 3), 5 + (int) (seed % 6), 1 + (int) (seed % 2), 0.8, 0.0, 0.0);
            boolean lin = lin(h);
            boolean sc = sc(h);
            boolean cm = cm(h);
            boolean ccv = ccv(h);
            boolean cc = cc(h);
            String at = "seed " + seed + ": lin " + lin + " sc " + sc + " cm " + cm + " ccv " + ccv + " cc " + cc;
            assertTrue(!lin || sc, at);
            assertTrue(!sc || cm, at);
            assertTrue(!sc || ccv, at);
            assertTrue(!cm || cc, at);
            assertTrue(!ccv || cc, at);
            if (cm) {
                for (Verdict v : SessionChecker.checkAll(h)) {
                    assertTrue(v.satisfied(), at + ": causal memory implies " + v.describe());
                }
            }
            count[0] += lin ? 1 : 0;
            count[1] += sc ? 1 : 0;
            count[2] += cm ? 1 : 0;
            count[3] += ccv ? 1 : 0;
            count[4] += cc ? 1 : 0;
        }
        // the inclusions are strict on these histories
        assertTrue(count[0] > 50 && count[0] < count[1] && count[1] < count[2] && count[2] < count[4] && count[3] < count[4],
                java.util.Arrays.toString(count));
    }

    // ------------------------------------------------------------------ convergence

    @Test
    void convergenceNeedsEqualFinalValuesThatNoWriteCausallyOverwrote() {
        Kv base = new Kv().w(0, "x", 1).r(1, "x", 1).w(1, "x", 2);
        History h = base.r(2, "x", 2).r(3, "x", 2).build();
        java.util.Map<Integer, String> marks = java.util.Map.of(6, "a", 7, "a", 8, "b", 9, "b");
        assertTrue(ConvergenceChecker.check(h, marks).satisfied());
        History diverged = new Kv().w(0, "x", 1).r(1, "x", 1).w(1, "x", 2).r(2, "x", 2).r(3, "x", 1).build();
        Verdict d = ConvergenceChecker.check(diverged, marks);
        assertEquals(Verdict.Outcome.VIOLATED, d.outcome());
        assertTrue(d.explanation().contains("diverge"), d.explanation());
        History lost = new Kv().w(0, "x", 1).r(1, "x", 1).w(1, "x", 2).r(2, "x", 1).r(3, "x", 1).build();
        Verdict l = ConvergenceChecker.check(lost, marks);
        assertEquals(Verdict.Outcome.VIOLATED, l.outcome());
        assertTrue(l.explanation().startsWith("lost update"), l.explanation());
        // a final read before quiescence is bad input
        assertThrows(IllegalArgumentException.class, () -> ConvergenceChecker.check(h, java.util.Map.of(2, "a")));
    }

    @Test
    void finalMarksAreReadFromTheLines() {
        HistoryEvent e = HistoryEvent.complete(3, Type.OK, Fn.READ, "x", 2L, 10);
        String line = ConvergenceChecker.finalLine(e, "n\"1");
        String text = io.github.dsw.check.HistoryJson.toLine(HistoryEvent.invoke(3, Fn.READ, "x", null, 9)) + "\n\n" + line + "\n";
        var marks = ConvergenceChecker.readMarks(new java.io.ByteArrayInputStream(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        assertEquals(java.util.Map.of(1, "n\"1"), marks);
        History h = io.github.dsw.check.HistoryJson.read(new java.io.StringReader(text));
        assertEquals(2, h.events().size());
    }
}
