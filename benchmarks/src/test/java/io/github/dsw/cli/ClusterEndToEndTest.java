package io.github.dsw.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.dsw.cluster.LocalCluster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./dsw cluster start|status|stop} end to end, through the CLI's own entry ({@link Main#run}), on
 * a Multi-Paxos KV cluster (the protocol that got the commands last): start three node JVMs, see each in
 * {@code status}, put and get a key with {@code ./dsw kv multi-paxos-kv}, refuse a second start, stop
 * (every recorded pid gone), start again on the same folder and read the key back (what a clean stop
 * forced to disk, recovered by the new leader's phase 1), stop.
 */
class ClusterEndToEndTest {

    @TempDir
    Path tmp;

    private record Run(int code, String out, String err) {
    }

    private static synchronized Run run(String... args) {
        PrintStream savedOut = System.out;
        PrintStream savedErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            int code = Main.run(List.of(args), System.out, System.err);
            return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(savedOut);
            System.setErr(savedErr);
        }
    }

    /** A first port P with P, P+1, P+2 free on 127.0.0.1. */
    private static int freeBase() throws IOException {
        for (int attempt = 0; attempt < 50; attempt++) {
            int base;
            try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
                base = s.getLocalPort();
            }
            if (base > 65000) {
                continue;
            }
            boolean free = true;
            for (int i = 1; i < 3 && free; i++) {
                try (ServerSocket s = new ServerSocket(base + i, 1, InetAddress.getByName("127.0.0.1"))) {
                    // free
                } catch (IOException e) {
                    free = false;
                }
            }
            if (free) {
                return base;
            }
        }
        throw new IOException("no three free ports in a row");
    }

    @Test
    void startStatusKvStopRestartStop() throws Exception {
        String dir = tmp.resolve("mp").toString();
        int base = freeBase();
        String cluster = "127.0.0.1:" + base + ",127.0.0.1:" + (base + 1) + ",127.0.0.1:" + (base + 2);
        List<Long> pids = new ArrayList<>();
        try {
            Run start = run("cluster", "start", "multi-paxos-kv", "--nodes", "3", "--dir", dir, "--base-port", String.valueOf(base));
            assertEquals(0, start.code(), start.out() + start.err());
            for (String[] p : LocalCluster.readPids(Path.of(dir))) {
                pids.add(Long.parseLong(p[1]));
            }
            assertEquals(3, pids.size(), start.out());
            Run status = run("cluster", "status", "multi-paxos-kv", "--dir", dir);
            assertEquals(0, status.code(), status.err());
            assertEquals(3, status.out().lines().filter(l -> l.startsWith("node ") && l.contains("multi-paxos: ")).count(),
                    status.out() + "\nnode-1.log:\n" + java.nio.file.Files.readString(Path.of(dir, "node-1.log")));
            Run again = run("cluster", "start", "multi-paxos-kv", "--dir", dir, "--base-port", String.valueOf(base));
            assertEquals(2, again.code(), again.out() + again.err());
            assertTrue(again.err().contains("already running"), again.err());
            Run put = run("kv", "multi-paxos-kv", "put", "x", "41", "--cluster", cluster, "--timeout", "30s");
            assertEquals(0, put.code(), put.err());
            assertEquals("ok", put.out().strip());
            Run cas = run("kv", "paxos-kv", "cas", "x", "41", "42", "--cluster", cluster, "--timeout", "30s");
            assertEquals("ok", cas.out().strip(), cas.err());
            Run stop = run("cluster", "stop", "multi-paxos-kv", "--dir", dir);
            assertEquals(0, stop.code(), stop.err());
            assertTrue(stop.out().contains("stopped 3 nodes"), stop.out());
            assertEquals(List.of(), pids.stream().filter(p -> ProcessHandle.of(p).map(ProcessHandle::isAlive).orElse(false)).toList(), "pids alive after stop");
            assertTrue(run("cluster", "status", "multi-paxos-kv", "--dir", dir).out().contains("no cluster running"));

            Run restart = run("cluster", "start", "multi-paxos-kv", "--nodes", "3", "--dir", dir, "--base-port", String.valueOf(base));
            assertEquals(0, restart.code(), restart.out() + restart.err());
            for (String[] p : LocalCluster.readPids(Path.of(dir))) {
                pids.add(Long.parseLong(p[1]));
            }
            Run get = run("kv", "multi-paxos-kv", "get", "x", "--cluster", cluster, "--timeout", "30s");
            assertEquals(0, get.code(), get.err());
            assertEquals("42", get.out().strip(), "the value written before the clean stop");
            assertEquals(0, run("cluster", "stop", "multi-paxos-kv", "--dir", dir).code());
        } finally {
            for (long p : pids) {
                Optional<ProcessHandle> h = ProcessHandle.of(p);
                h.ifPresent(ProcessHandle::destroyForcibly);
            }
        }
    }
}
