package io.github.dsw.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad input to the real-process commands (node, cluster, kv, torture): one line on stderr, exit code 2,
 * no stack trace, no node started, nothing written to a data folder that is not the node's.
 */
class ClusterCliTest {

    @TempDir
    Path tmp;

    private record Run(int code, String err) {
    }

    private static Run run(String... args) {
        PrintStream saved = System.err;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setErr(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            int code = Main.run(List.of(args), System.out, System.err);
            return new Run(code, buf.toString(StandardCharsets.UTF_8));
        } finally {
            System.setErr(saved);
        }
    }

    private static void assertOneLineUsageError(Run r, String mentions) {
        assertEquals(2, r.code(), r.err());
        assertEquals(1, r.err().strip().lines().count(), "one line, got:\n" + r.err());
        assertFalse(r.err().contains("\tat "), "a stack trace:\n" + r.err());
        assertTrue(r.err().contains(mentions), "'" + mentions + "' not in: " + r.err());
    }

    @Test
    void nodeRefusesBadInputInOneLine() throws Exception {
        String dir = tmp.resolve("n").toString();
        assertOneLineUsageError(run("node", "raft-kv", "--id", "4", "--peers", "127.0.0.1:1,127.0.0.1:2,127.0.0.1:3", "--dir", dir), "--id 4");
        assertOneLineUsageError(run("node", "raft-kv", "--id", "1", "--peers", "127.0.0.1:1,127.0.0.1", "--dir", dir), "HOST:PORT");
        assertOneLineUsageError(run("node", "raft-kv", "--id", "1", "--peers", "127.0.0.1:5,127.0.0.1:5", "--dir", dir), "twice");
        assertOneLineUsageError(run("node", "pbft-kv", "--id", "1", "--peers", "127.0.0.1:5", "--dir", dir), "unknown protocol");
        assertOneLineUsageError(run("node", "--maelstrom", "abd"), "--maelstrom");
        try (ServerSocket busy = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            assertOneLineUsageError(run("node", "raft-kv", "--id", "1", "--peers", "127.0.0.1:" + busy.getLocalPort(), "--dir", dir), "in use");
        }
        assertFalse(Files.exists(Path.of(dir)), "a refused node created its data folder");
        Path other = tmp.resolve("other");
        Files.createDirectories(other);
        Files.writeString(other.resolve("meta"), "format 1\nprotocol paxos-kv\nnode 1\nservers 1\n");
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            port = s.getLocalPort();
        }
        assertOneLineUsageError(run("node", "raft-kv", "--id", "1", "--peers", "127.0.0.1:" + port, "--dir", other.toString()), "protocol paxos-kv");
        Path foreign = tmp.resolve("foreign");
        Files.createDirectories(foreign);
        Files.writeString(foreign.resolve("thesis.tex"), "mine");
        assertOneLineUsageError(run("node", "raft-kv", "--id", "1", "--peers", "127.0.0.1:" + port, "--dir", foreign.toString()), "not empty");
        assertEquals("mine", Files.readString(foreign.resolve("thesis.tex")));
    }

    @Test
    void kvTortureAndClusterRefuseBadInputInOneLine() {
        assertOneLineUsageError(run("kv", "put", "x", "many"), "integer");
        assertOneLineUsageError(run("kv", "get", "x", "--cluster", "localhost"), "HOST:PORT");
        assertOneLineUsageError(run("kv", "frob", "x"), "unknown operation");
        assertOneLineUsageError(run("torture", "raft-kv", "--nemesis", "kill,reboot"), "reboot");
        assertOneLineUsageError(run("torture", "raft-kv", "--time", "0s"), "--time");
        assertOneLineUsageError(run("torture", "raft-kv", "--nodes", "0"), "--nodes");
        assertOneLineUsageError(run("cluster", "frob", "raft-kv"), "unknown action");
        assertOneLineUsageError(run("cluster", "start", "zab"), "unknown protocol");
    }
}
