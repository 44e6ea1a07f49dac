package io.github.dsw.sim;

import io.github.dsw.runtime.Context;
import io.github.dsw.runtime.Node;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.Test;

class SimulatorTest {

    sealed interface Toy {
    }

    record Ping(int seq) implements Toy {
    }

    record Pong(int seq) implements Toy {
    }

    /** What a scripted node saw: (virtual-local time, from, message). */
    record Seen(long localNs, int from, Toy message) {
    }

    /** A node whose reactions are given as lambdas, recording what it receives. */
    static final class Scripted implements Node<Toy> {
        final List<Seen> seen = new ArrayList<>();
        final List<Object> timers = new ArrayList<>();
        final java.util.function.Consumer<Context<Toy>> onStart;
        final BiConsumer<Context<Toy>, Seen> onReceive;
        Object startRead;

        Scripted(java.util.function.Consumer<Context<Toy>> onStart, BiConsumer<Context<Toy>, Seen> onReceive) {
            this.onStart = onStart;
            this.onReceive = onReceive;
        }

        @Override
        public void start(Context<Toy> ctx) {
            startRead = ctx.read("a");
            onStart.accept(ctx);
        }

        @Override
        public void receive(Context<Toy> ctx, int from, Toy message) {
            Seen s = new Seen(ctx.now(), from, message);
            seen.add(s);
            onReceive.accept(ctx, s);
        }

        @Override
        public void timer(Context<Toy> ctx, Object tag) {
            timers.add(tag);
        }
    }

    private static SimConfig constant(long seed, int servers, long latencyNs) {
        return new SimConfig(seed, servers, LinkModel.reliable(new Latency.Constant(latencyNs)),
                LinkModel.reliable(new Latency.Constant(latencyNs)), 0, Trace.Level.LINES, true);
    }

    /** Node 0 pings node 1 at start; node 1 answers every ping with a pong. */
    private static Simulator<Toy> pingPong(SimConfig config, List<Scripted> nodes) {
        return new Simulator<>(config, id -> {
            Scripted s = id == 0
                    ? new Scripted(ctx -> ctx.send(1, new Ping(1)), (ctx, seen) -> { })
                    : new Scripted(ctx -> { }, (ctx, seen) -> {
                        if (seen.message() instanceof Ping p) {
                            ctx.send(seen.from(), new Pong(p.seq()));
                        }
                    });
            nodes.add(s);
            return s;
        });
    }

    @Test
    void aRoundTripTakesTwiceTheConstantLatency() {
        List<Scripted> nodes = new ArrayList<>();
        Simulator<Toy> sim = pingPong(constant(1, 2, 1_000_000), nodes);
        sim.runUntil(10_000_000);
        assertEquals(List.of(new Seen(1_000_000, 0, new Ping(1))), nodes.get(1).seen);
        assertEquals(List.of(new Seen(2_000_000, 1, new Pong(1))), nodes.get(0).seen);
        assertEquals(new Trace.Counts(1, 1, 0, 0), sim.trace().messageCounts().get("Ping"));
        assertEquals(2, sim.trace().flights().size());
        assertEquals(new Trace.Flight(0, 1, 0, 1_000_000, "Ping"), sim.trace().flights().get(0));
    }

    @Test
    void lossOfOneDropsEverythingAndDuplicationOfOneDeliversTwice() {
        List<Scripted> nodes = new ArrayList<>();
        SimConfig lossy = constant(1, 2, 1000).withServerLink(LinkModel.reliable(new Latency.Constant(1000)).withLoss(1));
        pingPong(lossy, nodes).runUntil(1_000_000);
        assertTrue(nodes.get(1).seen.isEmpty());

        nodes.clear();
        SimConfig dup = constant(1, 2, 1000).withServerLink(LinkModel.reliable(new Latency.Constant(1000)).withDuplicate(1));
        Simulator<Toy> sim = pingPong(dup, nodes);
        sim.runUntil(1_000_000);
        assertEquals(2, nodes.get(1).seen.size(), "the ping arrives twice");
        assertEquals(4, nodes.get(0).seen.size(), "each copy is answered, and each answer doubled");
        assertEquals(1, sim.trace().messageCounts().get("Ping").duplicated());
    }

    @Test
    void partitionDropsAtSendAndInFlight() {
        List<Scripted> nodes = new ArrayList<>();
        Simulator<Toy> sim = pingPong(constant(1, 2, 1_000_000), nodes);
        sim.schedule(500_000, () -> sim.setPartition(Partition.isolate(2, 1))); // the ping is in flight
        sim.runUntil(5_000_000);
        assertTrue(nodes.get(1).seen.isEmpty());
        assertEquals(1, sim.trace().messageCounts().get("Ping").dropped());
        assertTrue(sim.trace().lines().stream().anyMatch(l -> l.contains("X 0>1 partition Ping")), sim.trace().lines().toString());
    }

    @Test
    void crashLosesUnsyncedWritesAndRestartSeesOnlyDurableState() {
        List<Object> startReads = new ArrayList<>();
        Simulator<Toy> sim = new Simulator<>(constant(1, 1, 1000), id -> new Node<>() {
            @Override
            public void start(Context<Toy> ctx) {
                startReads.add(ctx.read("a") + "/" + ctx.read("b"));
                if (ctx.read("a") == null) {
                    ctx.write("a", 1L);
                    ctx.fsync();
                    ctx.setTimer(500, "later");
                }
            }

            @Override
            public void receive(Context<Toy> ctx, int from, Toy message) {
            }

            @Override
            public void timer(Context<Toy> ctx, Object tag) {
                ctx.write("b", 2L); // buffered, never synced
                Object seen = ctx.read("b");
                startReads.add("timer saw b=" + seen);
            }
        });
        sim.runUntil(1000);
        assertEquals(java.util.Map.of("a", 1L), sim.durable(0));
        sim.crash(0);
        assertNull(sim.node(0));
        sim.restart(0);
        sim.runUntil(2000);
        assertEquals(List.of("null/null", "timer saw b=2", "1/null"), startReads);
        assertEquals(java.util.Map.of("a", 1L), sim.durable(0));
    }

    @Test
    void crashBeforeFsyncCompletesLosesTheWritesAndTheStepsMessages() {
        List<Scripted> nodes = new ArrayList<>();
        SimConfig slowDisk = constant(1, 2, 1000).withFsyncNs(5_000_000);
        Simulator<Toy> sim = new Simulator<>(slowDisk, id -> {
            Scripted s = new Scripted(ctx -> {
                if (ctx.self() == 0) {
                    ctx.write("a", 7L);
                    ctx.fsync();
                    ctx.send(1, new Ping(1)); // held until the write is durable
                }
            }, (c, x) -> { });
            nodes.add(s);
            return s;
        });
        sim.schedule(4_000_000, () -> sim.crash(0));
        sim.runUntil(20_000_000);
        assertTrue(nodes.get(1).seen.isEmpty());
        assertTrue(sim.durable(0).isEmpty());

        nodes.clear();
        Simulator<Toy> ok = new Simulator<>(slowDisk, id -> {
            Scripted s = new Scripted(ctx -> {
                if (ctx.self() == 0) {
                    ctx.write("a", 7L);
                    ctx.fsync();
                    ctx.send(1, new Ping(1));
                }
            }, (c, x) -> { });
            nodes.add(s);
            return s;
        });
        ok.runUntil(20_000_000);
        assertEquals(List.of(new Seen(5_001_000, 0, new Ping(1))), nodes.get(1).seen, "sent after the fsync, then 1 us on the wire");
    }

    @Test
    void pausedNodeGetsItsMessagesInOrderWhenItResumes() {
        List<Scripted> nodes = new ArrayList<>();
        Simulator<Toy> sim = new Simulator<>(constant(1, 2, 1_000_000), id -> {
            Scripted s = new Scripted(ctx -> {
                if (ctx.self() == 0) {
                    for (int i = 0; i < 3; i++) {
                        ctx.send(1, new Ping(i));
                    }
                }
            }, (c, x) -> { });
            nodes.add(s);
            return s;
        });
        sim.pause(1, 10_000_000);
        sim.runUntil(20_000_000);
        assertEquals(List.of(new Seen(10_000_000, 0, new Ping(0)), new Seen(10_000_000, 0, new Ping(1)),
                new Seen(10_000_000, 0, new Ping(2))), nodes.get(1).seen);
    }

    @Test
    void skewedClockAndDriftingTimers() {
        // local = virtual * 1.1 + 5 ms, so a timer of 11 ms local fires after 10 ms virtual
        List<Long> firedAt = new ArrayList<>();
        Simulator<Toy> t = new Simulator<>(constant(1, 1, 1000), id -> new Node<>() {
            @Override
            public void start(Context<Toy> ctx) {
                ctx.setTimer(11_000_000, "t");
            }

            @Override
            public void receive(Context<Toy> ctx, int from, Toy message) {
            }

            @Override
            public void timer(Context<Toy> ctx, Object tag) {
                firedAt.add(ctx.now());
            }
        });
        t.setClock(0, 5_000_000, 100_000);
        t.runUntil(1_000_000_000);
        assertEquals(1, firedAt.size());
        assertEquals(10_000_000 * 1.1 + 5_000_000, firedAt.get(0), 2, "local time when the timer fires");
    }

    @Test
    void timersCanBeCancelledAndDieWithTheIncarnation() {
        List<List<Object>> fired = new ArrayList<>();
        Simulator<Toy> sim = new Simulator<>(constant(1, 1, 1000), id -> {
            List<Object> mine = new ArrayList<>();
            fired.add(mine);
            return new Node<>() {
                @Override
                public void start(Context<Toy> ctx) {
                    long a = ctx.setTimer(1_000, "cancelled");
                    ctx.setTimer(2_000, "fires");
                    ctx.setTimer(10_000, "dies with the crash");
                    ctx.cancelTimer(a);
                }

                @Override
                public void receive(Context<Toy> ctx, int from, Toy message) {
                }

                @Override
                public void timer(Context<Toy> ctx, Object tag) {
                    mine.add(tag);
                }
            };
        });
        sim.schedule(5_000, () -> sim.crash(0));
        sim.schedule(6_000, () -> sim.restart(0));
        sim.runUntil(9_000);
        assertEquals(List.of("fires"), fired.get(0));
        sim.runUntil(100_000);
        assertEquals(List.of("fires"), fired.get(0));
        assertEquals(List.of("fires", "dies with the crash"), fired.get(1), "the new incarnation's own timers fire");
    }

    /** Gossip with random choices, persistence and every nemesis: a busy run to hash. */
    private static Simulator<Toy> busyRun(long seed, Trace.Level level) {
        return busyRun(seed, level, null);
    }

    private static Simulator<Toy> busyRun(long seed, Trace.Level level, Trace.Sink sink) {
        SimConfig config = SimConfig.defaults(seed, 5).withTrace(level, false).withFsyncNs(50_000);
        Simulator<Toy> sim = new Simulator<>(config, id -> new Node<>() {
            int count;

            @Override
            public void start(Context<Toy> ctx) {
                Object c = ctx.read("count");
                count = c == null ? 0 : ((Long) c).intValue();
                ctx.setTimer(ctx.random().nextLong(2_000_000), "gossip");
            }

            @Override
            public void receive(Context<Toy> ctx, int from, Toy message) {
                if (message instanceof Ping p) {
                    count++;
                    ctx.write("count", (long) count);
                    if (count % 3 == 0) {
                        ctx.fsync();
                    }
                    ctx.send(from, new Pong(p.seq()));
                }
            }

            @Override
            public void timer(Context<Toy> ctx, Object tag) {
                ctx.send(ctx.random().nextInt(ctx.servers()), new Ping(count));
                ctx.setTimer(ctx.random().nextLong(2_000_000), "gossip");
            }
        }, sink);
        Nemesis.random(sim, EnumSet.allOf(Nemesis.Kind.class), 0, 400_000_000, 20_000_000, 15_000_000);
        sim.runUntil(500_000_000);
        return sim;
    }

    private static String sha256(List<String> lines) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        for (String l : lines) {
            md.update(l.getBytes(StandardCharsets.UTF_8));
            md.update((byte) '\n');
        }
        return java.util.HexFormat.of().formatHex(md.digest());
    }

    @Test
    void sameSeedSameTraceByteForByte() throws Exception {
        for (long seed : new long[] {1, 2, 3}) {
            Simulator<Toy> a = busyRun(seed, Trace.Level.LINES);
            Simulator<Toy> b = busyRun(seed, Trace.Level.LINES);
            assertTrue(a.trace().lines().size() > 1000, "a busy run: " + a.trace().lines().size());
            assertEquals(sha256(a.trace().lines()), sha256(b.trace().lines()), "seed=" + seed);
            assertEquals(a.trace().hash(), b.trace().hash(), "seed=" + seed);
            assertTrue(a.trace().lines().stream().anyMatch(l -> l.contains(" F ")), "seed=" + seed + ": faults happened");
            Simulator<Toy> hashed = busyRun(seed, Trace.Level.HASH);
            assertEquals(a.trace().hash(), hashed.trace().hash(), "seed=" + seed + ": the trace level does not change the run");
        }
        assertNotEquals(sha256(busyRun(1, Trace.Level.LINES).trace().lines()), sha256(busyRun(2, Trace.Level.LINES).trace().lines()));
    }

    @Test
    void aSinkReceivesTheSameLinesAsTheyHappenAndKeepsNoneInMemory() {
        java.io.StringWriter out = new java.io.StringWriter();
        Simulator<Toy> streamed = busyRun(4, Trace.Level.LINES, Trace.Sink.to(out));
        Simulator<Toy> collected = busyRun(4, Trace.Level.LINES);
        assertEquals(String.join("\n", collected.trace().lines()) + "\n", out.toString());
        assertEquals(collected.trace().hash(), streamed.trace().hash());
        assertTrue(streamed.trace().lines().isEmpty(), "streamed lines are not kept");
        assertThrows(IllegalArgumentException.class, () -> busyRun(4, Trace.Level.HASH, line -> { }), "a sink needs level LINES");
    }

    @Test
    void scriptedNemesisAppliesItsFaultsAtTheirTimes() {
        List<Scripted> nodes = new ArrayList<>();
        Simulator<Toy> sim = new Simulator<>(constant(1, 3, 1_000_000), id -> {
            Scripted s = new Scripted(ctx -> ctx.setTimer(0, "go"), (c, x) -> { });
            nodes.add(s);
            return s;
        });
        Nemesis.scripted(sim, List.of(
                new Nemesis.Step(1_000, new Fault.Crash(2)),
                new Nemesis.Step(2_000, new Fault.Cut(Partition.isolate(3, 0))),
                new Nemesis.Step(5_000, new Fault.Heal()),
                new Nemesis.Step(6_000, new Fault.Restart(2))));
        sim.runUntil(1_500);
        assertFalse(sim.isUp(2));
        sim.runUntil(3_000);
        assertFalse(sim.partition().connected(0, 1));
        sim.runUntil(10_000);
        assertTrue(sim.partition().isHealed());
        assertTrue(sim.isUp(2));
        assertEquals(4, nodes.size(), "three boots and one restart");
    }

    @Test
    void invariantsRunAfterEveryEventAndStopTheRun() {
        List<Scripted> nodes = new ArrayList<>();
        Simulator<Toy> sim = pingPong(constant(1, 2, 1_000_000), nodes);
        int[] checks = {0};
        sim.afterEachEvent(() -> {
            checks[0]++;
            io.github.dsw.check.Invariants.check(nodes.get(0).seen.isEmpty(), "node 0 got a reply at %d", sim.now());
        });
        IllegalStateException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class, () -> sim.runUntil(10_000_000));
        assertEquals("node 0 got a reply at 2000000", e.getMessage());
        assertEquals(4, checks[0], "two starts, the ping, the pong");
    }

    @Test
    void clientsAreNeverPartitioned() {
        Partition p = Partition.isolate(3, 0);
        assertTrue(p.connected(0, 3));
        assertFalse(p.connected(0, 1));
    }

    /** A client's GC pause (chapter 9): a paused client gets its messages when it resumes, as a paused server does. */
    @Test
    void aPausedClientGetsItsMessagesWhenItResumes() {
        List<Scripted> nodes = new ArrayList<>();
        Simulator<Toy> sim = new Simulator<>(constant(1, 1, 1_000_000), id -> {
            Scripted s = new Scripted(ctx -> ctx.send(1, new Ping(7)), (c, x) -> { });
            nodes.add(s);
            return s;
        });
        Scripted client = new Scripted(ctx -> { }, (c, x) -> { });
        int id = sim.addClient(client);
        assertEquals(1, id);
        sim.pause(id, 10_000_000);
        sim.runUntil(20_000_000);
        assertEquals(List.of(new Seen(10_000_000, 0, new Ping(7))), client.seen);
        assertThrows(IllegalArgumentException.class, () -> sim.pause(2, 1));
    }
}
