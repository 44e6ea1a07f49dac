package io.github.dsw.zab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.dsw.check.LinearizabilityChecker;
import io.github.dsw.sim.SimConfig;
import io.github.dsw.sim.Simulator;
import io.github.dsw.sim.Trace;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Snapshots and log compaction in {@link ZabKvServer} / {@link ZabNode#compact}: a follower that was down while the
 * leader compacted past it catches up by SNAP from the leader's snapshot; servers that all crash recover from their
 * snapshot and the log after it; and over random fault schedules with frequent snapshots every Zab property holds
 * after every event (a snapshot must hold a prefix of the one delivered sequence: {@link ZabInvariants}) and every
 * history is linearizable. Expected store values come from the scripts (the last value written), not from the code.
 * A failure names the seed (and, for the random schedules, the replay command).
 */
class ZabSnapshotTest {

    static final long MS = 1_000_000;
    static final int WRITES = 40;

    @Test
    void aFollowerBehindTheLeadersLogCatchesUpBySnapAndAllServersRecoverFromSnapshotAndLog() {
        for (long seed = 1; seed <= 3; seed++) {
            String where = "seed " + seed;
            List<String> lines = new ArrayList<>();
            SimConfig config = SimConfig.defaults(seed, 3).withTrace(Trace.Level.LINES, false);
            Simulator<ZabMessage> sim = new Simulator<>(config,
                    id -> new ZabKvServer(ZabKvRun.TICK_NS, ZabKvServer.ReadMode.SYNC, Mutation.NONE, 1, ZabNode.DEFAULT_WINDOW, 5), lines::add);
            ZabKvRun.watch(sim, 3);
            List<Object>[] outputs = newOutputs();
            sim.onOutput((node, event) -> outputs[node].add(event));
            int[] down = {-1};
            int[] rr = {0};
            ScriptedZabClient client = new ScriptedZabClient(() -> {
                rr[0] = (rr[0] + 1) % 3;
                return rr[0] == down[0] ? (rr[0] + 1) % 3 : rr[0];
            });
            for (int i = 1; i <= WRITES; i++) {
                client.write(600 * MS + i * 15 * MS, i % 2 == 0 ? "x" : "y", i, true);
            }
            client.write(4000 * MS, "x", 1000, true);
            sim.addClient(client);
            sim.schedule(500 * MS, () -> {
                down[0] = follower(sim);
                sim.crash(down[0]);
            });
            sim.schedule(2500 * MS, () -> {
                sim.restart(down[0]);
                down[0] = -1;
            });
            sim.schedule(3200 * MS, () -> {
                for (int i = 0; i < 3; i++) {
                    outputs[i].clear();
                    sim.crash(i);
                }
            });
            sim.schedule(3300 * MS, () -> {
                for (int i = 0; i < 3; i++) {
                    sim.restart(i);
                }
            });
            sim.runUntil(5000 * MS);

            for (long id = 1; id <= WRITES + 1; id++) {
                assertTrue(client.answers.containsKey(id), where + ": write " + id + " never completed");
            }
            // the follower that was down got the leader's snapshot (it held nothing the leader's log still reaches)
            assertTrue(lines.stream().anyMatch(l -> l.contains(" D ") && l.contains("NewLeaderSnapshot[")), where + ": no SNAP from a snapshot");
            for (int i = 0; i < 3; i++) {
                ZabKvServer s = (ZabKvServer) sim.node(i);
                // after the crash of all three: each booted from its snapshot, delivering only what follows it
                assertTrue(outputs[i].size() >= 2 && outputs[i].get(0) instanceof ZabNode.Booted
                        && outputs[i].get(1) instanceof ZabNode.Compacted c && c.snapshotIndex() >= 5,
                        where + ": server " + i + " did not boot from a snapshot: " + outputs[i].subList(0, Math.min(3, outputs[i].size())));
                assertEquals(1000L, s.read("x"), where + ": server " + i + " lost the last write to x");
                assertEquals((long) (WRITES - 1), s.read("y"), where + ": server " + i + " lost the last write to y");
                assertTrue(s.zab().logBase() > 0, where + ": server " + i + " never compacted its log");
                assertTrue(s.zab().history().size() < WRITES, where + ": server " + i + " keeps " + s.zab().history().size() + " transactions");
            }
        }
    }

    @Test
    void frequentSnapshotsKeepZabPropertiesAndLinearizabilityOverRandomFaultSchedules() {
        int seeds = Boolean.getBoolean("dsw.soak") ? 1000 : 200;
        long snaps = 0;
        for (long seed = 1; seed <= seeds; seed++) {
            ZabKvRun.Settings s = ZabKvLinearizabilityTest.schedule(seed).withSnapshotEvery(2 + (int) (seed % 9))
                    .withBatch(seed % 3 == 0 ? 4 : 1).withTraceLevel(Trace.Level.COUNTS);
            ZabKvRun.Outcome o = ZabKvLinearizabilityTest.runChecked(s);
            assertTrue(o.verdict().outcome() == LinearizabilityChecker.Outcome.LINEARIZABLE,
                    "seed " + seed + ": " + o.verdict().describe() + "\nreplay: " + s.replayCommand());
            Trace.Counts c = o.trace().messageCounts().get("NewLeaderSnapshot");
            snaps += c == null ? 0 : c.delivered();
        }
        System.out.printf("zab-kv with snapshots: %d schedules, %d SNAPs from a snapshot delivered%n", seeds, snaps);
        assertTrue(snaps > 0, "no follower was ever synchronised from a snapshot in " + seeds + " runs");
    }

    @SuppressWarnings("unchecked")
    private static List<Object>[] newOutputs() {
        List<Object>[] o = new List[3];
        for (int i = 0; i < 3; i++) {
            o[i] = new ArrayList<>();
        }
        return o;
    }

    private static int follower(Simulator<ZabMessage> sim) {
        for (int i = 0; i < 3; i++) {
            ZabNode z = ZabKvRun.zabOf(sim, i);
            if (z != null && z.state() == ZabMessage.ServerState.FOLLOWING) {
                return i;
            }
        }
        return 0;
    }
}
