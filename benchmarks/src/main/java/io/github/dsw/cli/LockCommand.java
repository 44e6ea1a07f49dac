package io.github.dsw.cli;

import io.github.dsw.cluster.ClusterException;
import io.github.dsw.cluster.DataFolderException;
import io.github.dsw.cluster.LocalCluster;
import io.github.dsw.cluster.LockClient;
import io.github.dsw.cluster.LockTorture;
import io.github.dsw.cluster.Opts;
import io.github.dsw.cluster.RaftLock;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import java.util.Set;

/**
 * {@code ./dsw lock acquire|release NAME --cluster HOST:PORT,...}: chapter 9's lock service, run by
 * {@code ./dsw cluster start raft-lock}, from the command line ({@link LockClient}); and
 * {@code ./dsw lock torture}: the service under faults on real processes ({@link LockTorture}).
 */
final class LockCommand implements Command {

    @Override
    public String name() {
        return "lock";
    }

    @Override
    public String summary() {
        return "acquire or release a lock of a running raft-lock cluster (fencing token, session keep-alive); torture it";
    }

    @Override
    public String help() {
        return """
                usage: ./dsw lock acquire NAME [--cluster HOST:PORT,...] [--ttl DURATION] [--wait DURATION] [--hold DURATION | --detach]
                       ./dsw lock release NAME --session S --token T [--cluster HOST:PORT,...] [--timeout DURATION]
                       ./dsw lock torture [--nodes N] [--clients C] [--time DURATION] [--ttl DURATION] [--nemesis LIST] [--seed S]
                                          [--history-out FILE] [--dir DATA]

                The lock service of chapter 9 (sessions with leases, FIFO waiters, fencing token = Raft log index of the
                grant, unique over the service) on a cluster started with ./dsw cluster start raft-lock (lock-delay: its option).
                acquire  opens a session (lease --ttl, kept alive every ttl/4 while it waits and holds), waits in NAME's
                         queue, then prints "acquired NAME token T session S". It then holds the lock for --hold and
                         releases it (Ctrl-C releases it too), or with --detach exits at once, leaving the lock to the
                         session until ./dsw lock release or until the lease runs out (no more keep-alives).
                         Without --hold or --detach it holds until Ctrl-C or until stdin ends. Ctrl-C while it
                         waits closes the session (it leaves the queue).
                release  releases NAME held by session S with token T (as acquire printed them).
                torture  real-process torture: 3 raft-lock nodes, C lock-client JVMs writing with their token to a resource
                         that checks tokens and to one that does not, under SIGKILL/SIGSTOP/partition of the leader and
                         SIGKILL/SIGSTOP of the holder; checks mutual exclusion and fenced writes (chapter 9's checkers).
                         Exit 1 if the checking resource accepted a stale write, two grants shared a token, or exclusion
                         broke without a client fault; the resource that ignores tokens is reported, not judged.
                Exit codes: 0 done; 2 usage error, or the service refused (unknown lock, not the holder, expired session,
                token of another lock: its reason is printed); 3 no definite outcome (not granted within --wait, no
                answer in time, or the lease ran out while holding); 1 torture only: a property violated.
                options:
                  --cluster LIST     servers (default: cluster-data/raft-lock/cluster.peers of ./dsw cluster start, else
                                     127.0.0.1:7001-7003)
                  --ttl DURATION     session lease (acquire default 10s; torture default 2s)
                  --wait DURATION    how long acquire waits for the lock (default 30s)
                  --hold DURATION    hold the lock this long, then release it (acquire)
                  --detach           exit after acquiring; the session keeps the lock until release or its lease ends
                  --session S        the session that holds the lock (release)
                  --token T          the fencing token it was granted with (release)
                  --timeout DURATION give up on release after this long (default 5s)
                  --nodes N          torture: servers (default 3)
                  --clients C        torture: lock-client processes (default 3)
                  --time DURATION    torture: how long clients run (default 20s)
                  --nemesis LIST     torture: pause-holder, kill-holder, kill-leader, pause-leader, partition-leader,
                                     servers (the three leader faults), holders (the two client faults), all (default), none
                  --seed S           torture: seeds the fault schedule and the clients (default 1)
                  --history-out FILE torture: write the lock history (JSON Lines; ./dsw check-history --model lock|fenced)
                  --dir DATA         torture: keep the nodes' data and logs here (an empty or new folder)
                """;
    }

    @Override
    public int run(List<String> argv) throws Exception {
        Args a = Args.forCommand(name()).option("cluster").option("ttl").option("wait").option("hold").flag("detach").option("session")
                .option("token").option("timeout").option("nodes").option("clients").option("time").option("nemesis").option("seed")
                .option("history-out").option("dir").parse(argv).expectPositional(1, 2, "acquire NAME, release NAME or torture");
        String action = a.positional().get(0);
        return switch (action) {
            case "acquire" -> acquire(a, lockName(a));
            case "release" -> release(a, lockName(a));
            case "torture" -> torture(a);
            default -> throw new UsageException(name() + ": unknown action '" + action + "' (acquire, release, torture)");
        };
    }

    private String lockName(Args a) {
        if (a.positional().size() != 2 || a.positional().get(1).isBlank()) {
            throw new UsageException(name() + ": " + a.positional().get(0) + " needs a lock NAME");
        }
        return a.positional().get(1);
    }

    private void only(Args a, String action, Set<String> allowed) {
        for (String o : List.of("cluster", "ttl", "wait", "hold", "session", "token", "timeout", "nodes", "clients", "time", "nemesis", "seed",
                "history-out", "dir")) {
            if (a.get(o) != null && !allowed.contains(o)) {
                throw new UsageException(name() + ": --" + o + " is not an option of " + action);
            }
        }
        if (a.has("detach") && !allowed.contains("detach")) {
            throw new UsageException(name() + ": --detach is not an option of " + action);
        }
    }

    private long duration(Args a, String option, String fallback) {
        try {
            return Opts.duration("--" + option, a.get(option, fallback));
        } catch (IllegalArgumentException e) {
            throw new UsageException(name() + ": " + e.getMessage());
        }
    }

    private List<InetSocketAddress> cluster(Args a) throws java.io.IOException {
        Path peers = Workbench.userPath("cluster-data/" + RaftLock.NAME + "/cluster.peers");
        String fallback = Files.exists(peers) ? Files.readString(peers).trim() : "127.0.0.1:7001,127.0.0.1:7002,127.0.0.1:7003";
        try {
            return Opts.peers("--cluster", a.get("cluster", fallback));
        } catch (IllegalArgumentException e) {
            throw new UsageException(name() + ": " + e.getMessage());
        }
    }

    private static int clientId() {
        return 1_000_000 + new SecureRandom().nextInt(1 << 30); // a fresh client per invocation
    }

    private int acquire(Args a, String lock) throws Exception {
        only(a, "acquire", Set.of("cluster", "ttl", "wait", "hold", "detach"));
        if (a.has("detach") && a.get("hold") != null) {
            throw new UsageException(name() + ": --hold and --detach exclude each other");
        }
        long ttl = duration(a, "ttl", "10s");
        if (ttl < 100_000_000L) {
            throw new UsageException(name() + ": --ttl must be at least 100ms, got " + ttl / 1_000_000 + " ms");
        }
        long wait = duration(a, "wait", "30s");
        Long hold = a.get("hold") == null ? null : duration(a, "hold", "0s");
        List<InetSocketAddress> servers = cluster(a);
        LockClient c = new LockClient(servers, clientId(), 500_000_000L);
        boolean detached = false;
        java.util.concurrent.atomic.AtomicLong held = new java.util.concurrent.atomic.AtomicLong(-1);
        // Ctrl-C while waiting leaves the queue (the session is closed), while holding releases the lock
        Thread hook = new Thread(() -> {
            long t = held.get();
            if (t >= 0) {
                releaseQuietly(c, lock, t);
            } else {
                c.close(1_000_000_000L);
            }
        }, "lock-release");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            long session;
            try {
                session = c.open(ttl, System.nanoTime() + Math.min(wait, 10_000_000_000L));
            } catch (LockClient.NoAnswer e) {
                throw new UsageException(name() + ": no server of --cluster " + LocalCluster.peerList(servers) + " answered (is ./dsw cluster start "
                        + RaftLock.NAME + " running?)");
            }
            long token = c.acquire(lock, System.nanoTime() + wait);
            if (token < 0) {
                System.err.println("dsw lock: " + lock + " not granted within " + wait / 1_000_000 + " ms (another session holds it); left the queue");
                return ExitCode.UNDECIDED;
            }
            held.set(token);
            System.out.println("acquired " + lock + " token " + token + " session " + session);
            System.out.flush();
            if (a.has("detach")) {
                removeHook(hook);
                c.detach();
                detached = true;
                System.out.println("detached: the lock stays with session " + session + " until ./dsw lock release " + lock + " --session " + session
                        + " --token " + token + ", or until its lease (" + ttl / 1_000_000 + " ms) runs out");
                return ExitCode.OK;
            }
            boolean lost;
            if (hold != null) {
                lost = holdFor(c, hold);
            } else {
                lost = holdUntilStdinEnds(c);
            }
            removeHook(hook);
            if (lost) {
                System.err.println("dsw lock: lost " + lock + " while holding it: "
                        + (c.sessionLost() != null ? c.sessionLost().message() : "the lease ran out (no keep-alive acknowledged in time)"));
                return ExitCode.UNDECIDED;
            }
            c.release(lock, token, System.nanoTime() + 5_000_000_000L);
            System.out.println("released " + lock + " token " + token);
            return ExitCode.OK;
        } catch (LockClient.Refused e) {
            throw new UsageException(name() + ": " + e.getMessage());
        } catch (LockClient.NoAnswer e) {
            System.err.println("dsw lock: " + e.getMessage());
            return ExitCode.UNDECIDED;
        } catch (ClusterException e) {
            throw new UsageException(name() + ": " + e.getMessage());
        } finally {
            removeHook(hook);
            if (!detached) {
                c.close(1_000_000_000L); // ends the session: a lock still held (or a place in the queue) is given up
            }
        }
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // shutting down: the hook runs
        }
    }

    private static void releaseQuietly(LockClient c, String lock, long token) {
        try {
            c.release(lock, token, System.nanoTime() + 2_000_000_000L);
            System.out.println("released " + lock + " token " + token);
        } catch (RuntimeException e) {
            // the session's close or its lease ending frees it anyway
        }
        c.close(1_000_000_000L);
    }

    /** Holds for {@code ns}; true if the lease was lost meanwhile. */
    private static boolean holdFor(LockClient c, long ns) throws InterruptedException {
        long until = System.nanoTime() + ns;
        while (System.nanoTime() - until < 0) {
            if (!c.leaseValid()) {
                return true;
            }
            Thread.sleep(Math.max(1, Math.min(100, (until - System.nanoTime()) / 1_000_000)));
        }
        return !c.leaseValid();
    }

    private static boolean holdUntilStdinEnds(LockClient c) throws Exception {
        System.out.println("holding; Ctrl-C or end of input releases it");
        System.out.flush();
        Thread reader = Thread.ofPlatform().daemon().start(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
                while (in.readLine() != null) {
                    // holding
                }
            } catch (java.io.IOException e) {
                // treated as the end
            }
        });
        while (reader.isAlive()) {
            if (!c.leaseValid()) {
                return true;
            }
            reader.join(100);
        }
        return false;
    }

    private int release(Args a, String lock) throws Exception {
        only(a, "release", Set.of("cluster", "session", "token", "timeout"));
        if (a.get("session") == null || a.get("token") == null) {
            throw new UsageException(name() + ": release needs --session S and --token T (as acquire printed them)");
        }
        long session = a.getLong("session", -1);
        long token = a.getLong("token", -1);
        if (token < 0) {
            throw new UsageException(name() + ": --token must be >= 0, got " + token);
        }
        long timeout = duration(a, "timeout", "5s");
        List<InetSocketAddress> servers = cluster(a);
        LockClient c = new LockClient(servers, clientId(), 500_000_000L);
        try {
            c.release(session, lock, token, System.nanoTime() + timeout);
            System.out.println("released " + lock + " token " + token);
            return ExitCode.OK;
        } catch (LockClient.Refused e) {
            throw new UsageException(name() + ": " + e.getMessage());
        } catch (LockClient.NoAnswer e) {
            System.err.println("dsw lock: " + e.getMessage() + " (the release may or may not take effect)");
            return ExitCode.UNDECIDED;
        } catch (ClusterException e) {
            throw new UsageException(name() + ": " + e.getMessage());
        } finally {
            c.close(0);
        }
    }

    private int torture(Args a) throws Exception {
        if (a.positional().size() != 1) {
            throw new UsageException(name() + ": torture takes no NAME (its clients contend for one lock)");
        }
        only(a, "torture", Set.of("nodes", "clients", "time", "ttl", "nemesis", "seed", "history-out", "dir"));
        LockTorture.Settings s;
        try {
            Path historyOut = OutputPaths.forCommand(name()).file("--history-out", a.get("history-out"));
            String dir = a.get("dir");
            s = new LockTorture.Settings(a.getInt("nodes", 3, 1, 9), a.getInt("clients", 3, 2, 16), duration(a, "time", "20s"),
                    LockTorture.Fault.parseList(a.get("nemesis", "all")), a.getLong("seed", 1), duration(a, "ttl", "2s"),
                    historyOut, dir == null ? null : Workbench.userPath(dir));
        } catch (IllegalArgumentException e) {
            throw new UsageException(name() + ": " + e.getMessage());
        }
        try {
            return LockTorture.run(s, System.out).exitCode(s.nemesis());
        } catch (DataFolderException | ClusterException e) {
            throw new UsageException(name() + ": " + e.getMessage());
        }
    }
}
