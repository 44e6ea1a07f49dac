package io.github.dsw.bench.raft;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.dsw.bench.raft.RaftExperiments.Links;
import io.github.dsw.bench.raft.RaftExperiments.Result;
import io.github.dsw.bench.raft.RaftExperiments.Setup;
import io.github.dsw.model.QuorumLatency;
import io.github.dsw.sim.Latency;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tiny configurations of each experiment, checked against properties that follow from Raft's rules and
 * the model's derivation, never against earlier output and never against wall-clock time.
 */
class RaftExperimentsTest {

    /** Every operation of the workload is committed exactly once: no faults, so nothing is lost or doubled. */
    private static void assertAllCommitted(Setup s, Result r) {
        assertEquals(s.ops(), r.commands(), s + ": committed commands");
    }

    @Test
    void constantLinksCommitInExactlyOneRoundTripAsTheModelSays() {
        // With a constant one-way delay d every follower answers after exactly 2d, so the k-th answer too.
        for (int n : new int[] {3, 5}) {
            for (Links links : Links.values()) {
                Setup s = new Setup(1, n, new Latency.Constant(1_000_000), links, 4, 200, 8, 1);
                Result r = RaftExperiments.simulate(s);
                assertAllCommitted(s, r);
                assertTrue(r.commitNs().length >= 150, s + ": steady-state entries " + r.commitNs().length);
                for (long v : r.commitNs()) {
                    assertEquals(2_000_000, v, s.toString());
                }
                assertEquals(0, r.rejections(), "constant delay keeps order: " + s);
                // 4 clients, window 8: the window is never full, so every entry leaves in the step that appends it
                assertArrayEquals(r.commitNs(), r.fromSendNs(), s.toString());
            }
        }
    }

    @Test
    void fsyncAddsTwiceItsDurationAndTheTickLengthDoesNotMatter() {
        // Persist before send: the leader's fsync before its AppendEntries leave, the follower's before it
        // answers; with one client nothing queues behind another fsync, so commit = 2 d + 2 f exactly.
        Setup s = new Setup(2, 5, new Latency.Constant(1_000_000), Links.FIFO, 1, 100, 8, 1);
        for (long tick : new long[] {1_000_000, 10_000_000}) {
            Result r = RaftExperiments.simulate(s, 150_000, tick);
            assertAllCommitted(s, r);
            assertTrue(r.commitNs().length >= 90, "tick " + tick + ": entries " + r.commitNs().length);
            for (long v : r.commitNs()) {
                assertEquals(2_000_000 + 2 * 150_000, v, "tick " + tick);
            }
        }
    }

    @Test
    void fifoLinksAreNeverFasterThanTheOrderStatisticModel() {
        long seed = 5;
        var uniform = RaftExperiments.DISTS.get(1);
        Setup s = new Setup(seed, 5, uniform.latency(), Links.FIFO, 8, 1500, 8, 1);
        Result r = RaftExperiments.simulate(s);
        assertAllCommitted(s, r);
        assertEquals(0, r.rejections(), "in-order delivery never fails the consistency check, seed=" + seed);
        // Hard floor: every round trip is at least 2 x 0.5 ms.
        for (long v : r.commitNs()) {
            assertTrue(v >= 1_000_000, "seed=" + seed + ": commit " + v + " ns below two minimal one-way delays");
        }
        // Stochastic dominance (see the class comment of RaftExperiments): each percentile at least the model's,
        // with 3% for sampling error. Round trip = sum of two Uniform(0.5, 1.5) ms: triangular on [1, 3] ms.
        DoubleUnaryOperator triangular = t -> {
            double x = t / 1e6 - 1;
            return x <= 0 ? 0 : x >= 2 ? 1 : x <= 1 ? x * x / 2 : 1 - (2 - x) * (2 - x) / 2;
        };
        var h = RaftExperiments.Sample.of(r.commitNs());
        for (double p : new double[] {0.1, 0.5, 0.9}) {
            double model = QuorumLatency.kthQuantile(triangular, 4, 2, p, 0, 10e6);
            assertTrue(h.getValueAtPercentile(100 * p) >= 0.97 * model,
                    "seed=" + seed + ", p=" + p + ": simulated " + h.getValueAtPercentile(100 * p) + " ns < model " + model + " ns");
        }
    }

    @Test
    void moreWindowOrBiggerBatchesNeverLowerVirtualThroughputUnderTheSameLoad() {
        long seed = 11;
        Latency link = new Latency.LogNormal(1_000_000, 0.3);
        Setup base = new Setup(seed, 5, link, Links.FIFO, 50, 1500, 1, 1);
        Result w1 = RaftExperiments.simulate(base);
        Result w4 = RaftExperiments.simulate(new Setup(seed, 5, link, Links.FIFO, 50, 1500, 4, 1));
        Result b8 = RaftExperiments.simulate(new Setup(seed, 5, link, Links.FIFO, 50, 1500, 1, 8));
        for (Result r : List.of(w1, w4, b8)) {
            assertAllCommitted(base, r);
        }
        // window 1, batch 1: one entry per follower round trip at most, so the run lasts at least ~1500 x 1 ms
        assertTrue(w1.virtualNs() >= 1500 * 1_000_000L * 0.5, "seed=" + seed + ": window 1 batch 1 too fast: " + w1.virtualNs());
        assertTrue(w4.virtualNs() <= w1.virtualNs(), "seed=" + seed + ": window 4 slower than window 1");
        assertTrue(b8.virtualNs() <= w1.virtualNs(), "seed=" + seed + ": batch 8 slower than batch 1");
        // batching really happens: fewer non-empty AppendEntries than entries x followers
        assertTrue(b8.appends() < 4L * b8.commands(), "seed=" + seed + ": appends " + b8.appends());
    }

    @Test
    void raftAndMultiPaxosAgreeOnConstantLinks() {
        // Both need one round trip to k followers; with constant delays both are exactly 2 ms.
        Result paxos = RaftExperiments.simulatePaxos(3, 5, new Latency.Constant(1_000_000), 4, 200, 8, 1);
        Result raft = RaftExperiments.simulate(new Setup(3, 5, new Latency.Constant(1_000_000), Links.RAW, 4, 200, 8, 1));
        assertEquals(200, paxos.commands());
        assertEquals(200, raft.commands());
        for (long v : paxos.commitNs()) {
            assertEquals(2_000_000, v, "paxos");
        }
        for (long v : raft.commitNs()) {
            assertEquals(2_000_000, v, "raft");
        }
    }

    @Test
    void latencyExperimentWritesItsTable(@TempDir Path dir) throws Exception {
        java.util.Map<String, String> summary = new java.util.LinkedHashMap<>();
        RaftExperiments.latency(dir, System.nanoTime(), summary, List.of(RaftExperiments.DISTS.get(0)), new int[] {3}, 200);
        List<String> lines = Files.readAllLines(dir.resolve("commit-latency.csv"));
        assertEquals(1 + Links.values().length * RaftExperiments.LATENCY_CLIENTS.length, lines.size(), lines.toString());
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split(",");
            assertEquals(f[8], f[13], "constant links: simulated p50 equals model p50 in " + line);
        }
    }
}
