package io.github.dsw.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./dsw lock acquire|release} against {@code ./dsw cluster start raft-lock}, end to end through
 * {@link Main#run}: a grant prints a token, a second session waits in vain while it is held (exit 3), the
 * service's refusals (not the holder, an unknown lock, a token of another lock, an expired session) are one
 * line with its reason and exit 2, and the tokens of successive grants increase (they are Raft log indexes).
 */
class LockCommandCliTest {

    @TempDir
    Path tmp;

    private static final Pattern ACQUIRED = Pattern.compile("acquired (\\S+) token (\\d+) session (\\d+)");

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

    private static synchronized CliRun.Result run(String... args) {
        return CliRun.run(args);
    }

    private static long[] grant(CliRun.Result r) {
        Matcher m = ACQUIRED.matcher(r.out());
        assertTrue(m.find(), "no 'acquired ... token ... session ...' line:\n" + r.out() + r.err());
        return new long[] {Long.parseLong(m.group(2)), Long.parseLong(m.group(3))};
    }

    @Test
    void acquireReleaseAndTheServicesRefusals() throws Exception {
        String dir = tmp.resolve("c").toString();
        int base = freeBase();
        String cluster = "127.0.0.1:" + base + ",127.0.0.1:" + (base + 1) + ",127.0.0.1:" + (base + 2);
        List<Long> pids = new ArrayList<>();
        try {
            CliRun.Result start = run("cluster", "start", "raft-lock", "--nodes", "3", "--dir", dir, "--base-port", String.valueOf(base));
            assertEquals(0, start.exit(), start.err());
            assertTrue(start.out().contains("./dsw lock acquire"), start.out());
            for (String line : start.out().split("\n")) {
                Matcher m = Pattern.compile("pid (\\d+)").matcher(line);
                if (m.find()) {
                    pids.add(Long.parseLong(m.group(1)));
                }
            }
            CliRun.Result a = run("lock", "acquire", "x", "--detach", "--ttl", "20s", "--cluster", cluster);
            assertEquals(0, a.exit(), a.out() + a.err());
            long[] x = grant(a);

            CliRun.Result busy = run("lock", "acquire", "x", "--wait", "1500ms", "--cluster", cluster);
            assertEquals(3, busy.exit(), "x is held by another session: " + busy.out() + busy.err());
            assertTrue(busy.err().contains("not granted"), busy.err());

            CliRun.Result y = run("lock", "acquire", "y", "--detach", "--ttl", "20s", "--cluster", cluster);
            assertEquals(0, y.exit(), y.err());
            long[] yg = grant(y);
            assertTrue(yg[0] > x[0], "a later grant has a higher token (log index): " + x[0] + " then " + yg[0]);

            CliRun.Result wrong = run("lock", "release", "x", "--session", String.valueOf(x[1]), "--token", String.valueOf(x[0] + 1000), "--cluster", cluster);
            assertEquals(2, wrong.exit(), wrong.out() + wrong.err());
            assertTrue(wrong.err().contains("not holder"), wrong.err());
            assertEquals(1, wrong.err().strip().lines().count(), "one line: " + wrong.err());

            CliRun.Result unknown = run("lock", "release", "nosuch", "--session", String.valueOf(x[1]), "--token", "999999", "--cluster", cluster);
            assertEquals(2, unknown.exit(), unknown.err());
            assertTrue(unknown.err().contains("unknown lock"), unknown.err());

            CliRun.Result other = run("lock", "release", "x", "--session", String.valueOf(x[1]), "--token", String.valueOf(yg[0]), "--cluster", cluster);
            assertEquals(2, other.exit(), other.err());
            assertTrue(other.err().contains("token of another lock"), other.err());

            CliRun.Result ok = run("lock", "release", "x", "--session", String.valueOf(x[1]), "--token", String.valueOf(x[0]), "--cluster", cluster);
            assertEquals(0, ok.exit(), ok.err());
            assertTrue(ok.out().contains("released x token " + x[0]), ok.out());

            CliRun.Result held = run("lock", "acquire", "x", "--hold", "300ms", "--cluster", cluster);
            assertEquals(0, held.exit(), held.out() + held.err());
            long[] again = grant(held);
            assertTrue(again[0] > yg[0], "tokens increase across grants: " + yg[0] + " then " + again[0]);
            assertTrue(held.out().contains("released x token " + again[0]), held.out());

            CliRun.Result shortLived = run("lock", "acquire", "z", "--detach", "--ttl", "400ms", "--cluster", cluster);
            assertEquals(0, shortLived.exit(), shortLived.err());
            long[] z = grant(shortLived);
            Thread.sleep(2500); // no keep-alives: the session's lease runs out
            CliRun.Result expired = run("lock", "release", "z", "--session", String.valueOf(z[1]), "--token", String.valueOf(z[0]), "--cluster", cluster);
            assertEquals(2, expired.exit(), expired.err());
            assertTrue(expired.err().contains("expired session"), expired.err());

            assertEquals(2, run("lock", "acquire", "--cluster", cluster).exit());
            assertEquals(2, run("lock", "acquire", "x", "--session", "3", "--cluster", cluster).exit());
            assertEquals(2, run("lock", "release", "x", "--cluster", cluster).exit());
        } finally {
            run("cluster", "stop", "raft-lock", "--dir", dir);
            for (long p : pids) {
                Optional<ProcessHandle> h = ProcessHandle.of(p);
                h.ifPresent(ProcessHandle::destroyForcibly);
            }
        }
    }

    /**
     * Chubby's lock-delay on the real cluster ({@code cluster start raft-lock --lock-delay 8s}): a holder's session
     * that expires (ttl 1 s, no keep-alives after {@code --detach}) leaves its lock to nobody for the delay. The
     * bound is sound whatever the load: the session's deadline is at least the Open entry's stamp + ttl, the stamp
     * is the leader's monotonic clock (the machine's CLOCK_MONOTONIC, as this JVM's {@code System.nanoTime}) read
     * after {@code t0}, and the lock is not grantable before that deadline + the delay (a new leader only extends
     * it). So a second client that gives up waiting before {@code t0} + 1 s + 8 s must not be granted; one that
     * waits longer is, with a higher token.
     */
    @Test
    void lockDelayKeepsAnExpiredHoldersLockFromEveryoneUntilItRunsOut() throws Exception {
        assertEquals(2, run("cluster", "start", "raft-kv", "--lock-delay", "1s", "--dir", tmp.resolve("kv").toString()).exit(),
                "--lock-delay is raft-lock's only");
        assertEquals(2, run("cluster", "start", "raft-lock", "--lock-delay", "soon", "--dir", tmp.resolve("bad").toString()).exit());
        String dir = tmp.resolve("d").toString();
        int base = freeBase();
        String cluster = "127.0.0.1:" + base + ",127.0.0.1:" + (base + 1) + ",127.0.0.1:" + (base + 2);
        long ttlNs = 1_000_000_000L;
        long delayNs = 8_000_000_000L;
        try {
            CliRun.Result start = run("cluster", "start", "raft-lock", "--dir", dir, "--base-port", String.valueOf(base), "--lock-delay", "8s");
            assertEquals(0, start.exit(), start.err());
            assertTrue(start.out().contains("lock-delay 8s"), start.out());
            long t0 = System.nanoTime();
            CliRun.Result a = run("lock", "acquire", "d", "--detach", "--ttl", "1s", "--cluster", cluster);
            assertEquals(0, a.exit(), a.out() + a.err());
            long[] first = grant(a);
            long waitMs = (t0 + ttlNs + delayNs - System.nanoTime()) / 1_000_000 - 500;
            if (waitMs >= 300) { // (on a machine so slow that less is left, only the second half is checked)
                CliRun.Result early = run("lock", "acquire", "d", "--wait", waitMs + "ms", "--cluster", cluster);
                assertEquals(3, early.exit(), "granted before the lock-delay ran out (gave up " + waitMs + " ms after the holder's"
                        + " acquire, the delay ends no earlier than " + (ttlNs + delayNs) / 1_000_000 + " ms after it): " + early.out() + early.err());
            }
            CliRun.Result later = run("lock", "acquire", "d", "--wait", "60s", "--hold", "100ms", "--cluster", cluster);
            assertEquals(0, later.exit(), "after the lock-delay the next session gets the lock: " + later.out() + later.err());
            assertTrue(System.nanoTime() - t0 >= ttlNs + delayNs, "granted before ttl + lock-delay had passed");
            assertTrue(grant(later)[0] > first[0], "a higher token after the expired holder's");
        } finally {
            run("cluster", "stop", "raft-lock", "--dir", dir);
        }
    }
}
