package io.github.dsw.zab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.dsw.sim.Partition;
import io.github.dsw.sim.SimConfig;
import io.github.dsw.sim.Simulator;
import io.github.dsw.sim.Trace;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Chapter 13, exercise 5: TRUNC in a run of the simulator. The leader of epoch 1 is cut off from its followers, takes
 * a write and logs it as ⟨1,2⟩ (durably: its PROPOSAL is lost on the partition), and crashes. The two others elect a
 * leader of epoch 2, which commits another write as ⟨2,1⟩. The old leader restarts with ⟨1,1⟩ ⟨1,2⟩: the new leader
 * holds ⟨1,1⟩ but not ⟨1,2⟩, so by the rule that two histories holding a zxid agree up to it the old leader must be cut
 * back to ⟨1,1⟩ and given ⟨2,1⟩..: a NEWLEADER in TRUNC mode, never DIFF (it would keep ⟨1,2⟩) nor SNAP (correct but
 * the whole history). Counted from the trace's delivered messages; the expected zxids follow from the script, not
 * from the code. Zab's invariants are checked after every event meanwhile.
 */
class ZabTruncScenarioTest {

    static final long MS = 1_000_000;

    @Test
    void aRestartedLeaderWithAnUncommittedProposalIsSynchronisedByTrunc() {
        for (long seed = 1; seed <= 5; seed++) {
            run(seed);
        }
    }

    private static void run(long seed) {
        List<String> lines = new ArrayList<>();
        SimConfig config = SimConfig.defaults(seed, 3).withTrace(Trace.Level.LINES, false);
        Simulator<ZabMessage> sim = new Simulator<>(config, id -> new ZabKvServer(ZabKvRun.TICK_NS, ZabKvServer.ReadMode.SYNC, Mutation.NONE),
                lines::add);
        ZabKvRun.watch(sim, 3);
        int[] oldLeader = {-1};
        int[] rr = {0};
        ScriptedZabClient client = new ScriptedZabClient(() -> {
            if (sim.now() < 1500 * MS) { // before the cut: the leader; then the old leader; then anyone else, in turn
                return leader(sim);
            }
            if (sim.now() < 1600 * MS) {
                return oldLeader[0];
            }
            rr[0] = (rr[0] + 1) % 3;
            return rr[0] == oldLeader[0] ? (rr[0] + 1) % 3 : rr[0];
        });
        client.write(1000 * MS, "x", 1, true).write(1550 * MS, "x", 2, false).write(2000 * MS, "x", 3, true);
        sim.addClient(client);
        String where = "seed " + seed;
        sim.schedule(1500 * MS, () -> {
            oldLeader[0] = leader(sim);
            sim.setPartition(Partition.isolate(3, oldLeader[0]));
        });
        sim.schedule(1560 * MS, () -> sim.crash(oldLeader[0]));
        sim.schedule(3000 * MS, () -> {
            sim.setPartition(Partition.none(3));
            sim.restart(oldLeader[0]);
        });
        sim.runUntil(4000 * MS);

        int old = oldLeader[0];
        assertTrue(old >= 0, where + ": no leader at 1.5 s");
        // the old leader logged ⟨1,2⟩ before it crashed (the write to it was proposed, not committed)
        assertTrue(lines.stream().anyMatch(l -> l.contains(" O " + old + " Proposed[epoch=1, txn=Txn[zxid=" + new Zxid(1, 2))),
                where + ": the old leader " + old + " never proposed <1,2>");
        int truncs = 0;
        int others = 0;
        for (String l : lines) { // "<ns> D <from>><to> <message>"
            String[] f = l.split(" ", 4);
            if (f.length == 4 && f[1].equals("D") && f[2].endsWith(">" + old) && f[3].startsWith("NewLeader")
                    && Long.parseLong(f[0]) >= 3000 * MS) {
                if (f[3].contains("mode=TRUNC") && f[3].contains("base=" + new Zxid(1, 1))) {
                    truncs++;
                } else {
                    others++;
                }
            }
        }
        assertTrue(truncs >= 1, where + ": the restarted leader " + old + " got no TRUNC to <1,1> (other NEWLEADERs: " + others + "); "
                + "messages to it after the restart: " + lines.stream().filter(l -> l.contains(" D ") && l.contains(">" + old + " "))
                        .filter(l -> Long.parseLong(l.split(" ")[0]) >= 3000 * MS).limit(12).toList()
                + ", its state " + ZabKvRun.zabOf(sim, old));
        assertEquals(0, others, where + ": the restarted leader got a NEWLEADER other than TRUNC to <1,1>");
        ZabKvServer s = (ZabKvServer) sim.node(old);
        assertEquals(3L, s.read("x"), where + ": after TRUNC the old leader's store must hold the committed write, not its own");
        assertTrue(s.zab().history().stream().noneMatch(t -> t.zxid().equals(new Zxid(1, 2))), where + ": <1,2> is still in its history");
        assertTrue(client.answers.containsKey(1L) && client.answers.containsKey(3L), where + ": writes 1 and 3 must complete");
        assertTrue(!client.answers.containsKey(2L), where + ": the cut-off write must never be acknowledged");
    }

    private static int leader(Simulator<ZabMessage> sim) {
        for (int i = 0; i < 3; i++) {
            ZabNode z = ZabKvRun.zabOf(sim, i);
            if (z != null && z.state() == ZabMessage.ServerState.LEADING && z.serving()) {
                return i;
            }
        }
        return -1;
    }
}
