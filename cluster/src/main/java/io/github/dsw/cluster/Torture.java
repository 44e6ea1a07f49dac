package io.github.dsw.cluster;

import io.github.dsw.check.History;
import io.github.dsw.check.HistoryEvent;
import io.github.dsw.check.HistoryEvent.Cas;
import io.github.dsw.check.HistoryEvent.Fn;
import io.github.dsw.check.HistoryEvent.Type;
import io.github.dsw.check.HistoryJson;
import io.github.dsw.check.LinearizabilityChecker;
import io.github.dsw.runtime.SplitMix64;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The fault harness on real processes (the Jepsen approach, on loopback): start a {@link LocalCluster},
 * run clients over TCP for a fixed time while a nemesis kills (SIGKILL, then restart), pauses
 * (SIGSTOP, then SIGCONT) and partitions (drop rules in the nodes' transport) the servers, record every
 * operation with real timestamps, then check the history with the project's
 * {@link LinearizabilityChecker} (key-value model).
 *
 * <p>History (chapter 5's JSON Lines format, {@code datasets/README.md}): times are nanoseconds since the
 * run started ({@link System#nanoTime}); an operation that reaches its deadline without a definite answer
 * is {@code info} (a write or cas may still take effect) or {@code fail} for a read (reads change
 * nothing), and after an {@code info} the client continues under a new process id, as Jepsen does.
 *
 * <p>Protocols: any {@link KvProtocol} (raft-kv, multi-paxos-kv, abd, zab-kv), the same harness for all.
 *
 * <p>Workload: each client is a closed loop over {@link #KEYS} keys, 50% reads, 30% writes, 20% cas
 * (ABD: 50% reads, 50% writes);
 * written values are unique in the run (client × 1,000,000 + counter), so a lost or resurrected write
 * shows as a read no order explains; a cas expects the value the client last saw for the key. Faults
 * come one at a time, every 1-3 s (3-5 s before a kill-all), each lasting 0.5-2 s (partitions 1-3 s); kinds are drawn from the
 * nemesis list with the seed. A killed server is restarted after the fault's length, and the next fault
 * waits until it answers again (so the schedule adapts to slow JVM starts instead of killing a cluster
 * that never came back). {@link Fault#KILL_ALL} (not in "all") kills every server at once: with
 * fsync on nothing acknowledged may be lost; with {@code --fsync none} the harness shows the loss.
 *
 * <p>Bounded: the clients stop at the time limit, every operation has a deadline, the cluster is stopped
 * in a finally block, and the nodes watch this process and exit if it dies.
 */
public final class Torture {

    /** Fault kinds. */
    public enum Fault {
        KILL, PAUSE, PARTITION, KILL_ALL,
        /** Cut off the server that claims to lead, then the next one ({@link LeaderNemesis}); not in "all". */
        ISOLATE_LEADER,
        /** Split the servers into a minority that holds the claimed leader and a majority without it; not in "all". */
        LEADER_MINORITY,
        /**
         * SIGSTOP the claimed leader for 1.1 to 2.1 of its longest election timeout (past its lease), then SIGCONT it:
         * it wakes deposed, to its clients' queued requests; not in "all".
         */
        PAUSE_LEADER,
        /** The claimed leader's links to the other servers go down and up every 5-30 ms for the fault's length; not in "all". */
        FLAP,
        /** SIGKILL and restart servers in rotating order, starting with the claimed leader (FoundationDB's swizzle); not in "all". */
        SWIZZLE,
        /**
         * The next write or cas a client sees acknowledged: SIGKILL the server that acknowledged it at once (from the client's
         * thread, no polling), restart it after the fault's length; not in "all".
         */
        CRASH_AFTER_ACK,
        /**
         * The claimed leader's clock (the node runtime's injectable clock, {@code clock} admin command): jumped forward by
         * 1-2 election timeouts, or run at 0.5x or 2x its rate for the fault's length, or at 0.2x while it is cut off; not in "all".
         */
        CLOCK_JUMP,
        /**
         * raft-kv only: a server (the claimed leader included) removed from the configuration by a {@code KvMessage.Admin}
         * change sent to the claimed leader, then added back (learner, then voter); not in "all".
         */
        MEMBERSHIP,
        /**
         * Two halves of the other servers cut off from each other while one server (drawn) still sees both sides
         * (Jepsen's bridge: it can vote in both halves' elections); not in "all".
         */
        BRIDGE;

        public String cliName() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }

        /**
         * Parses {@code kill,pause,partition}, {@code all} (= those three), {@code kill-all}, the leader-aware
         * {@code isolate-leader, leader-minority, pause-leader, flap, swizzle, crash-after-ack, clock-jump, bridge},
         * {@code adversarial} (= those eight), {@code membership}, {@code none}.
         */
        public static EnumSet<Fault> parseList(String s) {
            s = s == null ? "" : s;
            EnumSet<Fault> out = EnumSet.noneOf(Fault.class);
            for (String raw : s.split(",")) {
                String t = raw.trim().toLowerCase(Locale.ROOT);
                switch (t) {
                    case "none" -> { }
                    case "all" -> out.addAll(EnumSet.of(KILL, PAUSE, PARTITION));
                    case "adversarial" -> out.addAll(ADVERSARIAL);
                    default -> {
                        Fault f = Arrays.stream(values()).filter(v -> v.cliName().equals(t)).findFirst()
                                .orElseThrow(() -> new IllegalArgumentException("--nemesis: unknown fault '" + raw.trim()
                                        + "' (kill, pause, partition, kill-all, isolate-leader, leader-minority, pause-leader, flap, swizzle, crash-after-ack, clock-jump, membership, bridge, all, adversarial, none)"));
                        out.add(f);
                    }
                }
            }
            return out;
        }
    }

    /** What {@code adversarial} means on real processes: the leader-aware faults (membership needs raft-kv: added there only). */
    static final Set<Fault> ADVERSARIAL = Collections.unmodifiableSet(EnumSet.of(Fault.ISOLATE_LEADER, Fault.LEADER_MINORITY, Fault.PAUSE_LEADER,
            Fault.FLAP, Fault.SWIZZLE, Fault.CRASH_AFTER_ACK, Fault.CLOCK_JUMP, Fault.BRIDGE));

    /** How clients pick their server: {@code mixed} follows the leader; {@code bound} reads at a home server first (Jepsen). */
    public static final List<String> WORKLOADS = List.of("mixed", "bound");

    /** Keys of the workload. */
    public static final int KEYS = 5;

    /** Deadline of one operation (then info) and of one attempt at one server. */
    public static final long OP_DEADLINE_NS = 2_000_000_000L;
    public static final long ATTEMPT_NS = 300_000_000L;

    /** How long a restarted node may take to answer (a JVM start under a load average of 20 on two cores took 4-5 s). */
    public static final long READY_NS = 60_000_000_000L;

    /** What to run. {@code dir} null: a temporary folder, deleted afterwards. */
    public record Settings(String protocol, int nodes, int clients, long timeNs, Set<Fault> nemesis, long seed, Path historyOut, FsyncPolicy fsync,
                           Path dir, String mutation, String workload) {
        /** Without a deliberate bug. */
        public Settings(String protocol, int nodes, int clients, long timeNs, Set<Fault> nemesis, long seed, Path historyOut, FsyncPolicy fsync,
                        Path dir) {
            this(protocol, nodes, clients, timeNs, nemesis, seed, historyOut, fsync, dir, "none", "mixed");
        }

        /** The leader-following workload. */
        public Settings(String protocol, int nodes, int clients, long timeNs, Set<Fault> nemesis, long seed, Path historyOut, FsyncPolicy fsync,
                        Path dir, String mutation) {
            this(protocol, nodes, clients, timeNs, nemesis, seed, historyOut, fsync, dir, mutation, "mixed");
        }

        public Settings {
            mutation = mutation == null ? "none" : mutation;
            workload = workload == null ? "mixed" : workload;
            if (!WORKLOADS.contains(workload)) {
                throw new IllegalArgumentException("--workload must be mixed or bound, got '" + workload + "'");
            }
            if (nemesis.contains(Fault.MEMBERSHIP) && !KvProtocol.byName(protocol).name().equals(RaftKv.NAME)) {
                throw new IllegalArgumentException("--nemesis membership is for raft-kv only, got " + protocol);
            }
            if (!mutation.equals("none")) {
                if (!KvProtocol.byName(protocol).name().equals(RaftKv.NAME)) {
                    throw new IllegalArgumentException("--mutation is for raft-kv only, got " + protocol);
                }
                RaftKv.mutation(mutation); // unknown: one line naming the allowed ones
            }
            protocol = KvProtocol.byName(protocol).name(); // canonical (paxos-kv -> multi-paxos-kv); unknown: one line
            if (nodes < 1 || nodes > 9) {
                throw new IllegalArgumentException("--nodes must be in 1..9, got " + nodes);
            }
            if (clients < 1 || clients > 64) {
                throw new IllegalArgumentException("--clients must be in 1..64, got " + clients);
            }
            if (timeNs < 1_000_000_000L || timeNs > 3_600_000_000_000L) {
                throw new IllegalArgumentException("--time must be between 1s and 1h, got " + timeNs / 1_000_000 + " ms");
            }
            nemesis = nemesis.isEmpty() ? Set.of() : Collections.unmodifiableSet(EnumSet.copyOf(nemesis));
        }
    }

    /** What a run produced; {@link #exitCode} follows check-history's: 0 linearizable, 1 not, 3 undecided. */
    public record Outcome(History history, LinearizabilityChecker.Result verdict, Map<Fault, Integer> faults, double okPerSecond, long[] okLatenciesNs,
                          String report) {
        public int exitCode() {
            return switch (verdict.outcome()) {
                case LINEARIZABLE -> 0;
                case NOT_LINEARIZABLE -> 1;
                case UNKNOWN -> 3;
            };
        }
    }

    private final Settings s;
    private final PrintStream out;
    private final List<HistoryEvent> events = new ArrayList<>();
    private final List<Long> okLatencies = Collections.synchronizedList(new ArrayList<>());
    private final Map<Fault, Integer> faults = new EnumMap<>(Fault.class);
    private long t0;
    /** The cluster under test, for the clients' crash-after-ack kills. */
    private volatile LocalCluster cluster;
    /** Set by the nemesis: the next client to see a write or cas acknowledged kills the server that acknowledged it. */
    private final java.util.concurrent.atomic.AtomicBoolean killOnAck = new java.util.concurrent.atomic.AtomicBoolean();
    private final java.util.concurrent.LinkedBlockingQueue<Integer> ackKills = new java.util.concurrent.LinkedBlockingQueue<>();
    /** Reads answered by a bound client's home server after they were given up (recorded at their arrival). */
    private final java.util.concurrent.atomic.AtomicInteger lateReads = new java.util.concurrent.atomic.AtomicInteger();

    private Torture(Settings s, PrintStream out) {
        this.s = s;
        this.out = out;
    }

    /** Runs the whole torture and prints its report to {@code out}. */
    public static Outcome run(Settings s, PrintStream out) throws IOException, InterruptedException {
        return new Torture(s, out).run();
    }

    /** {@code n} free TCP ports on 127.0.0.1. */
    public static List<InetSocketAddress> freeLoopbackPorts(int n) throws IOException {
        List<ServerSocket> held = new ArrayList<>();
        List<InetSocketAddress> ports = new ArrayList<>();
        try {
            for (int i = 0; i < n; i++) {
                ServerSocket ss = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"));
                held.add(ss);
                ports.add(new InetSocketAddress("127.0.0.1", ss.getLocalPort()));
            }
        } finally {
            for (ServerSocket ss : held) {
                ss.close();
            }
        }
        return ports;
    }

    private Outcome run() throws IOException, InterruptedException {
        boolean temporary = s.dir() == null;
        Path dir = temporary ? Files.createTempDirectory("dsw-torture-") : s.dir().toAbsolutePath();
        if (!temporary) {
            Files.createDirectories(dir);
            try (Stream<Path> files = Files.list(dir)) {
                if (files.findAny().isPresent()) {
                    throw new DataFolderException("--dir " + dir + " is not empty: the harness starts every run on fresh data folders");
                }
            }
        }
        List<InetSocketAddress> peers = freeLoopbackPorts(s.nodes());
        String kinds = s.nemesis().isEmpty() ? "none" : s.nemesis().stream().map(Fault::cliName).collect(Collectors.joining(","));
        out.printf(Locale.ROOT, "torture %s: %d nodes, %d clients (%s), %d s, nemesis %s, seed %d, fsync %s%s; data in %s%n", s.protocol(), s.nodes(),
                s.clients(), s.workload(), s.timeNs() / 1_000_000_000L, kinds, s.seed(), s.fsync().cliName(),
                s.fsync() == FsyncPolicy.NONE ? " (UNSAFE)" : "", dir);
        out.flush();
        List<String> jvm = new ArrayList<>(LocalCluster.NODE_JVM);
        if (!s.mutation().equals("none")) {
            jvm.add("-D" + RaftKv.MUTATION_PROPERTY + "=" + s.mutation());
            out.println("torture: every node runs the deliberate bug " + s.mutation() + " (UNSAFE)");
        }
        LocalCluster cluster = new LocalCluster(new LocalCluster.Spec(s.protocol(), dir, peers, s.fsync(), "disk", true, jvm));
        this.cluster = cluster;
        long wallStart;
        try {
            cluster.startAll(60_000_000_000L);
            wallStart = System.currentTimeMillis();
            t0 = System.nanoTime();
            long end = t0 + s.timeNs();
            List<Thread> clients = new ArrayList<>();
            for (int c = 0; c < s.clients(); c++) {
                int client = c;
                clients.add(Thread.ofPlatform().name("torture-client-" + c).start(() -> clientLoop(client, peers, end)));
            }
            nemesis(cluster, end);
            for (Thread t : clients) {
                t.join(OP_DEADLINE_NS / 1_000_000 + 10_000);
                if (t.isAlive()) {
                    throw new IllegalStateException("client thread " + t.getName() + " did not stop");
                }
            }
        } finally {
            cluster.close();
            if (temporary) {
                deleteTree(dir);
            }
        }
        List<HistoryEvent> snapshot;
        synchronized (events) {
            snapshot = List.copyOf(events);
        }
        History history = History.of(snapshot);
        if (s.historyOut() != null) {
            Path parent = s.historyOut().toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            try (Writer w = Files.newBufferedWriter(s.historyOut(), StandardCharsets.UTF_8)) {
                HistoryJson.write(history, w);
            }
        }
        long t1 = System.nanoTime();
        LinearizabilityChecker.Result verdict = new LinearizabilityChecker().checkKv(history);
        double checkS = (System.nanoTime() - t1) / 1e9;
        long[] lat = okLatencies.stream().mapToLong(Long::longValue).sorted().toArray();
        var counts = history.counts();
        double okPerSecond = counts.get(Type.OK) / (s.timeNs() / 1e9);
        StringBuilder r = new StringBuilder();
        r.append(String.format(Locale.ROOT, "started %s; faults injected: %s%n", java.time.Instant.ofEpochMilli(wallStart),
                faults.isEmpty() ? "none" : faults.entrySet().stream().map(e -> e.getKey().cliName() + " " + e.getValue()).collect(Collectors.joining(", "))));
        r.append(String.format(Locale.ROOT, "ops: %d invoked, %d ok, %d fail, %d info; %.1f ok ops/s%s%n", counts.get(Type.INVOKE), counts.get(Type.OK),
                counts.get(Type.FAIL), counts.get(Type.INFO), okPerSecond, s.workload().equals("bound") ? "; late answers recorded: " + lateReads.get() : ""));
        if (lat.length > 0) {
            r.append(String.format(Locale.ROOT, "latency (ok ops): p50 %.2f ms, p99 %.2f ms, p99.9 %.2f ms, max %.2f ms%n", q(lat, 0.5) / 1e6,
                    q(lat, 0.99) / 1e6, q(lat, 0.999) / 1e6, lat[lat.length - 1] / 1e6));
        }
        if (s.historyOut() != null) {
            r.append("history: ").append(s.historyOut()).append(" (").append(history.events().size()).append(" events)\n");
        }
        if (verdict.outcome() == LinearizabilityChecker.Outcome.NOT_LINEARIZABLE && !verdict.window().isEmpty()) {
            // when the reported violation became observable: the last completion in its window (run-relative)
            long at = verdict.window().stream().mapToLong(io.github.dsw.check.Operation::returnNs).max().orElse(0);
            r.append(String.format(Locale.ROOT, "violation observed at %.2f s into the run%n", at / 1e9));
        }
        r.append(String.format(Locale.ROOT, "checked in %.2f s; verdict: %s", checkS, verdict.describe()));
        if (r.charAt(r.length() - 1) != '\n') {
            r.append('\n');
        }
        out.print(r);
        out.flush();
        return new Outcome(history, verdict, Map.copyOf(faults), okPerSecond, lat, r.toString());
    }

    private static long q(long[] sorted, double p) {
        int i = (int) Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1);
        return sorted[Math.max(0, i)];
    }

    private void record(int process, Type type, Fn f, String key, Object value) {
        synchronized (events) {
            events.add(new HistoryEvent(process, type, f, key, value, System.nanoTime() - t0));
        }
    }

    private void clientLoop(int c, List<InetSocketAddress> peers, long end) {
        clientLoop(KvProtocol.byName(s.protocol()), c, peers, end);
    }

    private <M> void clientLoop(KvProtocol<M> kv, int c, List<InetSocketAddress> peers, long end) {
        SplitMix64 rng = new SplitMix64(s.seed() * 1_000_003L + c);
        int process = c;
        long counter = 0;
        Long[] seen = new Long[KEYS];
        double readShare = 0.5;
        double writeShare = kv.supportsCas() ? 0.8 : 1.0; // ABD: reads and writes only
        // bound: reads go to this client's home server first, over their own connection (a session of their own)
        int linkId = s.nodes() + s.clients() + c;
        long linkSeq = 0;
        try (KvClient<M> client = new KvClient<>(peers, kv, s.nodes() + c, ATTEMPT_NS);
             DirectLink<M> home = s.workload().equals("bound") ? new DirectLink<>(peers.get(c % s.nodes()), kv, linkId) : null) {
            while (System.nanoTime() < end) {
                int k = rng.nextInt(KEYS);
                String key = "k" + k;
                double u = rng.nextDouble();
                Fn f = u < readShare ? Fn.READ : u < writeShare ? Fn.WRITE : Fn.CAS;
                Object value = switch (f) {
                    case READ -> null;
                    case WRITE -> (long) c * 1_000_000L + ++counter;
                    case CAS -> new Cas(seen[k] == null ? 0 : seen[k], (long) c * 1_000_000L + ++counter);
                };
                record(process, Type.INVOKE, f, key, value);
                long start = System.nanoTime();
                if (home != null && f == Fn.READ) {
                    long id = ((long) linkId << 32) | ++linkSeq;
                    if (home.send(kv.request(id, Fn.READ, key, null))) {
                        KvProtocol.Answer a = home.await(id, start + OP_DEADLINE_NS);
                        if (a == null) {
                            // given up, but the answer may still come: it completes this read when it arrives
                            int p = process;
                            home.giveUp(id, late -> lateRead(p, key, late));
                            process += s.clients();
                            continue;
                        }
                        if (a.kind() == KvProtocol.Kind.OK) {
                            record(process, Type.OK, f, key, a.value());
                            okLatencies.add(System.nanoTime() - start);
                            seen[k] = a.value();
                            continue;
                        }
                        // not the leader (retry): the same read goes the usual way, below
                    }
                }
                KvClient.Result res = client.execute(f, key, value, start + OP_DEADLINE_NS);
                long took = System.nanoTime() - start;
                switch (res.status()) {
                    case OK -> {
                        record(process, Type.OK, f, key, f == Fn.READ ? res.value() : value);
                        okLatencies.add(took);
                        if (f != Fn.READ && killOnAck.compareAndSet(true, false)) {
                            int victim = client.target(); // the server its last attempt went to: the one that acknowledged
                            cluster.kill(victim);
                            ackKills.add(victim);
                        }
                        if (f == Fn.READ) {
                            seen[k] = res.value();
                        } else if (f == Fn.WRITE) {
                            seen[k] = (Long) value;
                        } else {
                            seen[k] = ((Cas) value).update();
                        }
                    }
                    case FAIL -> record(process, Type.FAIL, f, key, f == Fn.READ ? null : value);
                    case UNKNOWN -> {
                        if (f == Fn.READ) {
                            record(process, Type.FAIL, f, key, null);
                        } else {
                            record(process, Type.INFO, f, key, value);
                            process += s.clients(); // the operation may still be pending: a new process continues
                        }
                    }
                }
            }
            if (home != null) {
                home.close(); // no more late answers: the reads never answered did nothing
                home.unanswered().values().forEach(h -> h.accept(new KvProtocol.Answer(-1, KvProtocol.Kind.FAIL, null, -1)));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A bound read's answer that came after the read was given up: it completes the read (a retired process) now. */
    private void lateRead(int process, String key, KvProtocol.Answer a) {
        if (a.kind() == KvProtocol.Kind.OK) {
            lateReads.incrementAndGet();
            record(process, Type.OK, Fn.READ, key, a.value());
        } else {
            record(process, Type.FAIL, Fn.READ, key, null);
        }
    }

    private void nemesis(LocalCluster cluster, long end) throws InterruptedException {
        SplitMix64 rng = new SplitMix64(s.seed());
        List<Fault> kinds = new ArrayList<>(s.nemesis());
        Collections.sort(kinds); // enum order: the schedule must not depend on a set's iteration order
        int swizzleNext = -1;
        long quietTail = Math.min(3_000_000_000L, s.timeNs() / 4); // no fault starts in the last few seconds
        try {
            while (!kinds.isEmpty()) {
                Fault f = kinds.get(rng.nextInt(kinds.size()));
                // kill-all restarts every JVM: give the cluster a few seconds of service between two of them
                long gap = (f == Fault.KILL_ALL ? 3_000_000_000L : 1_000_000_000L) + rng.nextLong(2_000_000_000L);
                if (System.nanoTime() + gap > end - quietTail) {
                    break;
                }
                Thread.sleep(gap / 1_000_000L);
                long length = 500_000_000L + rng.nextLong(1_500_000_000L);
                faults.merge(f, 1, Integer::sum);
                int n = cluster.size();
                switch (f) {
                    case KILL -> {
                        int victim = rng.nextInt(n);
                        cluster.kill(victim);
                        Thread.sleep(length / 1_000_000L);
                        cluster.launch(victim);
                        cluster.awaitReady(victim, READY_NS); // a JVM start takes seconds on a loaded machine
                    }
                    case KILL_ALL -> {
                        for (int i = 0; i < n; i++) {
                            cluster.kill(i);
                        }
                        Thread.sleep(length / 1_000_000L);
                        for (int i = 0; i < n; i++) {
                            cluster.launch(i);
                        }
                        for (int i = 0; i < n; i++) {
                            cluster.awaitReady(i, READY_NS);
                        }
                    }
                    case PAUSE -> {
                        int victim = rng.nextInt(n);
                        cluster.pause(victim);
                        Thread.sleep(length / 1_000_000L);
                        cluster.resume(victim);
                    }
                    case ISOLATE_LEADER -> {
                        out.println(LeaderNemesis.strike(cluster, rng, length, (node, others) -> blockRetrying(cluster, node, others)));
                        out.flush();
                    }
                    case LEADER_MINORITY, PAUSE_LEADER, FLAP -> {
                        out.println(LeaderNemesis.strike(f.cliName(), cluster, rng, length, (node, others) -> blockRetrying(cluster, node, others)));
                        out.flush();
                    }
                    case SWIZZLE -> {
                        int victim = swizzleNext >= 0 ? swizzleNext : LeaderNemesis.awaitLeader(cluster, List.of(), 1_000_000_000L);
                        victim = victim < 0 ? rng.nextInt(n) : victim;
                        swizzleNext = (victim + 1) % n;
                        out.println("swizzle: killed node " + (victim + 1) + " for " + length / 1_000_000 + " ms");
                        out.flush();
                        cluster.kill(victim);
                        Thread.sleep(length / 1_000_000L);
                        cluster.launch(victim);
                        cluster.awaitReady(victim, READY_NS);
                    }
                    case CRASH_AFTER_ACK -> {
                        ackKills.clear();
                        killOnAck.set(true);
                        Integer victim = ackKills.poll(Math.max(length, 2_000_000_000L) / 1_000_000L, java.util.concurrent.TimeUnit.MILLISECONDS);
                        if (victim == null && !killOnAck.compareAndSet(true, false)) {
                            victim = ackKills.take(); // a client took the shot just now
                        }
                        if (victim == null) {
                            out.println("crash-after-ack: no write or cas acknowledged within " + Math.max(length, 2_000_000_000L) / 1_000_000L + " ms");
                        } else {
                            out.println("crash-after-ack: killed node " + (victim + 1) + " right after it acknowledged a write, down for " + length / 1_000_000
                                    + " ms");
                            Thread.sleep(length / 1_000_000L);
                            cluster.launch(victim);
                            cluster.awaitReady(victim, READY_NS);
                        }
                        out.flush();
                    }
                    case CLOCK_JUMP -> {
                        out.println(LeaderNemesis.clockStrike(cluster, rng, length, (node, command) -> admin(cluster, node, command),
                                (node, others) -> blockRetrying(cluster, node, others)));
                        out.flush();
                    }
                    case MEMBERSHIP -> {
                        out.println(LeaderNemesis.membershipStrike(cluster, rng, length, s.nodes() + 2 * s.clients()));
                        out.flush();
                    }
                    case BRIDGE -> {
                        List<Integer> order = new ArrayList<>();
                        for (int i = 0; i < n; i++) {
                            order.add(i);
                        }
                        for (int i = n - 1; i > 0; i--) {
                            Collections.swap(order, i, rng.nextInt(i + 1));
                        }
                        if (n >= 3) {
                            int half = 1 + (n - 1) / 2;
                            List<Integer> a = List.copyOf(order.subList(1, half));
                            List<Integer> b = List.copyOf(order.subList(half, n));
                            out.println("bridge: node " + (order.get(0) + 1) + " sees both " + a.stream().map(i -> i + 1).toList() + " and "
                                    + b.stream().map(i -> i + 1).toList() + " for " + length / 1_000_000 + " ms");
                            out.flush();
                            for (int i : a) {
                                blockRetrying(cluster, i, b);
                            }
                            for (int i : b) {
                                blockRetrying(cluster, i, a);
                            }
                            Thread.sleep(length / 1_000_000L);
                            for (int i = 0; i < n; i++) {
                                blockRetrying(cluster, i, List.of());
                            }
                        }
                    }
                    case PARTITION -> {
                        List<Integer> order = new ArrayList<>();
                        for (int i = 0; i < n; i++) {
                            order.add(i);
                        }
                        for (int i = n - 1; i > 0; i--) { // Fisher-Yates with the run's generator
                            Collections.swap(order, i, rng.nextInt(i + 1));
                        }
                        int minority = n < 2 ? 0 : 1 + rng.nextInt(Math.max(1, (n - 1) / 2));
                        List<Integer> a = List.copyOf(order.subList(0, minority));
                        List<Integer> b = List.copyOf(order.subList(minority, n));
                        for (int i : a) {
                            blockRetrying(cluster, i, b);
                        }
                        for (int i : b) {
                            blockRetrying(cluster, i, a);
                        }
                        Thread.sleep((length + 500_000_000L) / 1_000_000L);
                        for (int i = 0; i < n; i++) {
                            blockRetrying(cluster, i, List.of());
                        }
                    }
                }
            }
            while (System.nanoTime() < end) {
                Thread.sleep(Math.max(1, Math.min(200, (end - System.nanoTime()) / 1_000_000L)));
            }
        } finally {
            killOnAck.set(false);
            for (int i = 0; i < cluster.size(); i++) {
                cluster.resume(i);
                if (!cluster.isRunning(i)) {
                    cluster.launch(i);
                }
            }
        }
    }

    /** One admin command to node {@code node} (0-based); true if it answered "ok". */
    private boolean admin(LocalCluster cluster, int node, String command) {
        try {
            return AdminClient.call(cluster.peers().get(node), s.protocol(), command, 2000).strip().equals("ok");
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** Sets drop rules, retrying for up to 3 s (a node restarted a moment ago may not listen yet). */
    static void blockRetrying(LocalCluster cluster, int node, List<Integer> others) throws InterruptedException {
        long until = System.nanoTime() + 3_000_000_000L;
        while (true) {
            try {
                cluster.block(node, others);
                return;
            } catch (IOException e) {
                if (System.nanoTime() > until) {
                    return; // the node is down: it has no rules to set, and a restarted node starts without any
                }
                Thread.sleep(50);
            }
        }
    }

    /** The command line's help text ({@code ./dsw torture --help}). */
    public static String usage() {
        return """
                usage: ./dsw torture PROTOCOL --nodes N --clients C --time DURATION --nemesis LIST --seed S --history-out FILE
                                         [--fsync every|group|none] [--dir DATA] [--mutation M] [--workload mixed|bound]

                PROTOCOL: raft-kv, multi-paxos-kv (or paxos-kv), zab-kv, abd (reads and writes only: ABD has no cas).
                Starts N node processes on 127.0.0.1 (free ports), runs C clients over TCP for DURATION while a nemesis
                injects faults one at a time, records every operation (JSON Lines, chapter 5 format, real timestamps in ns
                since the start; timeouts of writes and cas are info), checks the history for linearizability and prints
                ops/s, latency percentiles, the faults injected and the verdict. Every process it starts is stopped at the
                end, on Ctrl-C, and (watching this process) even if the harness itself is killed.
                Exit code: 0 linearizable, 1 not linearizable, 2 usage or input error, 3 undecided.
                options:
                  --nodes N          servers (default 3)
                  --clients C        client threads (default 4)
                  --time DURATION    how long clients run: 20s, 500ms, 2m (default 20s)
                  --nemesis LIST     kill (SIGKILL + restart), pause (SIGSTOP/SIGCONT), partition (drop rules in the
                                     transport), kill-all (every server at once), isolate-leader (cut off the
                                     server whose status claims to lead, then the next one), leader-minority
                                     (the claimed leader in a minority), pause-leader (SIGSTOP the claimed
                                     leader past its election timeout), flap (the claimed leader's links down
                                     and up every 5-30 ms), swizzle (kill and restart in rotating order from the
                                     claimed leader), crash-after-ack (SIGKILL the server that acknowledged
                                     the next write, from the client, at once), clock-jump (the claimed
                                     leader's clock jumps 1-2 election timeouts forward, runs at 0.5x or 2x,
                                     or runs at 0.2x while the leader is cut off),
                                     membership (raft-kv: remove a server by a conf change sent to the claimed
                                     leader, then add it back; use --nodes 5), all (= kill,pause,partition),
                                     adversarial (= isolate-leader, leader-minority, pause-leader, flap,
                                     swizzle, crash-after-ack, clock-jump, bridge; and membership for
                                     raft-kv with --nodes 5 or more), bridge (two halves cut off from each
                                     other, one server seeing both), none
                  --mutation M       raft-kv only: every node runs the deliberate bug M (./dsw hunt raft-kv
                                     --list-mutations), e.g. leader-local-reads; default none
                  --workload W       mixed (default): every client follows the leader; bound: each client reads at
                                     its home server first (client i: server i mod N; a non-leader's retry
                                     sends the read the usual way), as Jepsen binds clients to nodes, so a
                                     deposed or woken leader is still asked; a read given up at its deadline
                                     and answered later completes when its answer arrives
                  --seed S           seeds the workload and the fault schedule (default 1)
                  --history-out FILE where to write the history (default: not written)
                  --fsync POLICY     every (default), group, or none (UNSAFE: shows acknowledged writes being lost)
                  --dir DATA         keep the nodes' data and logs in this (empty or new) folder instead of a temporary one
                """;
    }

    /**
     * Parses the command line of {@code ./dsw torture} and runs it; returns the exit code. Usage errors
     * are one line on {@code err} (exit 2).
     */
    public static int cli(List<String> args, PrintStream out, PrintStream err) throws IOException, InterruptedException {
        Settings settings;
        try {
            Opts o = Opts.parse(args, Set.of("nodes", "clients", "time", "nemesis", "seed", "history-out", "fsync", "dir", "mutation", "workload"), Set.of());
            if (o.positional().size() != 1) {
                throw new IllegalArgumentException("expected one protocol (" + String.join(", ", KvProtocol.NAMES) + "), got " + o.positional());
            }
            String historyOut = o.get("history-out", null);
            String dir = o.get("dir", null);
            int nodes = o.getInt("nodes", 3, 1, 9);
            String nemesisList = o.get("nemesis", "all");
            EnumSet<Fault> nemesis = Fault.parseList(nemesisList);
            boolean adversarial = Arrays.stream(nemesisList.split(",")).anyMatch(w -> w.trim().equalsIgnoreCase("adversarial"));
            if (adversarial && nodes >= 5 && KvProtocol.byName(o.positional().get(0)).name().equals(RaftKv.NAME)) {
                nemesis.add(Fault.MEMBERSHIP); // membership changes need the KV service's admin path, and 5 servers to leave 4 voters
            }
            settings = new Settings(o.positional().get(0), nodes, o.getInt("clients", 4, 1, 64),
                    Opts.duration("--time", o.get("time", "20s")), nemesis, o.getLong("seed", 1),
                    historyOut == null ? null : Path.of(historyOut), FsyncPolicy.parse(o.get("fsync", "every")), dir == null ? null : Path.of(dir),
                    o.get("mutation", "none"), o.get("workload", "mixed"));
        } catch (IllegalArgumentException e) {
            err.println("dsw torture: " + e.getMessage());
            return 2;
        }
        try {
            return run(settings, out).exitCode();
        } catch (DataFolderException | ClusterException e) {
            err.println("dsw torture: " + e.getMessage());
            return 2;
        }
    }

    public static void main(String[] args) throws Exception {
        System.exit(cli(List.of(args), System.out, System.err));
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + dir, e);
        }
    }
}
