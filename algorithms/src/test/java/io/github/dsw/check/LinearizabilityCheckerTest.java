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
    void casFromNilSucceedsOnlyOnAMissingKey() {
        // Knossos's cas-register: (cas [nil 2]) applies when the register holds nil, i.e. was never written
        Cas fromNil = Cas.fromNil(2);
        assertTrue(lin(Histories.register().invoke(0, CAS, fromNil, 0).ok(0, CAS, fromNil, 1)
                .invoke(1, READ, null, 2).ok(1, READ, 2L, 3).build()));
        assertFalse(lin(Histories.register().invoke(0, WRITE, 1L, 0).ok(0, WRITE, 1L, 1)
                .invoke(1, CAS, fromNil, 2).ok(1, CAS, fromNil, 3).build()), "the key is no longer missing");
        // two concurrent creates: only one can succeed
        Cas to3 = Cas.fromNil(3);
        assertFalse(lin(Histories.register().invoke(0, CAS, fromNil, 0).invoke(1, CAS, to3, 0)
                .ok(0, CAS, fromNil, 1).ok(1, CAS, to3, 1).build()));
        assertTrue(lin(Histories.register().invoke(0, CAS, fromNil, 0).invoke(1, CAS, to3, 0)
                .ok(0, CAS, fromNil, 1).fail(1, CAS, to3, 1).build()));
        assertEquals("p0 cas [nil, 2]", Histories.register().invoke(0, CAS, fromNil, 0).build().operations().get(0).describe()
                .replace(" ?", ""));
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
        // every history also goes through both file formats (JSON Lines and Jepsen EDN) and back: the
        // verdict on what was read must be the brute force's verdict on what was written
        int linear = 0;
        int casFromNil = 0;
        for (long seed = 0; seed < 3000; seed++) {
            History h = seed % 2 == 0 ? Histories.random(seed, 3, 6, 3) : Histories.atomic(seed, 3, 7, 0.2, 3);
            boolean expected = BruteForceChecker.linearizable(h.operations());
            String replay = "seed=" + seed + " (replay: Histories." + (seed % 2 == 0 ? "random" : "atomic")
                    + "(" + seed + ", ...))\n" + Timeline.render(h.operations());
            linear += expected ? 1 : 0;
            casFromNil += h.events().stream().anyMatch(e -> e.value() instanceof Cas c && c.expected() == null) ? 1 : 0;
            assertEquals(expected, checker.checkRegister(h).linearizable(), replay);
            java.io.StringWriter json = new java.io.StringWriter();
            HistoryJson.write(h, json);
            assertEquals(expected, checker.checkRegister(HistoryJson.read(new java.io.StringReader(json.toString()))).linearizable(),
                    "after a JSON round trip, " + replay);
            java.io.StringWriter edn = new java.io.StringWriter();
            HistoryEdn.write(h, edn);
            History back = HistoryEdn.read(new java.io.ByteArrayInputStream(edn.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8)));
            assertEquals(h.events(), back.events(), "EDN round trip, " + replay);
            assertEquals(expected, checker.checkRegister(back).linearizable(), "after an EDN round trip, " + replay);
        }
        assertTrue(linear > 1500 && linear < 2900, "both verdicts well represented: " + linear + " linearizable");
        assertTrue(casFromNil > 300, "cas from nil well represented: " + casFromNil + " histories");
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

    /** 2000 linearizable operations, then a write of 99 completes and a later read sees 3. */
    private static History staleReadAtTheEnd(long seed, int processes, int ops) {
        History good = Histories.atomic(seed, processes, ops, 0.0, 5);
        List<HistoryEvent> ev = new ArrayList<>(good.events());
        long t = ev.get(ev.size() - 1).timeNs() + 10;
        ev.add(HistoryEvent.invoke(100, WRITE, "x", 99L, t));
        ev.add(HistoryEvent.complete(100, HistoryEvent.Type.OK, WRITE, "x", 99L, t + 1));
        ev.add(HistoryEvent.invoke(101, READ, "x", null, t + 2));
        ev.add(HistoryEvent.complete(101, HistoryEvent.Type.OK, READ, "x", 3L, t + 3));
        return History.of(ev);
    }

    @Test
    void failureWindowIsSmallStillNonLinearizableAndHoldsTheCulprit() {
        // a generous shrinking budget, so that the window does not depend on the machine's load
        LinearizabilityChecker patient = new LinearizabilityChecker(LinearizabilityChecker.Budget.defaults()
                .withShrink(1, 60_000_000_000L, 60_000_000_000L));
        LinearizabilityChecker.Result r = patient.checkRegister(staleReadAtTheEnd(3, 5, 2000));
        assertFalse(r.linearizable());
        assertTrue(r.windowMinimal(), r.describe());
        assertTrue(r.describe().contains("(minimal: removing any read or unobservable write makes them linearizable)"), r.describe());
        assertTrue(r.window().size() <= 12, r.describe());
        assertTrue(r.window().stream().anyMatch(o -> o.process() == 100), "the write that made it stale: " + r.describe());
        assertTrue(r.window().stream().anyMatch(o -> o.process() == 101), r.describe());
        assertFalse(checker.isLinearizable(r.window()), "the window itself is not linearizable");
        assertTrue(BruteForceChecker.linearizable(r.window()) == false, "and brute force agrees");
        assertTrue(r.describe().contains("p101 read -> 3"), r.describe());
    }

    @Test
    void shrinkingStopsAtItsBudgetWithTheSmallestWindowSoFar() {
        // no time to shrink at all: the window is the failing prefix, still not linearizable, and says so
        LinearizabilityChecker hasty = new LinearizabilityChecker(LinearizabilityChecker.Budget.defaults().withShrink(0, 0, 0));
        History h = staleReadAtTheEnd(3, 5, 2000);
        LinearizabilityChecker.Result r = hasty.checkRegister(h);
        assertEquals(LinearizabilityChecker.Outcome.NOT_LINEARIZABLE, r.outcome());
        assertFalse(r.windowMinimal());
        assertTrue(r.describe().contains("not minimal: shrinking stopped at its time budget; this is the smallest window found so far"),
                r.describe().lines().findFirst().orElse(""));
        assertFalse(checker.isLinearizable(r.window()), "whatever its size, the window is not linearizable");
        assertTrue(r.window().size() <= h.operations().size());
    }

    @Test
    void anExhaustedBudgetIsUnknownAndSaysWhichLimit() {
        History h = Histories.atomic(11, 10, 3000, 0.05, 5);
        LinearizabilityChecker.Budget base = LinearizabilityChecker.Budget.defaults();
        LinearizabilityChecker.Result configs = new LinearizabilityChecker(base.withMaxConfigurations(50)).checkRegister(h);
        assertEquals(LinearizabilityChecker.Outcome.UNKNOWN, configs.outcome());
        assertTrue(configs.describe().contains("ran out of its configuration budget (50)"), configs.describe());
        assertTrue(configs.describe().startsWith("unknown (" + h.operations().size() + " operations, 50 configurations"), configs.describe());
        // 8 KiB of cache: the first table (1024 slots of 16 bytes) does not even fit
        LinearizabilityChecker.Result memory = new LinearizabilityChecker(base.withMaxCacheBytes(8 << 10)).checkRegister(h);
        assertEquals(LinearizabilityChecker.Outcome.UNKNOWN, memory.outcome());
        assertTrue(memory.describe().contains("ran out of its memory budget"), memory.describe());
        assertTrue(memory.cacheBytes() <= 8 << 10);
        LinearizabilityChecker.Result time = new LinearizabilityChecker(base.withSearchTimeNs(1)).checkRegister(
                Histories.atomic(11, 10, 50_000, 0.05, 5));
        assertEquals(LinearizabilityChecker.Outcome.UNKNOWN, time.outcome());
        assertTrue(time.describe().contains("ran out of its time budget"), time.describe());
    }

    @Test
    void aHardHistoryEndsWithinItsMemoryBudget() {
        // 20,000 operations of one key with one read flipped to a value never written: the shape that
        // ran for ten minutes at 5.8 GB before the budgets. Whatever the verdict, the caches stay within
        // the 64 MiB given, and the answer is never "linearizable".
        History good = Histories.atomic(5, 10, 20_000, 0.01, 5);
        List<HistoryEvent> ev = new ArrayList<>(good.events());
        int flipped = -1;
        for (int i = ev.size() / 2; i < ev.size(); i++) {
            HistoryEvent e = ev.get(i);
            if (e.f() == READ && e.type() == HistoryEvent.Type.OK) {
                ev.set(i, HistoryEvent.complete(e.process(), e.type(), READ, e.key(), 77L, e.timeNs()));
                flipped = i;
                break;
            }
        }
        assertTrue(flipped > 0);
        LinearizabilityChecker bounded = new LinearizabilityChecker(LinearizabilityChecker.Budget.defaults()
                .withMaxCacheBytes(64L << 20).withShrink(0.5, 0, 2_000_000_000L));
        LinearizabilityChecker.Result r = bounded.checkRegister(History.of(ev));
        assertFalse(r.linearizable(), r.describe());
        assertTrue(r.cacheBytes() <= 64L << 20, "cache bytes " + r.cacheBytes());
        if (r.outcome() == LinearizabilityChecker.Outcome.NOT_LINEARIZABLE) {
            assertTrue(r.window().stream().anyMatch(o -> o.f() == READ && Long.valueOf(77).equals(o.output())), r.describe());
        }
    }

    @Test
    void keysAreSearchedInParallelWithTheSameVerdictAsOneAfterAnother() {
        // the first failing key in order of appearance is reported, whatever the thread timing
        List<HistoryEvent> ev = new ArrayList<>();
        for (int k = 0; k < 8; k++) {
            String key = "k" + k;
            ev.add(HistoryEvent.invoke(k, WRITE, key, 1L, 10 * k));
            ev.add(HistoryEvent.complete(k, HistoryEvent.Type.OK, WRITE, key, 1L, 10 * k + 1));
            ev.add(HistoryEvent.invoke(k, READ, key, null, 10 * k + 2));
            ev.add(HistoryEvent.complete(k, HistoryEvent.Type.OK, READ, key, k % 3 == 2 ? null : 1L, 10 * k + 3));
        }
        History h = History.of(ev);
        LinearizabilityChecker.Result parallel = new LinearizabilityChecker(LinearizabilityChecker.Budget.defaults(), true).checkKv(h);
        LinearizabilityChecker.Result serial = new LinearizabilityChecker(LinearizabilityChecker.Budget.defaults(), false).checkKv(h);
        assertEquals("k2", parallel.key());
        assertEquals(serial.key(), parallel.key());
        assertEquals(serial.window(), parallel.window());
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
