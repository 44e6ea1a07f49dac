package io.github.dsw.lease;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.github.dsw.lease.LockRun.ClientFault;
import io.github.dsw.lease.LockRun.Settings;
import io.github.dsw.lease.LockRun.Variant;
import io.github.dsw.sim.Nemesis;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The lock service under simulated faults: over 1,000 fault schedules each (more with {@code -Ddsw.soak=true}),
 * mutual exclusion and fenced writes hold with server faults, and fenced writes hold with client pauses and slow
 * clocks; without fencing the same pauses are caught. A failure prints the command that replays the seed.
 */
class LockRunTest {

    static final int SEEDS = Boolean.getBoolean("dsw.soak") ? 10_000 : 1_000;
    static final Set<Nemesis.Kind> SERVER_FAULTS = Set.of(Nemesis.Kind.CRASH, Nemesis.Kind.PARTITION, Nemesis.Kind.PAUSE, Nemesis.Kind.LOSS,
            Nemesis.Kind.SKEW);
    static final Set<ClientFault> CLIENT_FAULTS = Set.of(ClientFault.GC, ClientFault.SLOW_CLOCK);

    @Test
    void mutualExclusionAndFencedWritesHoldUnderServerFaults() {
        for (long seed = 1; seed <= SEEDS; seed++) {
            Settings s = new Settings(seed, Variant.SERVICE, 2, 3, SERVER_FAULTS, Set.of());
            LockRun.Outcome o = LockRun.run(s);
            if (!o.mutualExclusion().holds() || !o.fencedWrites().holds() || !o.completed()) {
                fail("seed=" + seed + " (replay: " + s.replayCommand() + ")\n" + o.summary());
            }
        }
    }

    /** Kleppmann's pause: no lease-based lock keeps holders apart in real time, but the fenced resource refuses the stale holder. */
    @Test
    void fencingKeepsTheResourceSafeWhenHoldersPauseAndTheUnfencedServiceIsCaught() {
        int exclusionBroken = 0;
        int rejected = 0;
        for (long seed = 1; seed <= SEEDS; seed++) {
            Settings s = new Settings(seed, Variant.SERVICE, 2, 3, Set.of(), CLIENT_FAULTS);
            LockRun.Outcome o = LockRun.run(s);
            if (!o.fencedWrites().holds() || o.staleAccepted() != 0) {
                fail("seed=" + seed + " (replay: " + s.replayCommand() + ")\n" + o.summary());
            }
            exclusionBroken += o.mutualExclusion().holds() ? 0 : 1;
            rejected += o.rejected();
        }
        assertTrue(exclusionBroken > 0, "client pauses past the lease should make two clients believe they hold the lock at once");
        assertTrue(rejected > 0, "the fenced resource should have refused some stale writes");
        int caught = 0;
        for (long seed = 1; seed <= 100; seed++) {
            LockRun.Outcome o = LockRun.run(new Settings(seed, Variant.SERVICE_UNFENCED, 2, 3, Set.of(), CLIENT_FAULTS));
            caught += o.fencedWrites().holds() ? 0 : 1;
        }
        assertTrue(caught > 0, "without fencing the checker must find a lost update in some of 100 seeds");
    }

    /** The seeds' lock: a stale holder's DEL frees the lock under the next holder, and the writes get out of order. */
    @Test
    void theNaiveRedisLockLosesUpdatesUnderPauses() {
        int caught = 0;
        for (long seed = 1; seed <= 100; seed++) {
            LockRun.Outcome o = LockRun.run(new Settings(seed, Variant.NAIVE, 2, 3, Set.of(), Set.of(ClientFault.GC)));
            caught += o.fencedWrites().holds() ? 0 : 1;
        }
        assertTrue(caught > 0);
    }

    @Test
    void aSeedReplaysTheSameHistory() {
        Settings s = new Settings(42, Variant.SERVICE, 3, 3, SERVER_FAULTS, CLIENT_FAULTS);
        assertEquals(LockRun.run(s).history(), LockRun.run(s).history());
    }
}
