package io.github.dsw.cluster;

import java.io.IOException;
import java.io.PrintStream;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

/**
 * One node as an operating-system process: {@code NodeMain raft-kv --id 1 --peers H:P,H:P,H:P --dir DATA}
 * (what {@code ./dsw node} runs, and what {@link LocalCluster} spawns). Logs go to stderr; stdout stays
 * empty. Bad input (an unknown protocol, a wrong {@code --peers} or {@code --id}, a port in use, an
 * address that is not this machine's, an unwritable folder or one of another protocol or node, a damaged
 * log) is one line on stderr and exit code 2, before anything is written. SIGTERM stops it cleanly
 * (storage forced and closed); with {@code --parent-pid P} it also stops when process P is gone, so a
 * harness that dies leaves no node behind.
 */
public final class NodeMain {

    /** Exit code of a node whose protocol step threw (an invariant broken): not a usage error. */
    public static final int EXIT_FATAL = 70;

    private NodeMain() {
    }

    public static void main(String[] args) {
        int code = run(Arrays.asList(args), System.err);
        if (code != 0) {
            System.exit(code);
        }
    }

    public static String usage() {
        return """
                usage: ./dsw node PROTOCOL --id N --peers HOST:PORT,HOST:PORT,... --dir DATA [--fsync every|group|none] [--storage disk|memory]
                       ./dsw node --maelstrom raft-kv|paxos-kv|zab-kv   (Maelstrom's lin-kv protocol on stdin/stdout, for maelstrom test --bin)

                PROTOCOL: raft-kv, multi-paxos-kv (or paxos-kv), zab-kv, abd, or raft-lock (chapter 9's lock service).
                Runs server N (1-based position in --peers) of a cluster until stopped (SIGTERM / Ctrl-C: clean stop).
                It listens on the N-th address of --peers, dials the others, and keeps its state in DATA.
                options:
                  --id N               this node's position in --peers (1-based)
                  --peers LIST         every server's HOST:PORT, in the same order on every node
                  --dir DATA           data folder (created if missing; must be empty or this node's)
                  --fsync POLICY       every (default): force before a step's messages leave; group: one force per
                                       batch of steps; none: UNSAFE, never forces (for comparison only)
                  --storage KIND       disk (default) or memory (nothing survives a restart; benchmarks only)
                  --seed S             seed of the node's random source (election timeouts); default: from the clock
                  --parent-pid P       stop when process P exits (used by the cluster launcher and the fault harness)
                  --lock-delay D       raft-lock only: Chubby's lock-delay, e.g. 5s or 500ms (default 0: none); a lock whose
                                       holder's session expired is granted to no one for D (same value on every node)
                """;
    }

    /**
     * Runs a node until it is stopped; returns the exit code (2: bad input, printed as one line on
     * {@code err}). Blocks.
     */
    public static int run(List<String> args, PrintStream err) {
        if (args.contains("--maelstrom")) {
            List<String> rest = args.stream().filter(a -> !a.equals("--maelstrom")).toList();
            KvProtocol<?> kv;
            try {
                kv = rest.size() == 1 ? KvProtocol.byName(rest.get(0)) : null;
            } catch (IllegalArgumentException e) {
                kv = null;
            }
            if (kv == null || kv == AbdKv.PROTOCOL) {
                err.println("dsw node: --maelstrom takes exactly one protocol (raft-kv, paxos-kv or zab-kv; abd has no cas, which lin-kv needs), got " + rest);
                return 2;
            }
            // stdout carries Maelstrom's messages only, from the first line: no banner
            return MaelstromNode.run(kv, System.in, System.out, err);
        }
        Started s;
        try {
            s = start(args, err);
        } catch (IllegalArgumentException | DataFolderException | CorruptLogException e) {
            err.println("dsw node: " + e.getMessage());
            return 2;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            s.runtime().close();
            stopped.countDown();
        }, "node-shutdown"));
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }

    /** A started node. */
    public record Started(NodeRuntime<?> runtime, Path dir) {
    }

    /** Validates the arguments, opens the storage, binds the port and starts the node. */
    public static Started start(List<String> args, PrintStream err) {
        Opts o = Opts.parse(args, Set.of("id", "peers", "dir", "fsync", "storage", "seed", "parent-pid", "lock-delay"), Set.of());
        if (o.positional().size() != 1) {
            throw new IllegalArgumentException("expected one protocol (" + String.join(", ", ServerProtocol.names()) + "), got " + o.positional());
        }
        ServerProtocol<?> kv = ServerProtocol.byName(o.positional().get(0));
        if (o.get("lock-delay", null) != null) {
            if (kv != RaftLock.PROTOCOL) {
                throw new IllegalArgumentException("--lock-delay applies to raft-lock only, not " + kv.name());
            }
            kv = RaftLock.protocol(RaftLock.lockDelay("--lock-delay", o.get("lock-delay", null)));
        }
        return start(kv, o, err);
    }

    private static <M> Started start(ServerProtocol<M> kv, Opts o, PrintStream err) {
        String protocol = kv.name();
        List<InetSocketAddress> peers = Opts.peers("--peers", o.require("peers"));
        int n = peers.size();
        String idText = o.require("id");
        int id;
        try {
            id = Integer.parseInt(idText);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--id must be a number, got '" + idText + "'");
        }
        if (id < 1 || id > n) {
            throw new IllegalArgumentException("--id " + id + " is not a position in --peers (1.." + n + ")");
        }
        FsyncPolicy policy = FsyncPolicy.parse(o.get("fsync", "every"));
        String kind = o.get("storage", "disk");
        if (!kind.equals("disk") && !kind.equals("memory")) {
            throw new IllegalArgumentException("--storage must be disk or memory, got '" + kind + "'");
        }
        long seed = o.getLong("seed", System.nanoTime() ^ ((long) id << 32));
        long parent = o.getLong("parent-pid", -1);
        Path dir = Path.of(o.require("dir")).toAbsolutePath().normalize();
        InetSocketAddress me = peers.get(id - 1);
        checkBindable(me);
        Storage storage = kind.equals("memory") ? new MemoryStorage(kv.retention())
                : DiskStorage.open(dir, new DiskStorage.Identity(protocol, id, n), kv.durableCodec(), policy, DiskStorage.Options.DEFAULT,
                        kv.retention(), line -> err.println("dsw node " + id + ": " + line));
        NodeRuntime<M> rt = new NodeRuntime<>(new NodeRuntime.Settings(protocol, id - 1, peers, policy, seed, 4096), kv.node(id - 1, n),
                kv.codec(), storage, kv::status, line -> err.println("dsw node " + id + ": " + line), t -> {
                    t.printStackTrace(err);
                    Runtime.getRuntime().halt(EXIT_FATAL);
                });
        try {
            rt.start();
        } catch (IOException e) {
            storage.close();
            throw new IllegalArgumentException(bindProblem(me, e));
        }
        if (parent > 0) {
            Thread.ofPlatform().daemon().name("parent-watch").start(() -> {
                while (ProcessHandle.of(parent).map(ProcessHandle::isAlive).orElse(false)) {
                    try {
                        Thread.sleep(250);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                err.println("dsw node " + id + ": parent process " + parent + " is gone; stopping");
                System.exit(0);
            });
        }
        err.println("dsw node " + id + "/" + n + " " + protocol + " listening on " + me.getHostString() + ":" + me.getPort() + ", " + storage.describe()
                + (policy == FsyncPolicy.NONE ? " -- UNSAFE: acknowledged writes can be lost" : "") + ", seed " + seed);
        return new Started(rt, dir);
    }

    private static void checkBindable(InetSocketAddress me) {
        try (java.net.ServerSocket s = new java.net.ServerSocket()) {
            s.setReuseAddress(true); // as the node binds: a restarted node may find its old connections in TIME_WAIT
            s.bind(me);
        } catch (IOException e) {
            throw new IllegalArgumentException(bindProblem(me, e));
        }
    }

    private static String bindProblem(InetSocketAddress me, IOException e) {
        String where = me.getHostString() + ":" + me.getPort();
        if (e instanceof BindException && e.getMessage() != null && e.getMessage().contains("in use")) {
            return "port " + me.getPort() + " on " + me.getHostString() + " is in use (another node or program listens there); check --peers and --id";
        }
        if (e instanceof BindException) {
            return "cannot listen on " + where + " (" + e.getMessage() + "): it is not an address of this machine; check --peers and --id";
        }
        return "cannot listen on " + where + ": " + e.getMessage();
    }
}
