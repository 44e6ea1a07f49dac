package io.github.dsw.commit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.github.dsw.commit.CommitRun.Outcome;
import io.github.dsw.commit.CommitRun.Protocol;
import io.github.dsw.commit.CommitRun.Settings;
import io.github.dsw.sim.Nemesis;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The atomic-commit checker over 1,000 seeds per protocol, each nemesis in turn (seed mod 8: one of the seven kinds,
 * or all of them at once). 2PC, Paxos Commit and Faster Paxos Commit must be safe under every nemesis and terminate
 * once the faults heal (crashed processes restart: crash-recovery). 3PC is run under its own model, crash-stop, where
 * it must be safe and every live RM must decide; under partitions the checker must find the split decision.
 * A failure names the seed; {@code ./dsw simulate PROTOCOL --nemesis KINDS --seed S ...} replays it.
 */
class CommitSafetyTest {

    static final int SEEDS = 1000;
    static final List<Set<Nemesis.Kind>> NEMESES = new ArrayList<>();

    static {
        for (Nemesis.Kind k : Nemesis.Kind.values()) {
            NEMESES.add(EnumSet.of(k));
        }
        NEMESES.add(EnumSet.allOf(Nemesis.Kind.class));
    }

    private static void safeAndLive(Protocol p, int n, int f) {
        for (long seed = 1; seed <= SEEDS; seed++) {
            Set<Nemesis.Kind> kinds = NEMESES.get((int) (seed % NEMESES.size()));
            Settings s = Settings.random(p, n, f, 4, kinds, seed);
            Outcome o = CommitRun.run(s);
            if (!o.ok()) {
                fail(p.cliName + " seed=" + seed + " nemesis=" + kinds + ": " + o.violations().get(0) + "\nschedule: " + o.schedule());
            }
        }
    }

    @Test
    void twoPhaseCommitIsSafeUnderEveryNemesisAndTerminatesAfterHealing() {
        safeAndLive(Protocol.TWO_PC, 3, 0);
    }

    @Test
    void paxosCommitIsSafeUnderEveryNemesisAndTerminatesAfterHealing() {
        safeAndLive(Protocol.PAXOS_COMMIT, 3, 1);
    }

    @Test
    void fasterPaxosCommitIsSafeUnderEveryNemesisAndTerminatesAfterHealing() {
        safeAndLive(Protocol.FASTER_PAXOS_COMMIT, 3, 1);
    }

    @Test
    void threePhaseCommitIsSafeAndLiveUnderCrashStop() {
        for (long seed = 1; seed <= SEEDS; seed++) {
            Outcome o = CommitRun.run(Settings.random(Protocol.THREE_PC, 3, 0, 4, EnumSet.of(Nemesis.Kind.CRASH), seed));
            if (!o.ok()) {
                fail("3pc seed=" + seed + " crash-stop: " + o.violations().get(0) + "\nschedule: " + o.schedule());
            }
        }
    }

    @Test
    void threePhaseCommitSplitsItsDecisionUnderAPartitionAndTheShrunkScheduleStillDoes() {
        for (long seed = 1; seed <= SEEDS; seed++) {
            Settings s = Settings.random(Protocol.THREE_PC, 3, 0, 4, EnumSet.of(Nemesis.Kind.PARTITION), seed);
            Outcome o = CommitRun.run(s);
            if (!o.ok() && o.violations().get(0).property().equals("agreement")) {
                List<CommitRun.Episode> shrunk = CommitRun.shrink(s, o);
                assertTrue(shrunk.size() <= o.schedule().size());
                assertFalse(shrunk.isEmpty(), "without faults 3PC is correct, so the violation needs at least one partition");
                Outcome again = CommitRun.run(s.withScript(shrunk));
                assertEquals("agreement", again.violations().get(0).property(), "the shrunk schedule must still split the decision");
                return;
            }
        }
        fail("no seed in 1.." + SEEDS + " split 3PC's decision under partitions: the checker or the nemesis is too weak");
    }
}
