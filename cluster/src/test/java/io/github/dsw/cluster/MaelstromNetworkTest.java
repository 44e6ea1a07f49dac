package io.github.dsw.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.dsw.check.History;
import io.github.dsw.check.HistoryEvent;
import io.github.dsw.check.HistoryEvent.Cas;
import io.github.dsw.check.HistoryEvent.Fn;
import io.github.dsw.check.HistoryEvent.Type;
import io.github.dsw.check.LinearizabilityChecker;
import io.github.dsw.runtime.SplitMix64;
import io.github.dsw.sim.Latency;
import io.github.dsw.sim.LinkModel;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.DelayQueue;
import java.util.concurrent.Delayed;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * What {@code maelstrom test -w lin-kv --bin ...} does, without Maelstrom (its dependencies are not on
 * Maven Central): three node PROCESSES ({@code NodeMain --maelstrom PROTOCOL}) whose stdin and stdout are
 * wired to a router playing Maelstrom's network with the simulator's link model
 * ({@link io.github.dsw.sim.LinkModel}: a {@link Latency} per message, and between servers loss,
 * duplication and reordering), and clients {@code c1..c3} running a lin-kv workload (read, write, cas on
 * 3 keys; 5 s, or longer, up to 30 s, until 30 operations have completed) whose history the linearizability checker judges. Answers map to the history as Maelstrom's
 * checker reads them (protocol.md's error table): read_ok and error 20 on a read are ok reads (20: nil);
 * the definite errors (11, 12, 20 on a cas, 22) are fail; no answer within 1 s and the indefinite errors
 * (0, 13) are info for a write or cas (its process retires) and fail for a read. Every line a node prints
 * on stdout must be a message. The router's random source has the printed seed; the node processes' timing
 * is real, so a run does not replay exactly.
 */
class MaelstromNetworkTest {

    private static final int NODES = 3;
    private static final int CLIENTS = 3;
    private static final int KEYS = 3;

    private record Delivery(long at, long seq, int node, String line) implements Delayed {
        @Override
        public long getDelay(TimeUnit unit) {
            return unit.convert(at - System.nanoTime(), TimeUnit.NANOSECONDS);
        }

        @Override
        public int compareTo(Delayed o) {
            Delivery d = (Delivery) o;
            return at != d.at ? Long.compare(at, d.at) : Long.compare(seq, d.seq);
        }
    }

    @Test
    void raftKvBehindASimulatedNetworkIsLinearizable() throws Exception {
        run(RaftKv.NAME, 0x5EED_0001L);
    }

    @Test
    void paxosKvBehindASimulatedNetworkIsLinearizable() throws Exception {
        run(MultiPaxosKv.ALIAS, 0x5EED_0002L);
    }

    @Test
    void zabKvBehindASimulatedNetworkIsLinearizable() throws Exception {
        run(ZabKv.NAME, 0x5EED_0003L);
    }

    private void run(String protocol, long seed) throws Exception {
        System.out.println("MaelstromNetworkTest " + protocol + " seed " + seed);
        LinkModel servers = LinkModel.reliable(new Latency.Uniform(200_000, 3_000_000)).withLoss(0.05).withDuplicate(0.02).withReorder(0.05, 5_000_000);
        Latency clientLink = new Latency.Uniform(100_000, 1_000_000);
        SplitMix64 rng = new SplitMix64(seed);
        List<Process> procs = new ArrayList<>();
        List<PrintStream> stdins = new ArrayList<>();
        List<LinkedBlockingQueue<Map<?, ?>>> toClient = new ArrayList<>();
        for (int c = 0; c <= CLIENTS; c++) {
            toClient.add(new LinkedBlockingQueue<>());
        }
        List<String> notMessages = Collections.synchronizedList(new ArrayList<>());
        DelayQueue<Delivery> network = new DelayQueue<>();
        AtomicLong seq = new AtomicLong();
        AtomicInteger dropped = new AtomicInteger();
        String java = ProcessHandle.current().info().command().orElseThrow();
        Thread router = null;
        try {
            for (int i = 0; i < NODES; i++) {
                List<String> cmd = new ArrayList<>();
                cmd.add(java);
                cmd.addAll(LocalCluster.NODE_JVM);
                cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), NodeMain.class.getName(), "--maelstrom", protocol));
                Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
                procs.add(p);
                stdins.add(new PrintStream(p.getOutputStream(), true, StandardCharsets.UTF_8));
            }
            router = Thread.ofPlatform().daemon().name("router").start(() -> {
                try {
                    while (true) {
                        Delivery d = network.take();
                        PrintStream s = stdins.get(d.node());
                        synchronized (s) {
                            s.println(d.line());
                        }
                    }
                } catch (InterruptedException e) {
                    // test over
                }
            });
            for (int i = 0; i < NODES; i++) {
                BufferedReader r = new BufferedReader(new InputStreamReader(procs.get(i).getInputStream(), StandardCharsets.UTF_8));
                Thread.ofPlatform().daemon().start(() -> {
                    try {
                        String line;
                        while ((line = r.readLine()) != null) {
                            Map<?, ?> m;
                            try {
                                m = (Map<?, ?>) Json.parse(line);
                            } catch (RuntimeException e) {
                                notMessages.add(line);
                                continue;
                            }
                            String dest = (String) m.get("dest");
                            if (dest.startsWith("n")) {
                                int to = Integer.parseInt(dest.substring(1)) - 1;
                                synchronized (rng) {
                                    if (rng.nextDouble() < servers.loss()) {
                                        dropped.incrementAndGet();
                                        continue;
                                    }
                                    int copies = rng.nextDouble() < servers.duplicate() ? 2 : 1;
                                    for (int k = 0; k < copies; k++) {
                                        long delay = servers.latency().sampleNs(rng) + (rng.nextDouble() < servers.reorder() ? servers.reorderDelayNs() : 0);
                                        network.add(new Delivery(System.nanoTime() + delay, seq.incrementAndGet(), to, line));
                                    }
                                }
                            } else {
                                toClient.get(Integer.parseInt(dest.substring(1))).add(m);
                            }
                        }
                    } catch (IOException ignored) {
                        // process ended
                    }
                });
            }
            for (int i = 0; i < NODES; i++) {
                stdins.get(i).println("{\"src\":\"c0\",\"dest\":\"n" + (i + 1) + "\",\"body\":{\"type\":\"init\",\"msg_id\":" + (i + 1)
                        + ",\"node_id\":\"n" + (i + 1) + "\",\"node_ids\":[\"n1\",\"n2\",\"n3\"]}}");
            }
            for (int i = 0; i < NODES; i++) {
                Map<?, ?> ok = toClient.get(0).poll(120, TimeUnit.SECONDS);
                assertTrue(ok != null && "init_ok".equals(((Map<?, ?>) ok.get("body")).get("type")), "init_ok expected, got " + ok);
            }
            long t0 = System.nanoTime();
            // 5 s, longer (up to 30 s) until 30 operations have completed: a loaded machine starves the node JVMs
            long end = t0 + 5_000_000_000L;
            long hardEnd = t0 + 30_000_000_000L;
            AtomicInteger okCount = new AtomicInteger();
            List<HistoryEvent> events = Collections.synchronizedList(new ArrayList<>());
            List<Thread> clients = new ArrayList<>();
            for (int c = 1; c <= CLIENTS; c++) {
                int client = c;
                long clientSeed;
                synchronized (rng) {
                    clientSeed = rng.nextLong();
                }
                clients.add(Thread.ofPlatform().start(() -> clientLoop(client, new SplitMix64(clientSeed), clientLink, network, seq, toClient.get(client), events, t0,
                        () -> System.nanoTime() >= hardEnd || System.nanoTime() >= end && okCount.get() >= 30, okCount)));
            }
            for (Thread t : clients) {
                t.join();
            }
            List<HistoryEvent> sorted = new ArrayList<>(events);
            sorted.sort(Comparator.comparingLong(HistoryEvent::timeNs)); // stamped before the list's lock
            History history = History.of(sorted);
            LinearizabilityChecker.Result verdict = new LinearizabilityChecker().checkKv(history);
            long ok = events.stream().filter(e -> e.type() == Type.OK).count();
            long failed = events.stream().filter(e -> e.type() == Type.FAIL).count();
            long info = events.stream().filter(e -> e.type() == Type.INFO).count();
            System.out.println("MaelstromNetworkTest " + protocol + ": " + events.size() + " events in " + (System.nanoTime() - t0) / 1_000_000 + " ms, " + ok
                    + " ok, " + failed + " fail, " + info + " info, " + dropped + " server messages dropped: " + verdict.outcome());
            assertEquals(List.of(), notMessages, "nodes printed lines on stdout that are not messages");
            assertTrue(ok >= 10, "too few operations completed (" + ok + ") to judge anything; seed " + seed);
            assertEquals(LinearizabilityChecker.Outcome.LINEARIZABLE, verdict.outcome(), "seed " + seed + ": " + verdict);
        } finally {
            if (router != null) {
                router.interrupt();
            }
            for (PrintStream s : stdins) {
                s.close(); // end of stdin: the node exits
            }
            for (Process p : procs) {
                if (!p.waitFor(10, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            }
        }
    }

    private static void clientLoop(int c, SplitMix64 rng, Latency link, DelayQueue<Delivery> network, AtomicLong seq, LinkedBlockingQueue<Map<?, ?>> inbox,
            List<HistoryEvent> events, long t0, java.util.function.BooleanSupplier done, AtomicInteger okCount) {
        int process = c;
        long msgId = 0;
        long counter = 0;
        try {
            while (!done.getAsBoolean()) {
                int key = rng.nextInt(KEYS);
                int node = rng.nextInt(NODES);
                double u = rng.nextDouble();
                Fn f = u < 0.4 ? Fn.READ : u < 0.7 ? Fn.WRITE : Fn.CAS;
                long v = c * 1_000_000L + ++counter;
                long from = rng.nextInt(3) == 0 ? v - 1 : rng.nextInt(4) + 1_000_001L; // now and then a value someone wrote
                Object value = switch (f) {
                    case READ -> null;
                    case WRITE -> v;
                    case CAS -> new Cas(from, v);
                };
                String body = switch (f) {
                    case READ -> "\"type\":\"read\",\"key\":" + key;
                    case WRITE -> "\"type\":\"write\",\"key\":" + key + ",\"value\":" + v;
                    case CAS -> "\"type\":\"cas\",\"key\":" + key + ",\"from\":" + from + ",\"to\":" + v;
                };
                long id = ++msgId;
                String k = String.valueOf(key);
                events.add(new HistoryEvent(process, Type.INVOKE, f, k, value, System.nanoTime() - t0));
                network.add(new Delivery(System.nanoTime() + link.sampleNs(rng), seq.incrementAndGet(), node,
                        "{\"src\":\"c" + c + "\",\"dest\":\"n" + (node + 1) + "\",\"body\":{" + body + ",\"msg_id\":" + id + "}}"));
                Map<?, ?> reply = null;
                long deadline = System.nanoTime() + 1_000_000_000L;
                while (reply == null) {
                    long left = deadline - System.nanoTime();
                    Map<?, ?> m = left <= 0 ? null : inbox.poll(left, TimeUnit.NANOSECONDS);
                    if (m == null) {
                        break;
                    }
                    if (Long.valueOf(id).equals(((Map<?, ?>) m.get("body")).get("in_reply_to"))) {
                        reply = (Map<?, ?>) m.get("body");
                    }
                }
                long now = System.nanoTime() - t0;
                String type = reply == null ? "timeout" : (String) reply.get("type");
                Long code = reply != null && reply.get("code") instanceof Long l ? l : null;
                if ("read_ok".equals(type) || "write_ok".equals(type) || "cas_ok".equals(type) || f == Fn.READ && Long.valueOf(20).equals(code)) {
                    okCount.incrementAndGet();
                }
                if ("read_ok".equals(type)) {
                    events.add(new HistoryEvent(process, Type.OK, f, k, reply.get("value"), now));
                } else if (f == Fn.READ && Long.valueOf(20).equals(code)) {
                    events.add(new HistoryEvent(process, Type.OK, f, k, null, now));
                } else if ("write_ok".equals(type) || "cas_ok".equals(type)) {
                    events.add(new HistoryEvent(process, Type.OK, f, k, value, now));
                } else if (code != null && code != 0 && code != 13) {
                    events.add(new HistoryEvent(process, Type.FAIL, f, k, value, now));
                } else if (f == Fn.READ) {
                    events.add(new HistoryEvent(process, Type.FAIL, f, k, null, now));
                } else {
                    events.add(new HistoryEvent(process, Type.INFO, f, k, value, now));
                    process += CLIENTS; // the operation may still take effect: a new process continues
                }
                Thread.sleep(rng.nextInt(5));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
