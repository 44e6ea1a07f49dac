package io.github.dsw.cli;

import io.github.dsw.cluster.AdminClient;
import io.github.dsw.cluster.ClusterException;
import io.github.dsw.cluster.DataFolderException;
import io.github.dsw.cluster.FsyncPolicy;
import io.github.dsw.cluster.LocalCluster;
import io.github.dsw.cluster.ServerProtocol;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code ./dsw cluster start|stop|status raft-kv|multi-paxos-kv|abd}: a local cluster of separate node JVMs on 127.0.0.1,
 * its data, logs and pids under one folder ({@link LocalCluster}). The nodes outlive this command;
 * {@code stop} ends them cleanly (SIGTERM: each forces and closes its log), then forcibly after 10 s.
 */
final class ClusterCommand implements Command {

    @Override
    public String name() {
        return "cluster";
    }

    @Override
    public String summary() {
        return "start, stop or show a local cluster of node processes (data, logs and pids in one folder)";
    }

    @Override
    public String help() {
        return """
                usage: ./dsw cluster start|stop|status PROTOCOL [--nodes N] [--dir DIR] [--base-port P] [--fsync every|group|none]
                                                        [--lock-delay D]

                PROTOCOL: raft-kv, multi-paxos-kv (or paxos-kv), abd, zab-kv, raft-lock (chapter 9's lock service: ./dsw lock)
                start   starts N node JVMs on 127.0.0.1:P .. P+N-1, data in DIR/node-K, logs in DIR/node-K.log, pids in
                        DIR/cluster.pids; waits until each answers; prints the --cluster list for ./dsw kv
                stop    stops the nodes recorded in DIR/cluster.pids (SIGTERM, then SIGKILL after 10 s)
                status  one line per node: pid, address and the protocol's state (Raft: role, term, leader, commit index)
                options:
                  --nodes N        servers (default 3)
                  --dir DIR        cluster folder (default cluster-data/PROTOCOL)
                  --base-port P    first port (default 7001)
                  --fsync POLICY   every (default), group, none (UNSAFE)
                  --lock-delay D   raft-lock only: Chubby's lock-delay, e.g. 5s or 500ms (default 0: none): a lock whose
                                   holder's session expired is granted to nobody for D, for resources that check no token
                """;
    }

    @Override
    public int run(List<String> argv) throws Exception {
        Args a = Args.forCommand(name()).option("nodes").option("dir").option("base-port").option("fsync").option("lock-delay").parse(argv)
                .expectPositional(2, 2, "an action (start, stop, status) and a protocol (raft-kv)");
        String action = a.positional().get(0);
        String protocol = a.positional().get(1);
        try {
            protocol = ServerProtocol.byName(protocol).name();
        } catch (IllegalArgumentException e) {
            throw new UsageException(name() + ": " + e.getMessage());
        }
        Path dir = Workbench.userPath(a.get("dir", "cluster-data/" + protocol));
        return switch (action) {
            case "start" -> start(a, protocol, dir);
            case "stop" -> stop(dir);
            case "status" -> status(protocol, dir);
            default -> throw new UsageException(name() + ": unknown action '" + action + "' (start, stop, status)");
        };
    }

    private int start(Args a, String protocol, Path dir) throws IOException {
        int n = a.getInt("nodes", 3, 1, 9);
        int base = a.getInt("base-port", 7001, 1024, 65535 - n);
        FsyncPolicy fsync;
        try {
            fsync = FsyncPolicy.parse(a.get("fsync", "every"));
        } catch (IllegalArgumentException e) {
            throw new UsageException(name() + ": " + e.getMessage());
        }
        List<String> nodeOptions = List.of();
        String lockDelay = a.get("lock-delay", null);
        if (lockDelay != null) {
            if (!protocol.equals(io.github.dsw.cluster.RaftLock.NAME)) {
                throw new UsageException(name() + ": --lock-delay applies to raft-lock only, not " + protocol);
            }
            try {
                io.github.dsw.cluster.RaftLock.lockDelay("--lock-delay", lockDelay); // validated here: one line, exit 2
            } catch (IllegalArgumentException e) {
                throw new UsageException(name() + ": " + e.getMessage());
            }
            nodeOptions = List.of("--lock-delay", lockDelay.trim());
        }
        List<Long> running = livePids(dir);
        if (!running.isEmpty()) {
            throw new UsageException(name() + ": a cluster is already running from " + dir + " (pids " + running + "); run ./dsw cluster stop " + protocol
                    + " first");
        }
        List<InetSocketAddress> peers = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            InetSocketAddress addr = new InetSocketAddress("127.0.0.1", base + i);
            try (ServerSocket s = new ServerSocket()) {
                s.setReuseAddress(true);
                s.bind(addr);
            } catch (IOException e) {
                throw new UsageException(name() + ": port " + (base + i) + " on 127.0.0.1 is in use; choose another --base-port");
            }
            peers.add(addr);
        }
        LocalCluster cluster = new LocalCluster(new LocalCluster.Spec(protocol, dir, peers, fsync, "disk", false, LocalCluster.NODE_JVM, nodeOptions), false);
        try {
            cluster.startAll(120_000_000_000L);
        } catch (ClusterException | DataFolderException e) {
            for (long pid : cluster.livePids()) {
                ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
            }
            Files.deleteIfExists(dir.resolve("cluster.pids"));
            throw new UsageException(name() + ": " + e.getMessage());
        }
        System.out.println("started " + n + " " + protocol + " nodes (fsync " + fsync.cliName() + (lockDelay == null ? "" : ", lock-delay " + lockDelay.trim())
                + "), data and logs in " + dir);
        for (String[] p : LocalCluster.readPids(dir)) {
            System.out.println("  node " + p[0] + "  pid " + p[1] + "  " + p[2]);
        }
        System.out.println((protocol.equals(io.github.dsw.cluster.RaftLock.NAME) ? "try: ./dsw lock acquire x --hold 5s --cluster "
                : "try: ./dsw kv " + (protocol.equals("raft-kv") ? "" : protocol + " ") + "put x 1 --cluster ")
                + LocalCluster.peerList(peers));
        return 0;
    }

    private static List<Long> livePids(Path dir) {
        List<Long> out = new ArrayList<>();
        for (String[] p : LocalCluster.readPids(dir)) {
            long pid = Long.parseLong(p[1]);
            if (LocalCluster.nodeProcess(pid).isPresent()) {
                out.add(pid);
            }
        }
        return out;
    }

    private int stop(Path dir) throws IOException {
        List<String[]> pids = LocalCluster.readPids(dir);
        List<ProcessHandle> handles = new ArrayList<>();
        for (String[] p : pids) {
            Optional<ProcessHandle> h = LocalCluster.nodeProcess(Long.parseLong(p[1]));
            if (h.isPresent()) {
                new ProcessBuilder("kill", "-CONT", p[1]).start(); // a paused node could not handle SIGTERM
                h.get().destroy();
                handles.add(h.get());
                System.out.println("stopping node " + p[0] + " (pid " + p[1] + ")");
            }
        }
        long until = System.nanoTime() + 10_000_000_000L;
        for (ProcessHandle h : handles) {
            while (h.isAlive() && System.nanoTime() < until) {
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            if (h.isAlive()) {
                h.destroyForcibly();
                System.out.println("pid " + h.pid() + " did not stop in 10 s: killed");
            }
        }
        Files.deleteIfExists(dir.resolve("cluster.pids"));
        System.out.println(handles.isEmpty() ? "no cluster running from " + dir : "stopped " + handles.size() + " nodes");
        return 0;
    }

    private int status(String protocol, Path dir) {
        List<String[]> pids = LocalCluster.readPids(dir);
        if (pids.isEmpty()) {
            System.out.println("no cluster running from " + dir);
            return 0;
        }
        for (String[] p : pids) {
            String state;
            if (LocalCluster.nodeProcess(Long.parseLong(p[1])).isEmpty()) {
                state = "not running";
            } else {
                int colon = p[2].lastIndexOf(':');
                try {
                    // first line: Raft's state; then storage (forces) and transport counters, indented
                    state = AdminClient.call(new InetSocketAddress(p[2].substring(0, colon), Integer.parseInt(p[2].substring(colon + 1))), protocol, "status",
                            2000).replace("\n", "\n    ");
                } catch (IOException | RuntimeException e) {
                    state = "no answer (" + e.getMessage() + ")";
                }
            }
            System.out.println("node " + p[0] + "  pid " + p[1] + "  " + p[2] + "  " + state);
        }
        return 0;
    }
}
