package io.github.dsw.cluster;

import io.github.dsw.check.HistoryEvent.Type;
import io.github.dsw.check.LockChecker;
import io.github.dsw.check.LockHistory;
import io.github.dsw.check.LockHistory.Event;
import io.github.dsw.check.LockHistory.Fn;
import io.github.dsw.lease.FencedResource;
import io.github.dsw.runtime.SplitMix64;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.Writer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;

/**
 * The lock service under faults, on real processes: a {@link LocalCluster} of {@link RaftLock} nodes, lock
 * clients that are separate JVMs ({@link Client}) and a resource server in this process, while a nemesis
 * SIGKILLs, SIGSTOPs and partitions the leader and SIGKILLs and SIGSTOPs the client that holds the lock.
 *
 * <p><b>Workload.</b> Every client loops: acquire lock {@link #LOCK} (waiting in its FIFO queue), then
 * {@link #WRITES} times: check its lease ({@link LockClient#leaseValid}), "prepare" the write for
 * {@link #THINK_MS} ms, and write one value, with its fencing token, to two resources of the resource server:
 * {@link #FENCED}, which checks tokens ({@link FencedResource}), and {@link #PLAIN}, which accepts every write
 * (a resource that ignores tokens: the unfenced variant, run in the same schedule); then release. A holder
 * stopped during the preparation past its lease is Kleppmann's paused client: its session expires, the next
 * waiter gets the lock with a higher token and writes, and the first wakes and writes with its old token.
 *
 * <p><b>History</b> (the lock histories of chapter 9, {@link LockHistory}): each client prints its events with
 * its {@link System#nanoTime} readings, which on Linux are one system-wide monotonic clock (CLOCK_MONOTONIC)
 * for every process, so this process can merge them in real-time order; times are made relative to the
 * harness's start. A client killed mid-operation leaves that operation open; its replacement is a new process.
 *
 * <p><b>Verdicts.</b> {@link LockChecker#fencedWrites} on the fenced resource must hold whatever the faults:
 * the resource refuses lower tokens, and tokens are log indexes, strictly increasing per lock across leader
 * changes and crashes (a service that reissued an old token, or lost a grant, would show here). On the plain
 * resource the same checker finds the paused holders' stale writes. {@link LockChecker#mutualExclusion} holds
 * unless a holder is paused past its lease (no lease lock can prevent that; the checker reports the overlap);
 * no two processes may be granted the same token, and a process's grant after a successful release must carry a
 * higher token than the one it released (a client that took a stale grant notice for a new grant fails here).
 */
public final class LockTorture {

    /** The one lock every client contends for, and the two resources. */
    public static final String LOCK = "L";
    public static final String FENCED = "fenced";
    public static final String PLAIN = "plain";

    /** Writes per hold, and how long a client prepares each (the window a pause hits). */
    public static final int WRITES = 3;
    public static final int THINK_MS = 120;

    /** Fault kinds. */
    public enum Fault {
        PAUSE_HOLDER, KILL_HOLDER, KILL_LEADER, PAUSE_LEADER, PARTITION_LEADER;

        public String cliName() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }

        /** Parses a list of names, {@code all}, {@code servers} (the three leader faults), {@code holders} (the two client faults), {@code none}. */
        public static EnumSet<Fault> parseList(String s) {
            EnumSet<Fault> out = EnumSet.noneOf(Fault.class);
            for (String raw : s.split(",")) {
                String t = raw.trim().toLowerCase(Locale.ROOT);
                switch (t) {
                    case "none" -> { }
                    case "all" -> out.addAll(EnumSet.allOf(Fault.class));
                    case "servers" -> out.addAll(EnumSet.of(KILL_LEADER, PAUSE_LEADER, PARTITION_LEADER));
                    case "holders" -> out.addAll(EnumSet.of(PAUSE_HOLDER, KILL_HOLDER));
                    default -> out.add(Arrays.stream(values()).filter(v -> v.cliName().equals(t)).findFirst()
                            .orElseThrow(() -> new IllegalArgumentException("--nemesis: unknown fault '" + raw.trim()
                                    + "' (pause-holder, kill-holder, kill-leader, pause-leader, partition-leader, servers, holders, all, none)")));
                }
            }
            return out;
        }
    }

    /** What to run. {@code dir} null: a temporary folder, deleted afterwards. */
    public record Settings(int nodes, int clients, long timeNs, Set<Fault> nemesis, long seed, long ttlNs, Path historyOut, Path dir) {
        public Settings {
            if (nodes < 1 || nodes > 9) {
                throw new IllegalArgumentException("--nodes must be in 1..9, got " + nodes);
            }
            if (clients < 2 || clients > 16) {
                throw new IllegalArgumentException("--clients must be in 2..16 (a lock needs contenders), got " + clients);
            }
            if (timeNs < 1_000_000_000L || timeNs > 3_600_000_000_000L) {
                throw new IllegalArgumentException("--time must be between 1s and 1h, got " + timeNs / 1_000_000 + " ms");
            }
            if (ttlNs < 200_000_000L || ttlNs > 60_000_000_000L) {
                throw new IllegalArgumentException("--ttl must be between 200ms and 60s, got " + ttlNs / 1_000_000 + " ms");
            }
            nemesis = nemesis.isEmpty() ? Set.of() : Collections.unmodifiableSet(EnumSet.copyOf(nemesis));
        }
    }

    /** What a run produced. */
    public record Outcome(LockHistory history, LockChecker.Result fenced, LockChecker.Result plain, LockChecker.Result exclusion,
                          List<String> duplicateTokens, Map<Fault, Integer> faults, int grants, String report) {
        /**
         * 1 if the fenced resource accepted a stale write, two grants shared a token, or mutual exclusion broke
         * although no client was paused or killed; else 0.
         */
        public int exitCode(Set<Fault> nemesis) {
            boolean holderFaults = nemesis.contains(Fault.PAUSE_HOLDER) || nemesis.contains(Fault.KILL_HOLDER);
            return !fenced.holds() || !duplicateTokens.isEmpty() || (!exclusion.holds() && !holderFaults) ? 1 : 0;
        }
    }

    /** How long a restarted node or a client may take to be ready (JVM starts under load take seconds). */
    static final long READY_NS = 60_000_000_000L;

    private final Settings s;
    private final PrintStream out;
    private final List<Event> events = new ArrayList<>();
    private final Map<Integer, Boolean> holding = new ConcurrentHashMap<>();
    private final Map<Integer, Process> clients = new ConcurrentHashMap<>();
    private final Map<Integer, Boolean> ready = new ConcurrentHashMap<>();
    private final Map<Integer, Thread> readers = new ConcurrentHashMap<>();
    private final Map<Fault, Integer> faults = new EnumMap<>(Fault.class);
    private final AtomicBoolean stopping = new AtomicBoolean();
    private int unparsable;
    private long t0;

    private LockTorture(Settings s, PrintStream out) {
        this.s = s;
        this.out = out;
    }

    /** Runs the whole torture and prints its report to {@code out}. */
    public static Outcome run(Settings s, PrintStream out) throws IOException, InterruptedException {
        return new LockTorture(s, out).run();
    }

    private Outcome run() throws IOException, InterruptedException {
        boolean temporary = s.dir() == null;
        Path dir = temporary ? Files.createTempDirectory("dsw-lock-torture-") : s.dir().toAbsolutePath();
        if (!temporary) {
            Files.createDirectories(dir);
            try (var files = Files.list(dir)) {
                if (files.findAny().isPresent()) {
                    throw new DataFolderException("--dir " + dir + " is not empty: the harness starts every run on fresh data folders");
                }
            }
        }
        List<InetSocketAddress> peers = Torture.freeLoopbackPorts(s.nodes());
        String kinds = s.nemesis().isEmpty() ? "none" : s.nemesis().stream().map(Fault::cliName).collect(Collectors.joining(","));
        out.printf(Locale.ROOT, "lock torture: %d raft-lock nodes, %d client processes, %d s, ttl %d ms, nemesis %s, seed %d; data in %s%n", s.nodes(),
                s.clients(), s.timeNs() / 1_000_000_000L, s.ttlNs() / 1_000_000, kinds, s.seed(), dir);
        out.flush();
        long wallStart = System.currentTimeMillis();
        LocalCluster cluster = new LocalCluster(new LocalCluster.Spec(RaftLock.NAME, dir, peers, FsyncPolicy.EVERY, "disk", true, LocalCluster.NODE_JVM));
        Thread hook = new Thread(this::killClients, "lock-torture-clients");
        Runtime.getRuntime().addShutdownHook(hook);
        ResourceServer resource = new ResourceServer();
        try {
            cluster.startAll(READY_NS);
            t0 = System.nanoTime();
            int nextProcess = 0;
            for (; nextProcess < s.clients(); nextProcess++) {
                startClient(nextProcess, peers, resource.address(), dir);
            }
            long until = System.nanoTime() + READY_NS;
            while (ready.size() < s.clients() && System.nanoTime() < until) {
                Thread.sleep(50);
            }
            if (ready.size() < s.clients()) {
                throw new ClusterException("only " + ready.size() + " of " + s.clients() + " lock clients opened a session within 60 s; see " + dir);
            }
            long end = System.nanoTime() + s.timeNs();
            nemesis(cluster, peers, resource.address(), dir, end, nextProcess);
            stopClients();
        } finally {
            killClients();
            cluster.close();
            resource.close();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // shutting down
            }
            if (temporary) {
                deleteTree(dir);
            }
        }
        List<Event> merged;
        synchronized (events) {
            merged = new ArrayList<>(events);
        }
        merged.sort((a, b) -> Long.compare(a.timeNs(), b.timeNs())); // stable: one process's events keep their order
        LockHistory h = new LockHistory(merged);
        if (s.historyOut() != null) {
            Path parent = s.historyOut().toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            try (Writer w = Files.newBufferedWriter(s.historyOut(), StandardCharsets.UTF_8)) {
                h.write(w);
            }
        }
        LockChecker.Result fenced = LockChecker.fencedWrites(only(h, FENCED));
        LockChecker.Result plain = LockChecker.fencedWrites(only(h, PLAIN));
        LockChecker.Result exclusion = LockChecker.mutualExclusion(h);
        Map<Long, Integer> byToken = new TreeMap<>();
        Map<Integer, Long> releasedOk = new HashMap<>();
        List<String> duplicates = new ArrayList<>();
        int grants = 0;
        int rejected = 0;
        for (Event e : h.events()) {
            if (e.f() == Fn.ACQUIRE && e.type() == Type.OK) {
                grants++;
                Integer before = byToken.putIfAbsent(e.token(), e.process());
                if (before != null && before != e.process()) {
                    duplicates.add("token " + e.token() + " granted to process " + before + " and to process " + e.process());
                }
                Long released = releasedOk.get(e.process());
                if (released != null && e.token() <= released) {
                    duplicates.add("process " + e.process() + " was granted token " + e.token() + " after releasing token " + released);
                }
            }
            if (e.f() == Fn.RELEASE && e.type() == Type.OK && e.token() != null) {
                releasedOk.merge(e.process(), e.token(), Math::max);
            }
            if (e.f() == Fn.WRITE && e.type() == Type.FAIL && e.key().equals(FENCED)) {
                rejected++;
            }
        }
        StringBuilder r = new StringBuilder();
        r.append(String.format(Locale.ROOT, "started %s; faults injected: %s%n", java.time.Instant.ofEpochMilli(wallStart),
                faults.isEmpty() ? "none" : faults.entrySet().stream().map(e -> e.getKey().cliName() + " " + e.getValue()).collect(Collectors.joining(", "))));
        r.append(String.format(Locale.ROOT, "grants: %d (%d distinct tokens); events: %d%s%n", grants, byToken.size(), h.events().size(),
                unparsable == 0 ? "" : "; " + unparsable + " unparsable client lines dropped (a client killed mid-line)"));
        r.append("fenced resource (checks tokens): ").append(fenced.describe());
        r.append("  stale writes it refused: ").append(rejected).append('\n');
        r.append("plain resource (ignores tokens, same writes): ").append(plain.describe());
        r.append(exclusion.describe());
        if (!exclusion.holds() && s.nemesis().contains(Fault.PAUSE_HOLDER)) {
            r.append("  (expected: a holder stopped past its lease still believes it holds the lock; only the tokens protect the resource)\n");
        }
        r.append(duplicates.isEmpty() ? "tokens: every grant has its own token, above the tokens its process released before\n"
                : "tokens: WRONG " + duplicates + "\n");
        if (s.historyOut() != null) {
            r.append("history: ").append(s.historyOut()).append(" (").append(h.events().size()).append(" events)\n");
        }
        out.print(r);
        out.flush();
        return new Outcome(h, fenced, plain, exclusion, List.copyOf(duplicates), Map.copyOf(faults), grants, r.toString());
    }

    private static void deleteTree(Path dir) {
        try (var walk = Files.walk(dir)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            // a temporary folder: left for the OS to clean
        }
    }

    /** The history without the writes to the other resource. */
    private static LockHistory only(LockHistory h, String resource) {
        return new LockHistory(h.events().stream().filter(e -> e.f() != Fn.WRITE || e.key().equals(resource)).toList());
    }

    // ---------------------------------------------------------------- clients

    private void startClient(int process, List<InetSocketAddress> peers, InetSocketAddress resource, Path dir) throws IOException {
        String java = ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> cmd = new ArrayList<>();
        cmd.add(java);
        cmd.addAll(LocalCluster.NODE_JVM);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), Client.class.getName(), LocalCluster.peerList(peers),
                resource.getHostString() + ":" + resource.getPort(), String.valueOf(process), String.valueOf(s.ttlNs() / 1_000_000),
                String.valueOf(s.seed() * 1_000_003L + process), String.valueOf(s.nodes() + 1 + process)));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.redirectError(ProcessBuilder.Redirect.appendTo(dir.resolve("client-" + process + ".log").toFile()));
        Process p = pb.start();
        clients.put(process, p);
        readers.put(process, Thread.ofPlatform().daemon().name("lock-client-" + process + "-out").start(() -> readClient(process, p)));
    }

    private void readClient(int process, Process p) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            int n = 0;
            while ((line = in.readLine()) != null) {
                n++;
                if (line.startsWith("#")) {
                    if (line.startsWith("# ready")) {
                        ready.put(process, true);
                    }
                    continue;
                }
                Event e;
                try {
                    e = LockHistory.parseLine(line, n);
                } catch (RuntimeException ex) {
                    synchronized (events) {
                        unparsable++;
                    }
                    continue;
                }
                Event shifted = new Event(e.process(), e.type(), e.f(), e.key(), e.token(), e.value(), e.timeNs() - t0);
                if (e.f() == Fn.ACQUIRE && e.type() == Type.OK) {
                    holding.put(process, true);
                } else if (e.f() == Fn.RELEASE && e.type() == Type.INVOKE) {
                    holding.remove(process);
                }
                synchronized (events) {
                    events.add(shifted);
                }
            }
        } catch (IOException e) {
            // the client is gone
        }
        holding.remove(process);
    }

    /** Asks every client to stop (a line on its stdin: it releases, closes its session and exits), then waits. */
    private void stopClients() throws InterruptedException {
        stopping.set(true);
        for (Process p : clients.values()) {
            LocalCluster.signal(p.pid(), "CONT");
            try {
                p.getOutputStream().write("stop\n".getBytes(StandardCharsets.UTF_8));
                p.getOutputStream().flush();
                p.getOutputStream().close();
            } catch (IOException e) {
                // already gone
            }
        }
        long until = System.nanoTime() + 15_000_000_000L;
        for (Process p : clients.values()) {
            long left = until - System.nanoTime();
            if (left > 0) {
                p.waitFor(left, TimeUnit.NANOSECONDS);
            }
        }
        Thread.sleep(100); // the readers drain the last lines
    }

    private void killClients() {
        for (Process p : clients.values()) {
            if (p.isAlive()) {
                LocalCluster.signal(p.pid(), "CONT");
                p.destroyForcibly();
            }
        }
        for (Process p : clients.values()) {
            try {
                p.waitFor(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    // ---------------------------------------------------------------- nemesis

    private void nemesis(LocalCluster cluster, List<InetSocketAddress> peers, InetSocketAddress resource, Path dir, long end, int nextProcess)
            throws InterruptedException, IOException {
        SplitMix64 rng = new SplitMix64(s.seed());
        List<Fault> kinds = new ArrayList<>(s.nemesis());
        List<Fault> cycle = new ArrayList<>();
        int n = cluster.size();
        try {
            while (System.nanoTime() < end - 1_000_000_000L && !kinds.isEmpty()) {
                Thread.sleep(700 + rng.nextInt(1300));
                if (cycle.isEmpty()) {
                    // each cycle: a holder's pause first (the fault fencing exists for), then the others in a seeded order
                    List<Fault> rest = new ArrayList<>(kinds);
                    rest.remove(Fault.PAUSE_HOLDER);
                    for (int i = rest.size() - 1; i > 0; i--) {
                        Collections.swap(rest, i, rng.nextInt(i + 1));
                    }
                    if (kinds.contains(Fault.PAUSE_HOLDER)) {
                        cycle.add(Fault.PAUSE_HOLDER);
                    }
                    cycle.addAll(rest);
                }
                Fault f = cycle.remove(0);
                if (System.nanoTime() >= end - 1_000_000_000L) {
                    break;
                }
                boolean done = switch (f) {
                    case PAUSE_HOLDER, KILL_HOLDER -> {
                        int holder = awaitHolder(rng, 3_000_000_000L);
                        if (holder < 0) {
                            yield false;
                        }
                        Process p = clients.get(holder);
                        if (f == Fault.PAUSE_HOLDER) {
                            LocalCluster.signal(p.pid(), "STOP");
                            Thread.sleep(s.ttlNs() / 1_000_000 + 2500); // past its lease, and long enough for the next holder to write
                            LocalCluster.signal(p.pid(), "CONT");
                        } else {
                            p.destroyForcibly();
                            p.waitFor(10, TimeUnit.SECONDS);
                            long killedAt = System.nanoTime() - t0;
                            Thread reader = readers.get(holder);
                            if (reader != null) {
                                reader.join(5000); // its last lines are in
                            }
                            clients.remove(holder);
                            endKilled(holder, killedAt);
                            startClient(nextProcess++, peers, resource, dir); // a new process takes its place
                        }
                        yield true;
                    }
                    case KILL_LEADER, PAUSE_LEADER, PARTITION_LEADER -> {
                        int leader = leader(cluster);
                        if (leader < 0) {
                            yield false;
                        }
                        long length = 500_000_000L + rng.nextLong(1_500_000_000L);
                        switch (f) {
                            case KILL_LEADER -> {
                                cluster.kill(leader);
                                Thread.sleep(length / 1_000_000);
                                cluster.launch(leader);
                                cluster.awaitReady(leader, READY_NS);
                            }
                            case PAUSE_LEADER -> {
                                cluster.pause(leader);
                                Thread.sleep(length / 1_000_000);
                                cluster.resume(leader);
                            }
                            default -> {
                                List<Integer> others = new ArrayList<>();
                                for (int i = 0; i < n; i++) {
                                    if (i != leader) {
                                        others.add(i);
                                    }
                                }
                                block(cluster, leader, others);
                                for (int i : others) {
                                    block(cluster, i, List.of(leader));
                                }
                                Thread.sleep(length / 1_000_000 + 500);
                                for (int i = 0; i < n; i++) {
                                    block(cluster, i, List.of());
                                }
                            }
                        }
                        yield true;
                    }
                };
                if (done) {
                    faults.merge(f, 1, Integer::sum);
                }
            }
            while (System.nanoTime() < end) {
                Thread.sleep(Math.max(1, Math.min(200, (end - System.nanoTime()) / 1_000_000L)));
            }
        } finally {
            for (int i = 0; i < n; i++) {
                cluster.resume(i);
                if (!cluster.isRunning(i)) {
                    cluster.launch(i);
                }
            }
            for (Process p : clients.values()) {
                LocalCluster.signal(p.pid(), "CONT");
            }
        }
    }

    /**
     * A SIGKILLed client acts no more: its outstanding operation completes as {@code info} at its death, and if
     * it held the lock, a release is recorded there ({@code invoke} + {@code info}: its hold ended, the service
     * frees the lock when the session expires). Without this the checker would count it as holding to the end.
     */
    private void endKilled(int process, long atNs) {
        synchronized (events) {
            Event open = null;
            boolean holds = false;
            for (Event e : events) {
                if (e.process() != process) {
                    continue;
                }
                open = e.type() == Type.INVOKE ? e : null;
                if (e.f() == Fn.ACQUIRE && e.type() == Type.OK) {
                    holds = true;
                } else if (e.f() == Fn.RELEASE && e.type() == Type.INVOKE) {
                    holds = false;
                }
            }
            Long token = null;
            for (Event e : events) {
                if (e.process() == process && e.f() == Fn.ACQUIRE && e.type() == Type.OK) {
                    token = e.token();
                }
            }
            if (open != null) {
                events.add(new Event(process, Type.INFO, open.f(), open.key(), open.token(), open.value(), atNs));
            }
            if (holds && (open == null || open.f() != Fn.RELEASE)) {
                events.add(new Event(process, Type.INVOKE, Fn.RELEASE, LOCK, token, null, atNs));
                events.add(new Event(process, Type.INFO, Fn.RELEASE, LOCK, token, null, atNs));
            }
        }
    }

    private int awaitHolder(SplitMix64 rng, long waitNs) throws InterruptedException {
        long until = System.nanoTime() + waitNs;
        while (System.nanoTime() < until) {
            List<Integer> h = new ArrayList<>(new TreeMap<>(holding).keySet());
            h.removeIf(p -> !clients.containsKey(p) || !clients.get(p).isAlive());
            if (!h.isEmpty()) {
                return h.get(rng.nextInt(h.size()));
            }
            Thread.sleep(20);
        }
        return -1;
    }

    /** The node that says it is the leader, or -1 (none answered so). */
    private static int leader(LocalCluster cluster) {
        for (int i = 0; i < cluster.size(); i++) {
            if (cluster.isRunning(i) && cluster.status(i).matches("raft: node \\d+ leader .*")) {
                return i;
            }
        }
        return -1;
    }

    private static void block(LocalCluster cluster, int node, List<Integer> others) throws InterruptedException {
        long until = System.nanoTime() + 3_000_000_000L;
        while (true) {
            try {
                cluster.block(node, others);
                return;
            } catch (IOException e) {
                if (System.nanoTime() > until) {
                    return;
                }
                Thread.sleep(50);
            }
        }
    }

    // ---------------------------------------------------------------- the resource server

    /**
     * The two resources on one TCP port of 127.0.0.1, a line per request: {@code W KEY TOKEN VALUE} answered
     * {@code ok} or {@code rejected HIGHEST}. {@link #FENCED} is a {@link FencedResource}; {@link #PLAIN} accepts all.
     */
    static final class ResourceServer implements AutoCloseable {
        private final ServerSocket server;
        private final FencedResource fenced = new FencedResource();
        private final Map<String, String> plain = new HashMap<>();
        private final List<Socket> open = Collections.synchronizedList(new ArrayList<>());

        ResourceServer() throws IOException {
            server = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
            Thread.ofVirtual().start(this::accept);
        }

        InetSocketAddress address() {
            return new InetSocketAddress("127.0.0.1", server.getLocalPort());
        }

        private void accept() {
            while (!server.isClosed()) {
                try {
                    Socket c = server.accept();
                    open.add(c);
                    Thread.ofVirtual().start(() -> serve(c));
                } catch (IOException e) {
                    return;
                }
            }
        }

        private void serve(Socket c) {
            try (c; BufferedReader in = new BufferedReader(new InputStreamReader(c.getInputStream(), StandardCharsets.UTF_8));
                 BufferedWriter w = new BufferedWriter(new OutputStreamWriter(c.getOutputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    String[] p = line.split(" ", 4);
                    String answer;
                    if (p.length != 4 || !p[0].equals("W")) {
                        answer = "error expected W KEY TOKEN VALUE";
                    } else if (p[1].equals(FENCED)) {
                        FencedResource.Outcome o = fenced.writeWithOutcome(p[1], Long.parseLong(p[2]), p[3]);
                        answer = o.accepted() ? "ok" : "rejected " + o.highestToken();
                    } else {
                        synchronized (plain) {
                            plain.put(p[1], p[3]);
                        }
                        answer = "ok";
                    }
                    w.write(answer);
                    w.write('\n');
                    w.flush();
                }
            } catch (IOException | RuntimeException e) {
                // the client went away
            }
        }

        @Override
        public void close() throws IOException {
            server.close();
            synchronized (open) {
                for (Socket c : open) {
                    c.close();
                }
            }
        }
    }

    // ---------------------------------------------------------------- the client process

    /**
     * One lock client as its own JVM: {@code Client CLUSTER RESOURCE PROCESS TTL_MS SEED CLIENT_ID}. Prints its
     * history events on stdout (absolute {@link System#nanoTime}), {@code #} lines otherwise; stops when its
     * stdin says {@code stop} or ends (releasing what it holds and closing its session).
     */
    public static final class Client {
        private final PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), false, StandardCharsets.UTF_8);
        private final int process;
        private volatile boolean stop;

        private Client(int process) {
            this.process = process;
        }

        public static void main(String[] a) throws Exception {
            new Client(Integer.parseInt(a[2])).run(Opts.peers("cluster", a[0]), Opts.peers("resource", a[1]).get(0), Long.parseLong(a[3]) * 1_000_000L,
                    Long.parseLong(a[4]), Integer.parseInt(a[5]));
            System.exit(0);
        }

        private void emit(Type type, Fn f, String key, Long token, String value) {
            out.println(LockHistory.toLine(new Event(process, type, f, key, token, value, System.nanoTime())));
            out.flush();
        }

        private void run(List<InetSocketAddress> servers, InetSocketAddress resource, long ttlNs, long seed, int clientId) throws Exception {
            Thread.ofPlatform().daemon().start(() -> {
                try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
                    String l;
                    while ((l = in.readLine()) != null && !l.trim().equals("stop")) {
                        // wait
                    }
                } catch (IOException e) {
                    // treated as stop
                }
                stop = true;
            });
            SplitMix64 rng = new SplitMix64(seed);
            try (Socket rs = new Socket()) {
                rs.connect(resource, 5000);
                rs.setTcpNoDelay(true);
                BufferedReader rin = new BufferedReader(new InputStreamReader(rs.getInputStream(), StandardCharsets.UTF_8));
                Writer rout = new BufferedWriter(new OutputStreamWriter(rs.getOutputStream(), StandardCharsets.UTF_8));
                LockClient lc = openSession(servers, clientId, ttlNs);
                out.println("# ready session " + (lc == null ? -1 : lc.session()));
                out.flush();
                int n = 0;
                while (!stop && lc != null) {
                    if (lc.sessionLost() != null) {
                        lc.close(0);
                        lc = openSession(servers, clientId, ttlNs);
                        continue;
                    }
                    emit(Type.INVOKE, Fn.ACQUIRE, LOCK, null, null);
                    long token = -1;
                    boolean refused = false;
                    while (token < 0 && !stop) {
                        try {
                            token = lc.acquire(LOCK, System.nanoTime() + 2_000_000_000L);
                        } catch (LockClient.Refused e) {
                            refused = true;
                            break;
                        } catch (LockClient.NoAnswer e) {
                            // keep asking: the operation is still outstanding
                        }
                    }
                    if (token < 0) {
                        emit(refused ? Type.FAIL : Type.INFO, Fn.ACQUIRE, LOCK, null, null);
                        if (refused) {
                            lc.close(0);
                            lc = openSession(servers, clientId, ttlNs);
                        }
                        continue;
                    }
                    emit(Type.OK, Fn.ACQUIRE, LOCK, token, null);
                    for (int w = 0; w < WRITES && !stop; w++) {
                        if (!lc.leaseValid()) {
                            break; // the lease ran out: stop acting as the holder
                        }
                        Thread.sleep(THINK_MS); // preparing the write: a pause here outlives the check above
                        String value = "p" + process + "-" + (++n);
                        for (String key : List.of(FENCED, PLAIN)) {
                            emit(Type.INVOKE, Fn.WRITE, key, token, value);
                            rout.write("W " + key + " " + token + " " + value + "\n");
                            rout.flush();
                            String answer = rin.readLine();
                            if (answer == null) {
                                throw new IOException("the resource server closed the connection");
                            }
                            emit(answer.equals("ok") ? Type.OK : Type.FAIL, Fn.WRITE, key, token, value);
                        }
                    }
                    emit(Type.INVOKE, Fn.RELEASE, LOCK, token, null);
                    try {
                        lc.release(LOCK, token, System.nanoTime() + 3_000_000_000L);
                        emit(Type.OK, Fn.RELEASE, LOCK, token, null);
                    } catch (LockClient.Refused e) {
                        emit(Type.FAIL, Fn.RELEASE, LOCK, token, null);
                        out.println("# release refused: " + e.getMessage());
                    } catch (LockClient.NoAnswer e) {
                        emit(Type.INFO, Fn.RELEASE, LOCK, token, null);
                    }
                    Thread.sleep(rng.nextInt(50));
                }
                if (lc != null) {
                    lc.close(1_000_000_000L);
                }
            }
        }

        private LockClient openSession(List<InetSocketAddress> servers, int clientId, long ttlNs) {
            while (!stop) {
                LockClient lc = new LockClient(servers, clientId, 300_000_000L);
                try {
                    lc.open(ttlNs, System.nanoTime() + 5_000_000_000L);
                    return lc;
                } catch (RuntimeException e) {
                    lc.close(0);
                }
            }
            return null;
        }
    }
}
