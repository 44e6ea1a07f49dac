package io.github.dsw.register;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.dsw.check.HistoryEvent;
import io.github.dsw.sim.Nemesis;
import io.github.dsw.sim.Trace;
import io.github.dsw.register.RegisterRun.Protocol;
import io.github.dsw.register.RegisterRun.Settings;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The two registers judged by the checker: ABD must be linearizable under every nemesis (its
 * correctness is the theorem of Attiya, Bar-Noy and Dolev 1995); naive primary-backup must be caught.
 * Every failure message carries the seed and the command that replays it.
 */
class RegisterRunTest {
    private static final Set<Nemesis.Kind> ALL = EnumSet.allOf(Nemesis.Kind.class);

    private static String replay(Settings s) {
        return "seed=" + s.seed() + " replay: ./dsw simulate " + s.protocol().cliName + " --seed " + s.seed() + " --nodes "
                + s.nodes() + " --clients " + s.clients() + " --ops " + s.ops() + " --nemesis all";
    }

    @Test
    void abdIsLinearizableUnderEveryNemesisOverManySeeds() {
        int seeds = Boolean.getBoolean("dsw.soak") ? 5000 : 200;
        long infos = 0;
        for (long seed = 1; seed <= seeds; seed++) {
            Settings s = new Settings(Protocol.ABD, seed, seed % 2 == 0 ? 3 : 5, 4, 200, ALL, Trace.Level.COUNTS, false);
            RegisterRun.Outcome o = RegisterRun.run(s);
            assertTrue(o.completed(), replay(s));
            assertTrue(o.verdict().linearizable(), replay(s) + "\n" + o.verdict().describe());
            infos += o.history().counts().get(HistoryEvent.Type.INFO);
        }
        assertTrue(infos > 0, "the nemesis did cause indeterminate operations");
    }

    @Test
    void abdWithoutFaultsCompletesEveryOperation() {
        Settings s = new Settings(Protocol.ABD, 7, 3, 3, 300, Set.of(), Trace.Level.HASH, false);
        RegisterRun.Outcome o = RegisterRun.run(s);
        assertEquals(300, o.history().counts().get(HistoryEvent.Type.OK), replay(s));
        assertTrue(o.verdict().linearizable());
        // two round trips of about 1 ms median each, plus the client hop: several ms, not tens
        assertTrue(o.p50Ns() > 2_000_000 && o.p50Ns() < 10_000_000, "p50 " + o.p50Ns());
    }

    @Test
    void primaryBackupViolationIsFoundWithinAFewSeeds() {
        long found = -1;
        for (long seed = 1; seed <= 10 && found < 0; seed++) {
            Settings s = new Settings(Protocol.PRIMARY_BACKUP, seed, 3, 4, 300, ALL, Trace.Level.COUNTS, false);
            RegisterRun.Outcome o = RegisterRun.run(s);
            if (!o.verdict().linearizable()) {
                found = seed;
                assertFalse(o.verdict().window().isEmpty());
                assertTrue(o.verdict().describe().contains("NOT linearizable"));
            }
        }
        assertTrue(found > 0, "no violation in seeds 1..10");
    }

    @Test
    void primaryBackupWithoutFaultsLooksFine() {
        Settings s = new Settings(Protocol.PRIMARY_BACKUP, 3, 3, 3, 300, Set.of(), Trace.Level.HASH, false);
        assertTrue(RegisterRun.run(s).verdict().linearizable(), replay(s));
    }

    @Test
    void sameSeedSameRun() {
        Settings s = new Settings(Protocol.ABD, 42, 5, 3, 150, ALL, Trace.Level.HASH, false);
        RegisterRun.Outcome a = RegisterRun.run(s);
        RegisterRun.Outcome b = RegisterRun.run(s);
        assertEquals(a.trace().hash(), b.trace().hash());
        assertEquals(a.history().events(), b.history().events());
    }
}
