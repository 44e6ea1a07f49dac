package io.github.dsw.raft;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.dsw.check.History;
import io.github.dsw.check.HistoryEvent;
import io.github.dsw.check.LinearizabilityChecker;
import io.github.dsw.sim.LinkModel;
import io.github.dsw.sim.Latency;
import io.github.dsw.sim.Nemesis;
import io.github.dsw.sim.SimConfig;
import io.github.dsw.sim.Simulator;
import io.github.dsw.sim.Trace;
import io.github.dsw.sim.Workload;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The snapshot scenarios of the MIT 6.5840 Raft lab (part 3D: TestSnapshotBasic3D, TestSnapshotInstall3D,
 * TestSnapshotInstallUnreliable3D, TestSnapshotInstallCrash3D, TestSnapshotAllCrash3D,
 * TestSnapshotInit3D, as summarised in /work/shared/notes/consensus.md section 2.1: snapshot every 10
 * applies, a victim disconnected or crashed for 5-14 commands per round), a crash in the middle of a
 * chunked InstallSnapshot, and randomized runs with compaction on under every nemesis. The paper's
 * four properties (Figure 3) are checked after every event, with each snapshot and each restored state
 * compared with the encoding of the committed prefix ({@link RaftInvariants}); the expectations are the
 * lab's (every server applies the same sequence, the log stays bounded, the index never goes back) and
 * the protocol's (a lagging follower gets the state by InstallSnapshot; a crash loses a partial snapshot,
 * so the transfer starts again from offset 0). {@code -Ddsw.soak=true} runs ten times more seeds.
 */
class RaftSnapshotTest {
    private static final boolean SOAK = Boolean.getBoolean("dsw.soak");
    /** The lab's SnapShotInterval: a snapshot every 10 applied entries. */
    private static final int EVERY = 10;

    private static RaftCluster cluster(long seed, int n, int chunkBytes, int every) {
        return new RaftCluster(seed, n, id -> RaftConfig.builder(id, n).electionTicks(10, 19).heartbeatTicks(2).snapshotChunkBytes(chunkBytes).build(), every);
    }

    private static void runSeed(long seed, Runnable body) {
        try {
            body.run();
        } catch (AssertionError | RuntimeException e) {
            throw new AssertionError("seed " + seed + ": " + e.getMessage(), e);
        }
    }

    /** Every live server applied the same sequence, as long as the longest (nCommitted throws on a disagreement). */
    private static void assertSameState(RaftCluster c) {
        long max = c.maxApplied();
        for (long index = 1; index <= max; index++) {
            c.nCommitted(index, null);
        }
        List<LogEntry> reference = null;
        for (int i = 0; i < c.n; i++) {
            RaftHost<AppliedLog, RaftMessage> s = c.server(i);
            if (s != null) {
                if (reference == null) {
                    reference = List.copyOf(s.stateMachine().applied());
                }
                assertEquals(reference, s.stateMachine().applied(), "server " + i + "'s state machine (seed " + c.seed + ")");
            }
        }
    }

    @Test
    void snapshotBasic() {
        // TestSnapshotBasic3D: all servers up; the log stays short because every server compacts
        RaftCluster c = cluster(1, 3, 64, EVERY);
        long[] maxLog = {0};
        c.sim.afterEachEvent(() -> maxLog[0] = Math.max(maxLog[0], c.maxLogLength()));
        c.one(c.freshCommand(), 3, true);
        for (int round = 0; round < 30; round++) {
            for (int k = 0; k < 5 + round % 10; k++) { // 5-14 commands per round, as in the lab
                c.one(c.freshCommand(), 3, true);
            }
        }
        long committed = c.invariants.committedCount();
        assertTrue(committed > 280, "committed " + committed);
        // policy: compact when 10 entries were applied since the snapshot, at the next step; one() keeps
        // at most one command (plus a leader's no-op) uncommitted: the log never exceeds 2 x 10 entries
        assertTrue(maxLog[0] <= 2 * EVERY, "longest in-memory log " + maxLog[0] + " entries after " + committed + " commits");
        for (int i = 0; i < 3; i++) {
            assertTrue(c.server(i).raft().snapshotIndex() >= committed - 2 * EVERY, "server " + i + " compacted");
        }
        assertTrue(c.invariants.snapshotsChecked() >= 3 * (committed / EVERY - 2), "snapshots checked " + c.invariants.snapshotsChecked());
        c.run(200);
        assertSameState(c);
    }

    /**
     * The lab's snapcommon(disconnect, reliable, crash): each round the victim (a follower, or every
     * third round the leader) is cut off or crashed while 5-14 commands commit, then comes back and
     * must catch up; the leader has compacted past its log, so it needs InstallSnapshot.
     */
    private static RaftCluster snapcommon(long seed, boolean disconnect, boolean reliable, boolean crash) {
        int n = 3;
        RaftCluster c = cluster(seed, n, 64, EVERY);
        if (!reliable) {
            c.links(RaftCluster.unreliable());
        }
        Random r = new Random(seed);
        c.one(c.freshCommand(), n, true);
        int leader1 = c.checkOneLeader();
        long installedByVictims = 0;
        for (int i = 0; i < 30; i++) {
            int victim = (leader1 + 1) % n;
            int sender = leader1;
            if (i % 3 == 1) {
                sender = (leader1 + 1) % n;
                victim = leader1;
            }
            if (disconnect) {
                c.isolate(victim);
                c.one(c.freshCommand(), n - 1, true);
            }
            if (crash) {
                c.sim.crash(victim);
                c.one(c.freshCommand(), n - 1, true);
            }
            int nn = EVERY / 2 + r.nextInt(EVERY);
            RaftHost<AppliedLog, RaftMessage> s = c.server(sender);
            for (int k = 0; k < nn && s != null; k++) {
                s.propose(c.freshCommand()); // -1 if the sender does not lead: the lab ignores it too
            }
            c.one(c.freshCommand(), disconnect || crash ? n - 1 : n, true);
            if (disconnect) {
                long before = c.server(victim).raft().status().snapshotsInstalled();
                c.heal();
                c.one(c.freshCommand(), n, true);
                installedByVictims += c.server(victim).raft().status().snapshotsInstalled() - before;
                leader1 = c.checkOneLeader();
            }
            if (crash) {
                c.sim.restart(victim);
                c.one(c.freshCommand(), n, true);
                installedByVictims += c.server(victim).raft().status().snapshotsInstalled();
                leader1 = c.checkOneLeader();
            }
        }
        c.run(500);
        assertSameState(c);
        if (disconnect || crash) {
            assertTrue(installedByVictims > 0, "victims installed snapshots from the leader: " + installedByVictims + " (seed " + seed + ")");
            assertTrue(c.installSnapshotsDelivered() > 0);
        }
        return c;
    }

    @Test
    void snapshotInstall() {
        snapcommon(11, true, true, false);
    }

    @Test
    void snapshotInstallUnreliable() {
        RaftCluster c = snapcommon(12, true, false, false);
        Trace.Counts dup = c.sim.trace().messageCounts().get("InstallSnapshot");
        assertTrue(dup.dropped() > 0 || dup.duplicated() > 0, "the unreliable network did drop or duplicate chunks: " + dup);
    }

    @Test
    void snapshotInstallCrash() {
        snapcommon(13, false, true, true);
    }

    @Test
    void snapshotInstallUnCrash() {
        snapcommon(14, false, false, true);
    }

    /**
     * A follower crashes in the middle of a chunked InstallSnapshot (after it buffered 5 chunks):
     * its partial snapshot was volatile, so it restarts with its old durable state, answers the
     * leader's next chunk with "offset 0", receives the whole snapshot again and catches up.
     */
    @Test
    void crashDuringChunkedInstall() {
        int chunk = 16;
        RaftCluster c = cluster(21, 3, chunk, EVERY);
        int leader = c.checkOneLeader();
        c.one(c.freshCommand(), 3, true);
        int victim = (leader + 1) % 3;
        c.isolate(victim);
        for (int k = 0; k < 60; k++) {
            c.one(c.freshCommand(), 2, true);
        }
        c.run(100); // the leader compacts after its last applies
        Snapshot sent = c.server(leader).raft().snapshot();
        long chunks = (sent.size() + chunk - 1) / chunk;
        assertTrue(chunks > 20, "the snapshot takes " + chunks + " chunks");
        long oldDurable = durableSnapshotIndex(c, victim);
        assertTrue(oldDurable < sent.index());
        boolean[] crashed = {false};
        c.sim.afterEachEvent(() -> {
            RaftHost<AppliedLog, RaftMessage> v = c.server(victim);
            if (!crashed[0] && v != null && v.raft().status().incomingSnapshotBytes() >= 5L * chunk) {
                crashed[0] = true;
                c.sim.crash(victim);
            }
        });
        long deliveredBefore = c.installSnapshotsDelivered();
        c.heal();
        c.run(2_000);
        assertTrue(crashed[0], "the victim received 5 chunks and crashed");
        assertEquals(oldDurable, durableSnapshotIndex(c, victim), "a partial snapshot is never durable");
        c.sim.restart(victim);
        c.run(1);
        assertEquals(0, c.server(victim).raft().status().incomingSnapshotBytes(), "restarted without the partial snapshot");
        c.one(c.freshCommand(), 3, true);
        RaftNode v = c.server(victim).raft();
        assertEquals(1, v.status().snapshotsInstalled(), "caught up through a snapshot");
        assertTrue(v.snapshotIndex() >= sent.index());
        // 5 chunks before the crash, then the whole snapshot again from offset 0
        long delivered = c.installSnapshotsDelivered() - deliveredBefore;
        assertTrue(delivered >= 5 + chunks, "InstallSnapshot messages delivered " + delivered + ", snapshot of " + chunks + " chunks");
        // one chunk in flight on a reliable network: each chunk is delivered about once (plus the one the
        // restarted follower answers with offset 0, and a few heartbeat resends while answers were in flight)
        assertTrue(delivered <= 5 + chunks + 6, "InstallSnapshot messages delivered " + delivered + ", snapshot of " + chunks + " chunks");
        c.run(200);
        assertSameState(c);
    }

    private static long durableSnapshotIndex(RaftCluster c, int i) {
        Object s = c.sim.durable(i).get("snap");
        return s == null ? 0 : ((Snapshot) s).index();
    }

    /**
     * TestSnapshotAllCrash3D and TestSnapshotInit3D: every server crashes and restarts from its snapshot
     * and log; the state machines are rebuilt from the snapshots (checked against the committed prefix),
     * no committed index is lost, and new commands go after the old ones.
     */
    @Test
    void allServersCrashAndRestartFromSnapshots() {
        for (boolean reliable : new boolean[] {true, false}) {
            RaftCluster c = cluster(reliable ? 31 : 32, 3, 64, EVERY);
            if (!reliable) {
                c.links(RaftCluster.unreliable());
            }
            Random r = new Random(31);
            c.one(c.freshCommand(), 3, true);
            for (int iter = 0; iter < 5; iter++) {
                int nn = EVERY / 2 + r.nextInt(EVERY);
                for (int k = 0; k < nn; k++) {
                    c.one(c.freshCommand(), 3, true);
                }
                long index1 = c.one(c.freshCommand(), 3, true);
                c.run(50); // next steps compact
                long[] snap = new long[3];
                for (int i = 0; i < 3; i++) {
                    snap[i] = c.server(i).raft().snapshotIndex();
                    c.sim.crash(i);
                }
                long checked = c.invariants.snapshotsChecked();
                for (int i = 0; i < 3; i++) {
                    c.sim.restart(i);
                }
                c.run(1);
                for (int i = 0; i < 3; i++) {
                    RaftHost<AppliedLog, RaftMessage> s = c.server(i);
                    assertTrue(snap[i] > 0, "server " + i + " had compacted");
                    assertEquals(snap[i], s.raft().snapshotIndex(), "server " + i + " restarted from its durable snapshot");
                    assertTrue(s.stateMachine().applied().size() >= snap[i], "server " + i + " restored its state machine from the snapshot");
                }
                assertTrue(c.invariants.snapshotsChecked() >= checked + 3, "restored states checked against the committed prefix");
                long index2 = c.one(c.freshCommand(), 3, true);
                assertTrue(index2 > index1, "index went back from " + index1 + " to " + index2);
            }
            c.run(300);
            assertSameState(c);
        }
    }

    @Test
    void snapshotAfterEveryEntry() {
        // the dissertation (5.1.3) recommends snapshotting after every applied entry while developing
        RaftCluster c = cluster(41, 5, 8, 1);
        c.one(c.freshCommand(), 5, true);
        for (int k = 0; k < 40; k++) {
            if (k % 10 == 3) {
                c.isolate(k % 5);
            }
            if (k % 10 == 8) {
                c.heal();
            }
            c.one(c.freshCommand(), 3, true);
        }
        c.heal();
        c.one(c.freshCommand(), 5, true);
        c.run(300);
        assertTrue(c.maxLogLength() <= 2, "log " + c.maxLogLength());
        assertTrue(c.installSnapshotsDelivered() > 0);
        assertSameState(c);
    }

    @Test
    void stateMachineSafetyCatchesAWrongRestoredState() {
        RaftCluster c = cluster(51, 3, 64, EVERY);
        for (int k = 0; k < 15; k++) {
            c.one(c.freshCommand(), 3, true);
        }
        List<LogEntry> prefix = new ArrayList<>();
        for (long i = 1; i <= 12; i++) {
            prefix.add(c.invariants.committedAt(i));
        }
        LogEntry last = prefix.get(11);
        byte[] right = AppliedLog.encodeSnapshot(prefix);
        c.invariants.restored(0, new SnapshotMeta(12, last.term()), right); // the committed prefix: accepted
        List<LogEntry> wrong = new ArrayList<>(prefix);
        wrong.set(5, new LogEntry(prefix.get(5).term(), -1L));
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> c.invariants.restored(0, new SnapshotMeta(12, last.term()), AppliedLog.encodeSnapshot(wrong)));
        assertTrue(e.getMessage().startsWith("State Machine Safety"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> c.invariants.restored(0, new SnapshotMeta(12, last.term() + 1), right),
                "wrong term at the snapshot's index");
        assertThrows(IllegalStateException.class, () -> c.invariants.restored(0, new SnapshotMeta(1000, last.term()), right),
                "a snapshot beyond what was committed");
    }

    /** After healing: a fresh command commits everywhere and every server applied the same sequence. */
    private static void finish(RaftCluster c) {
        c.heal();
        c.links(LinkModel.reliable(new Latency.LogNormal(1_000_000, 0.3)));
        for (int i = 0; i < c.n; i++) {
            c.sim.restart(i);
        }
        c.one(-c.seed - 1, c.n, true);
        c.run(500);
        assertSameState(c);
        for (int i = 0; i < c.n; i++) {
            assertEquals(c.maxApplied(), c.server(i).stateMachine().applied().size(), "server " + i + " caught up");
        }
    }

    @Test
    void randomNemesisWithCompaction() {
        int seeds = SOAK ? 2000 : 150;
        Set<Nemesis.Kind> all = EnumSet.allOf(Nemesis.Kind.class);
        int[] every = {1, 2, 3, 5, 10};
        int[] chunks = {8, 32, 256};
        long installs = 0;
        for (long seed = 1; seed <= seeds; seed++) {
            long s = seed;
            RaftCluster c = cluster(5000 + seed, seed % 2 == 0 ? 3 : 5, chunks[(int) (seed % 3)], every[(int) (seed % 5)]);
            runSeed(5000 + seed, () -> {
                Nemesis.random(c.sim, all, 200 * RaftCluster.MS, 3_000 * RaftCluster.MS, 150 * RaftCluster.MS, 300 * RaftCluster.MS);
                for (int k = 0; k < 150; k++) {
                    c.run(20);
                    c.proposeAnywhere(s * 10_000 + k);
                }
                c.run(200);
                finish(c);
            });
            installs += c.installSnapshotsDelivered();
        }
        assertTrue(installs > seeds, "InstallSnapshot messages delivered over " + seeds + " runs: " + installs);
    }

    /**
     * "Persist before answering" with snapshots: at checkpoints every server is cut off for 12 ms and what
     * is durable must equal memory: hard state, snapshot, log length and the entries after the snapshot.
     */
    @Test
    void durableStateMatchesMemoryWithSnapshots() {
        int seeds = SOAK ? 500 : 40;
        Set<Nemesis.Kind> kinds = EnumSet.of(Nemesis.Kind.CRASH, Nemesis.Kind.PARTITION, Nemesis.Kind.LOSS);
        long[] checkpoints = {0};
        for (long seed = 1; seed <= seeds; seed++) {
            long s = seed;
            RaftCluster c = cluster(6000 + seed, 3, 32, 1 + (int) (seed % 4));
            runSeed(6000 + seed, () -> {
                Nemesis.random(c.sim, kinds, 100 * RaftCluster.MS, 2_000 * RaftCluster.MS, 100 * RaftCluster.MS, 200 * RaftCluster.MS);
                for (int k = 0; k < 100; k++) {
                    c.run(20);
                    if (k % 10 == 9) {
                        io.github.dsw.sim.Partition before = c.sim.partition();
                        io.github.dsw.sim.Partition alone = io.github.dsw.sim.Partition.split(3, List.of(List.of(0), List.of(1), List.of(2)));
                        c.sim.setPartition(alone);
                        c.run(12); // > one tick: a compaction of what was applied just before runs at the next tick, then its fsync
                        for (int i = 0; i < 3 && c.sim.partition() == alone; i++) { // skipped if the nemesis changed the partition meanwhile
                            RaftHost<AppliedLog, RaftMessage> srv = c.server(i);
                            if (srv != null) {
                                checkDurable(c.sim.durable(i), srv.raft(), i);
                                checkpoints[0]++;
                            }
                        }
                        c.sim.setPartition(before);
                    }
                    c.proposeAnywhere(s * 10_000 + k);
                }
            });
        }
        assertTrue(checkpoints[0] > seeds * 15L, "server checkpoints compared: " + checkpoints[0]);
    }

    private static void checkDurable(Map<String, Object> d, RaftNode r, int i) {
        assertEquals(r.currentTerm(), d.getOrDefault("term", 0L), "server " + i + " durable currentTerm");
        assertEquals(r.status().vote(), d.getOrDefault("vote", RaftNode.NONE), "server " + i + " durable votedFor");
        assertEquals(r.snapshot(), d.getOrDefault("snap", Snapshot.NONE), "server " + i + " durable snapshot");
        assertEquals(r.lastIndex(), d.getOrDefault("last", 0L), "server " + i + " durable log length");
        for (long index = r.snapshotIndex() + 1; index <= r.lastIndex(); index++) {
            assertEquals(r.entry(index), d.get("e/" + index), "server " + i + " durable entry " + index);
        }
    }

    // ------------------------------------------------------------------ key-value store with compaction

    /** installs: snapshots installed from a leader; restores: Restored events (installs and restarts). */
    private record KvOutcome(History history, LinearizabilityChecker.Result verdict, boolean completed, long installs, long restores) {
    }

    /**
     * One run of the key-value store ({@link KvService#server}) with compaction every {@code every} entries and
     * {@code chunkBytes}-byte chunks, in the shape of {@link RaftKvRun#run}: workload, random nemesis,
     * invariants after every event (snapshots compared with {@link KvStore#referenceSnapshot} of the
     * committed prefix), history judged by the linearizability checker.
     */
    private static KvOutcome runKv(long seed, int nodes, int every, int chunkBytes) {
        SimConfig config = SimConfig.defaults(seed, nodes).withTrace(Trace.Level.HASH, false);
        Simulator<KvMessage> sim = new Simulator<>(config, id -> KvService.server(
                RaftConfig.builder(id, nodes).electionTicks(10, 19).heartbeatTicks(2).snapshotChunkBytes(chunkBytes).build(), 10_000_000, KvService.ReadMode.LOG,
                every));
        RaftInvariants invariants = new RaftInvariants();
        invariants.checkSnapshotsWith(KvStore::referenceSnapshot);
        long[] restores = {0};
        Map<RaftNode, Long> installed = new java.util.IdentityHashMap<>(); // per incarnation
        sim.afterEachEvent(() -> {
            List<RaftNode> list = new ArrayList<>(nodes);
            for (int i = 0; i < nodes; i++) {
                RaftHost<KvStore, KvMessage> srv = (RaftHost<KvStore, KvMessage>) sim.node(i);
                list.add(srv == null ? null : srv.raft());
                if (srv != null && srv.raft() != null && srv.raft().status().snapshotsInstalled() > 0) {
                    installed.put(srv.raft(), srv.raft().status().snapshotsInstalled());
                }
            }
            invariants.check(list);
        });
        sim.onOutput((node, event) -> {
            if (event instanceof RaftHost.Applied a) {
                invariants.applied(node, a.index(), a.entry());
            } else if (event instanceof RaftHost.Restored r) {
                invariants.restored(node, r.meta(), r.state());
                restores[0]++;
            }
        });
        Workload.Spec spec = new Workload.Spec(0.5, 0.3, 3, 0, 5, 500_000_000, 10_000_000, 0);
        Workload<KvMessage> workload = new Workload<>(spec, new RaftKvRun.Client(), 200);
        workload.attach(sim, 4);
        Nemesis.random(sim, EnumSet.allOf(Nemesis.Kind.class), 0, 3_000_000_000L, 80_000_000, 200_000_000);
        sim.runUntil(RaftKvRun.HORIZON_NS, workload::done);
        History h = workload.history();
        long installs = installed.values().stream().mapToLong(Long::longValue).sum();
        return new KvOutcome(h, new LinearizabilityChecker().checkKv(h), workload.done(), installs, restores[0]);
    }

    @Test
    void keyValueStoreWithCompactionIsLinearizableUnderEveryNemesis() {
        int seeds = SOAK ? 2000 : 150;
        long installs = 0;
        long restores = 0;
        long infos = 0;
        for (long seed = 1; seed <= seeds; seed++) {
            int every = 1 + (int) (seed % 7);
            int chunk = seed % 2 == 0 ? 16 : 128;
            String replay = "seed=" + seed + " every=" + every + " chunk=" + chunk;
            KvOutcome o;
            try {
                o = runKv(seed, seed % 2 == 0 ? 3 : 5, every, chunk);
            } catch (IllegalStateException e) {
                throw new AssertionError(replay + ": " + e.getMessage(), e);
            }
            assertTrue(o.completed(), replay);
            assertTrue(o.verdict().linearizable(), replay + "\n" + o.verdict().describe());
            installs += o.installs();
            restores += o.restores();
            infos += o.history().counts().get(HistoryEvent.Type.INFO);
        }
        assertTrue(installs > seeds / 10, "snapshots installed from a leader: " + installs);
        assertTrue(restores > seeds, "state machines restored from snapshots: " + restores);
        assertTrue(infos > 0, "the faults did bite: indeterminate operations " + infos);
    }

    @Test
    void serverSnapshotEncodingFollowsItsDocumentedFormat() {
        // expected bytes built with java.nio.ByteBuffer (big-endian) from AppliedLog.encodeSnapshot's Javadoc
        List<LogEntry> entries = List.of(new LogEntry(1, null), new LogEntry(2, 7L), new LogEntry(2, 9), new LogEntry(3, "ab"));
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(4 + 4 * 9 + 8 + 4 + 4);
        b.putInt(4);
        b.putLong(1).put((byte) 0);
        b.putLong(2).put((byte) 1).putLong(7);
        b.putLong(2).put((byte) 2).putInt(9);
        b.putLong(3).put((byte) 3).putShort((short) 2).put((byte) 'a').put((byte) 'b');
        byte[] expected = java.util.Arrays.copyOf(b.array(), b.position());
        byte[] got = AppliedLog.encodeSnapshot(entries);
        assertEquals(java.util.HexFormat.of().formatHex(expected), java.util.HexFormat.of().formatHex(got));
        assertEquals(entries, AppliedLog.decodeSnapshot(new Snapshot(new SnapshotMeta(4, 3), got)));
        assertThrows(IllegalStateException.class, () -> AppliedLog.decodeSnapshot(new Snapshot(new SnapshotMeta(5, 3), got)),
                "a count that does not match the snapshot's index");
        assertThrows(IllegalArgumentException.class, () -> AppliedLog.encodeSnapshot(List.of(new LogEntry(1, 1.5))));
    }

    @Test
    void keyValueSnapshotEncodingIsDeterministic() {
        // the same commands applied in two different orders of distinct keys give the same state and bytes
        List<LogEntry> a = new ArrayList<>();
        List<LogEntry> b = new ArrayList<>();
        String[] keys = {"k1", "k2", "k3", "k4", "k5"};
        for (int i = 0; i < keys.length; i++) {
            a.add(new LogEntry(1, new KvStore.Command(100 + i, i, HistoryEvent.Fn.WRITE, keys[i], (long) i * 10)));
            b.add(0, a.get(i));
        }
        assertEquals(java.util.HexFormat.of().formatHex(KvStore.referenceSnapshot(a)),
                java.util.HexFormat.of().formatHex(KvStore.referenceSnapshot(b)));
        // a duplicate of an applied command changes nothing (exactly once, dissertation 6.3): same snapshot
        List<LogEntry> dup = new ArrayList<>(a);
        dup.add(a.get(0));
        assertEquals(java.util.HexFormat.of().formatHex(KvStore.referenceSnapshot(a)),
                java.util.HexFormat.of().formatHex(KvStore.referenceSnapshot(dup)));
        // a different value gives different bytes
        List<LogEntry> other = new ArrayList<>(a);
        other.set(2, new LogEntry(1, new KvStore.Command(102, 2, HistoryEvent.Fn.WRITE, "k3", 21L)));
        assertTrue(!java.util.Arrays.equals(KvStore.referenceSnapshot(a), KvStore.referenceSnapshot(other)));
    }
}
