package io.github.dsw.raft;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.github.dsw.sim.Nemesis;
import java.util.EnumSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Randomised runs over many seeds: the lab's churn and Figure 8 (unreliable) tests, and the simulator's
 * random nemesis with every fault kind. The properties are the paper's (Figure 3), checked after every
 * event by {@link RaftInvariants}, plus liveness once faults heal (the lab's final {@code one()}), plus
 * agreement of every server's applied log. Every failure names its seed. {@code -Ddsw.soak=true}
 * runs ten times more seeds.
 */
class RaftRandomizedTest {
    private static final boolean SOAK = Boolean.getBoolean("dsw.soak");

    private static void runSeed(long seed, Runnable body) {
        try {
            body.run();
        } catch (AssertionError | RuntimeException e) {
            throw new AssertionError("seed " + seed + ": " + e.getMessage(), e);
        }
    }

    /** After healing: a fresh command commits on every server, and all applied logs agree (nCommitted checks). */
    private static void finish(RaftCluster c) {
        c.heal();
        c.links(io.github.dsw.sim.LinkModel.reliable(new io.github.dsw.sim.Latency.LogNormal(1_000_000, 0.3)));
        for (int i = 0; i < c.n; i++) {
            c.sim.restart(i);
        }
        c.one(-c.seed - 1, c.n, true);
        c.run(500);
        long max = c.maxApplied();
        for (long index = 1; index <= max; index++) {
            c.nCommitted(index, null); // throws if two servers applied different entries
        }
        for (int i = 0; i < c.n; i++) {
            assertEquals(max, c.server(i).stateMachine().applied().size(), "server " + i + " caught up");
        }
    }

    @Test
    void randomNemesisEveryFaultKind() {
        int seeds = SOAK ? 20_000 : Integer.getInteger("dsw.raft.seeds", 1000);
        Set<Nemesis.Kind> all = EnumSet.allOf(Nemesis.Kind.class);
        long committed = 0;
        for (long seed = 1; seed <= seeds; seed++) {
            long s = seed;
            RaftCluster c = new RaftCluster(seed, seed % 2 == 0 ? 3 : 5);
            runSeed(seed, () -> {
                Nemesis.random(c.sim, all, 200 * RaftCluster.MS, 3_000 * RaftCluster.MS, 150 * RaftCluster.MS, 300 * RaftCluster.MS);
                for (int k = 0; k < 150; k++) {
                    c.run(20);
                    c.proposeAnywhere(s * 10_000 + k);
                }
                c.run(200); // the nemesis heals everything at 3 s
                finish(c);
            });
            committed += c.invariants.committedCount();
        }
        assertTrue(committed > seeds * 20L, "entries committed across the runs: " + committed);
    }

    @Test
    void reliableAndUnreliableChurn() {
        int seeds = SOAK ? 5000 : 200;
        for (long seed = 1; seed <= seeds; seed++) {
            long s = seed;
            boolean unreliable = seed % 2 == 0;
            RaftCluster c = new RaftCluster(1000 + seed, 5);
            runSeed(1000 + seed, () -> {
                if (unreliable) {
                    c.links(RaftCluster.unreliable());
                }
                Random r = new Random(s);
                for (int iter = 0; iter < 20; iter++) {
                    for (int k = 0; k < 5; k++) {
                        c.proposeAnywhere(s * 10_000 + iter * 10 + k);
                        c.run(5);
                    }
                    int victim = r.nextInt(5);
                    switch (r.nextInt(3)) {
                        case 0 -> c.sim.crash(victim);
                        case 1 -> c.sim.restart(victim);
                        default -> c.isolate(victim);
                    }
                    if (r.nextInt(3) == 0) {
                        c.heal();
                    }
                    // keep a majority up so progress is possible between rounds
                    int up = 0;
                    for (int i = 0; i < 5; i++) {
                        up += c.sim.isUp(i) ? 1 : 0;
                    }
                    for (int i = 0; i < 5 && up < 3; i++) {
                        if (!c.sim.isUp(i)) {
                            c.sim.restart(i);
                            up++;
                        }
                    }
                    c.run(r.nextInt(200));
                }
                finish(c);
            });
        }
    }

    @Test
    void figure8Unreliable() {
        // the lab's TestFigure8Unreliable3C: leaders crash often, links lose, duplicate and reorder
        int seeds = SOAK ? 5000 : 200;
        for (long seed = 1; seed <= seeds; seed++) {
            long s = seed;
            RaftCluster c = new RaftCluster(2000 + seed, 5);
            runSeed(2000 + seed, () -> {
                c.links(RaftCluster.unreliable());
                Random r = new Random(s);
                int up = 5;
                for (int iter = 0; iter < 40; iter++) {
                    int leader = -1;
                    for (int i = 0; i < 5; i++) {
                        RaftHost<AppliedLog, RaftMessage> srv = c.server(i);
                        if (srv != null && srv.propose(s * 10_000 + iter) instanceof Proposal.Accepted) {
                            leader = i;
                        }
                    }
                    c.run(r.nextInt(10) < 1 ? r.nextInt(150) : r.nextInt(15));
                    if (leader >= 0 && r.nextInt(2) == 0 && c.sim.isUp(leader)) {
                        c.sim.crash(leader);
                        up--;
                    }
                    if (up < 3) {
                        int k = r.nextInt(5);
                        if (!c.sim.isUp(k)) {
                            c.sim.restart(k);
                            up++;
                        }
                    }
                }
                finish(c);
            });
        }
    }

    /**
     * "Persist before answering", observed from outside: at checkpoints during a faulty run, every server
     * is cut off for 2 ms (isolated servers change no durable state, and in-flight fsyncs complete),
     * and what the simulator holds as durable must equal currentTerm, votedFor and the log in memory.
     */
    @Test
    void durableStateMatchesMemory() {
        int seeds = SOAK ? 1000 : 60;
        Set<Nemesis.Kind> kinds = EnumSet.of(Nemesis.Kind.CRASH, Nemesis.Kind.PARTITION, Nemesis.Kind.LOSS);
        for (long seed = 1; seed <= seeds; seed++) {
            long s = seed;
            RaftCluster c = new RaftCluster(3000 + seed, 3);
            runSeed(3000 + seed, () -> {
                Nemesis.random(c.sim, kinds, 100 * RaftCluster.MS, 2_000 * RaftCluster.MS, 100 * RaftCluster.MS, 200 * RaftCluster.MS);
                for (int k = 0; k < 100; k++) {
                    c.run(20); // also flushes the last proposal: a proposal goes out with its server's next event
                    if (k % 10 == 9) {
                        io.github.dsw.sim.Partition before = c.sim.partition();
                        c.split(java.util.List.of(java.util.List.of(0), java.util.List.of(1), java.util.List.of(2)));
                        c.run(2);
                        for (int i = 0; i < 3; i++) {
                            RaftHost<AppliedLog, RaftMessage> srv = c.server(i);
                            if (srv != null) {
                                checkDurable(c.sim.durable(i), srv.raft(), i);
                            }
                        }
                        c.sim.setPartition(before);
                    }
                    c.proposeAnywhere(s * 10_000 + k);
                }
            });
        }
    }

    private static void checkDurable(java.util.Map<String, Object> d, RaftNode r, int i) {
        assertEquals(r.currentTerm(), d.getOrDefault("term", 0L), "server " + i + " durable currentTerm");
        assertEquals(r.status().vote(), d.getOrDefault("vote", RaftNode.NONE), "server " + i + " durable votedFor");
        assertEquals(r.lastIndex(), d.getOrDefault("last", 0L), "server " + i + " durable log length");
        for (long index = 1; index <= r.lastIndex(); index++) {
            assertEquals(r.entry(index), d.get("e/" + index), "server " + i + " durable entry " + index);
        }
    }

    @Test
    void failureMessageNamesTheSeed() {
        try {
            runSeed(77, () -> fail("boom"));
            fail("expected an AssertionError");
        } catch (AssertionError e) {
            assertTrue(e.getMessage().startsWith("seed 77: boom"), e.getMessage());
        }
    }
}
