package io.github.dsw.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * A cluster of node processes on this machine, one JVM each ({@link NodeMain}), with its data under one
 * folder: {@code node-N/} (the data folder), {@code node-N.log} (its stderr), {@code cluster.pids}
 * ("N PID HOST:PORT" per line) and {@code cluster.peers} (the peer list). Kills with SIGKILL, pauses with
 * SIGSTOP / SIGCONT, partitions through each node's admin drop rules. {@link #close} stops every process
 * it started (SIGCONT, SIGTERM, then SIGKILL after 5 s), and a JVM shutdown hook does the same if the
 * owner is interrupted; nodes started with {@code watchParent} also stop by themselves when this JVM is
 * gone (even after a SIGKILL, where no hook runs).
 */
public final class LocalCluster implements AutoCloseable {

    /** What to start; {@code nodeOptions} are appended to every node's command line (e.g. raft-lock's {@code --lock-delay}). */
    public record Spec(String protocol, Path dir, List<InetSocketAddress> peers, FsyncPolicy fsync, String storage, boolean watchParent,
                       List<String> jvmOptions, List<String> nodeOptions) {
        public Spec {
            peers = List.copyOf(peers);
            jvmOptions = List.copyOf(jvmOptions);
            nodeOptions = List.copyOf(nodeOptions);
        }

        /** Without extra node options. */
        public Spec(String protocol, Path dir, List<InetSocketAddress> peers, FsyncPolicy fsync, String storage, boolean watchParent,
                    List<String> jvmOptions) {
            this(protocol, dir, peers, fsync, storage, watchParent, jvmOptions, List.of());
        }
    }

    /** JVM options for node processes: a small heap and the serial collector suit a two-core machine running several JVMs. */
    public static final List<String> NODE_JVM = List.of("-XX:+UseSerialGC", "-Xms32m", "-Xmx384m", "-XX:TieredStopAtLevel=1", "-Xshare:auto",
            "-Djava.awt.headless=true");

    private final Spec spec;
    private final Process[] processes;
    private final boolean[] paused;
    private final Thread hook;
    private volatile boolean closed;

    /** A cluster owned by this JVM: its nodes are stopped by {@link #close} or, on interrupt, by a shutdown hook. */
    public LocalCluster(Spec spec) {
        this(spec, true);
    }

    /**
     * @param owned false for {@code ./dsw cluster start}: the nodes outlive this JVM (no shutdown hook);
     *              {@code ./dsw cluster stop} stops them later from their recorded pids
     */
    public LocalCluster(Spec spec, boolean owned) {
        this.spec = spec;
        this.processes = new Process[spec.peers().size()];
        this.paused = new boolean[spec.peers().size()];
        this.hook = owned ? new Thread(this::stopAll, "cluster-stop") : null;
        if (hook != null) {
            Runtime.getRuntime().addShutdownHook(hook);
        }
    }

    public int size() {
        return processes.length;
    }

    public List<InetSocketAddress> peers() {
        return spec.peers();
    }

    /** The peer list as {@code --peers} takes it. */
    public static String peerList(List<InetSocketAddress> peers) {
        return peers.stream().map(a -> a.getHostString() + ":" + a.getPort()).collect(Collectors.joining(","));
    }

    /** Starts every node, then waits until each answers its admin port. */
    public void startAll(long timeoutNs) {
        try {
            Files.createDirectories(spec.dir());
            Files.writeString(spec.dir().resolve("cluster.peers"), peerList(spec.peers()) + "\n");
        } catch (IOException e) {
            throw new DataFolderException("cannot write to cluster folder " + spec.dir() + ": " + e.getMessage());
        }
        for (int i = 0; i < processes.length; i++) {
            launch(i);
        }
        for (int i = 0; i < processes.length; i++) {
            awaitReady(i, timeoutNs);
        }
    }

    /** Starts node {@code i} (0-based), which must not be running. */
    public synchronized void launch(int i) {
        if (closed) {
            throw new IllegalStateException("cluster closed");
        }
        if (processes[i] != null && processes[i].isAlive()) {
            throw new IllegalStateException("node " + (i + 1) + " is running");
        }
        String java = ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> cmd = new ArrayList<>();
        cmd.add(java);
        cmd.addAll(spec.jvmOptions());
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(NodeMain.class.getName());
        cmd.add(spec.protocol());
        cmd.addAll(List.of("--id", String.valueOf(i + 1), "--peers", peerList(spec.peers()), "--dir", spec.dir().resolve("node-" + (i + 1)).toString(),
                "--fsync", spec.fsync().cliName(), "--storage", spec.storage()));
        if (spec.watchParent()) {
            cmd.addAll(List.of("--parent-pid", String.valueOf(ProcessHandle.current().pid())));
        }
        cmd.addAll(spec.nodeOptions());
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.redirectErrorStream(true);
        pb.redirectOutput(ProcessBuilder.Redirect.appendTo(spec.dir().resolve("node-" + (i + 1) + ".log").toFile()));
        pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        try {
            processes[i] = pb.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start node " + (i + 1) + ": " + e.getMessage(), e);
        }
        paused[i] = false;
        writePids();
    }

    /** Waits until node {@code i} answers {@code status} on its port; fails with its last log line if it exits. */
    public void awaitReady(int i, long timeoutNs) {
        long until = System.nanoTime() + timeoutNs;
        while (true) {
            Process p = processes[i];
            if (p == null || !p.isAlive()) {
                throw new ClusterException("node " + (i + 1) + " exited" + (p == null ? "" : " with code " + p.exitValue()) + ": " + lastLogLine(i));
            }
            try {
                AdminClient.call(spec.peers().get(i), spec.protocol(), "status", 1000);
                return;
            } catch (IOException e) {
                if (System.nanoTime() > until) {
                    throw new ClusterException("node " + (i + 1) + " did not answer on " + spec.peers().get(i) + " within "
                            + TimeUnit.NANOSECONDS.toSeconds(timeoutNs) + " s: " + lastLogLine(i));
                }
                sleep(50);
            }
        }
    }

    /** The last line node {@code i} logged (for error messages). */
    public String lastLogLine(int i) {
        try {
            List<String> lines = Files.readAllLines(spec.dir().resolve("node-" + (i + 1) + ".log"), StandardCharsets.UTF_8);
            return lines.isEmpty() ? "(no log)" : lines.get(lines.size() - 1);
        } catch (IOException e) {
            return "(no log)";
        }
    }

    public synchronized boolean isRunning(int i) {
        return processes[i] != null && processes[i].isAlive();
    }

    /** SIGKILL: the process dies at once, with whatever it had not forced. */
    public synchronized void kill(int i) {
        Process p = processes[i];
        if (p != null) {
            p.destroyForcibly(); // SIGKILL on Unix
            waitFor(p);
            paused[i] = false;
        }
    }

    /** SIGSTOP: the process freezes (its sockets stay open, its peers see silence). */
    public synchronized void pause(int i) {
        if (isRunning(i) && !paused[i]) {
            signal(processes[i].pid(), "STOP");
            paused[i] = true;
        }
    }

    /** SIGCONT. */
    public synchronized void resume(int i) {
        if (paused[i] && processes[i] != null) {
            signal(processes[i].pid(), "CONT");
            paused[i] = false;
        }
    }

    /** Sets node {@code i}'s drop rules: messages to and from the given nodes (0-based) are dropped. */
    public void block(int i, List<Integer> others) throws IOException {
        String list = others.stream().map(n -> String.valueOf(n + 1)).collect(Collectors.joining(","));
        AdminClient.call(spec.peers().get(i), spec.protocol(), others.isEmpty() ? "unblock" : "block " + list, 2000);
    }

    /** One status line per node (its first admin line, or why it has none). */
    public String status(int i) {
        try {
            return AdminClient.call(spec.peers().get(i), spec.protocol(), "status", 1000).lines().findFirst().orElse("");
        } catch (IOException | RuntimeException e) {
            return "no answer (" + e.getMessage() + ")";
        }
    }

    static void signal(long pid, String sig) {
        try {
            Process k = new ProcessBuilder("kill", "-" + sig, String.valueOf(pid)).redirectErrorStream(true).start();
            k.getInputStream().readAllBytes();
            k.waitFor(5, TimeUnit.SECONDS);
        } catch (IOException e) {
            throw new UncheckedIOException("kill -" + sig + " " + pid + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void waitFor(Process p) {
        try {
            p.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted");
        }
    }

    private void writePids() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < processes.length; i++) {
            if (processes[i] != null && processes[i].isAlive()) {
                InetSocketAddress a = spec.peers().get(i);
                sb.append(i + 1).append(' ').append(processes[i].pid()).append(' ').append(a.getHostString()).append(':').append(a.getPort()).append('\n');
            }
        }
        try {
            Files.writeString(spec.dir().resolve("cluster.pids"), sb.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Stops every node this object started: SIGCONT, SIGTERM, and SIGKILL for any still alive after 5 s. */
    private synchronized void stopAll() {
        closed = true;
        for (int i = 0; i < processes.length; i++) {
            if (processes[i] != null && processes[i].isAlive()) {
                signal(processes[i].pid(), "CONT");
                processes[i].destroy();
            }
        }
        long until = System.nanoTime() + 5_000_000_000L;
        for (Process p : processes) {
            if (p != null) {
                try {
                    long left = until - System.nanoTime();
                    if (left <= 0 || !p.waitFor(left, TimeUnit.NANOSECONDS)) {
                        p.destroyForcibly();
                        p.waitFor(5, TimeUnit.SECONDS);
                    }
                } catch (InterruptedException e) {
                    p.destroyForcibly();
                }
            }
        }
        try {
            Files.deleteIfExists(spec.dir().resolve("cluster.pids"));
        } catch (IOException ignored) {
            // best effort
        }
    }

    /** The pids of the processes still alive (for tests that check nothing is left behind). */
    public synchronized List<Long> livePids() {
        List<Long> out = new ArrayList<>();
        for (Process p : processes) {
            if (p != null && p.isAlive()) {
                out.add(p.pid());
            }
        }
        return out;
    }

    @Override
    public void close() {
        if (hook == null) {
            return; // not owned: the nodes keep running
        }
        stopAll();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // already shutting down: the hook is running or ran
        }
    }

    /** Reads a {@code cluster.pids} file: node number, pid, address; empty if there is none. */
    public static List<String[]> readPids(Path dir) {
        Path f = dir.resolve("cluster.pids");
        if (!Files.exists(f)) {
            return List.of();
        }
        try {
            return Files.readAllLines(f, StandardCharsets.UTF_8).stream().filter(l -> !l.isBlank()).map(l -> l.trim().split(" ")).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The process with {@code pid} if it is alive and runs a node (so a reused pid is never signalled). */
    public static Optional<ProcessHandle> nodeProcess(long pid) {
        return ProcessHandle.of(pid).filter(ProcessHandle::isAlive).filter(h -> commandLine(h).map(c -> c.contains(NodeMain.class.getName())).orElse(true));
    }

    /**
     * A process's whole command line, read from Linux's {@code /proc/PID/cmdline} where it exists.
     * {@code ProcessHandle.Info.commandLine()} came back without the main class for nodes started from a
     * test JVM with a long class path, so {@code ./dsw cluster status} called running nodes "not running"
     * (and {@code stop} would have left them alone).
     */
    public static Optional<String> commandLine(ProcessHandle h) {
        Path proc = Path.of("/proc", String.valueOf(h.pid()), "cmdline");
        try {
            if (Files.isReadable(proc)) {
                return Optional.of(new String(Files.readAllBytes(proc), StandardCharsets.UTF_8).replace('\0', ' '));
            }
        } catch (IOException e) {
            // gone, or not readable: fall back
        }
        return h.info().commandLine();
    }
}
