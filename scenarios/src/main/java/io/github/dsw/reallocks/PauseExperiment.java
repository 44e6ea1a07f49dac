package io.github.dsw.reallocks;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Kleppmann's pause, on real processes and real lock servers ("How to do distributed locking", 2016, the
 * figure "Unsafe access to a resource protected by a distributed lock"): holder A (a separate JVM,
 * {@link PauseHolder}) takes the lock and reads a counter; A is stopped with SIGSTOP; A's lock expires (Redis
 * key expiry, ZooKeeper session timeout, etcd lease TTL); client B takes the lock, reads and writes the counter
 * + 1, and keeps holding; A is resumed with SIGCONT and writes its own (stale) counter + 1, then releases;
 * client C then tries the lock once (while B still holds it).
 *
 * <p>Two counters on the fenced resource ({@link FencedServer}) take each write: one unfenced (a plain store),
 * one fenced (rejects a token lower than one it accepted). A lost update is an accepted increment that is not
 * in the final value ({@code accepted increments - final value}). C getting the lock while B holds it is a
 * double grant: the seeds' {@code DEL} deleted B's lock.
 */
public final class PauseExperiment {
    private PauseExperiment() {}

    /** One pause: what happened. */
    public record Outcome(String kind, long tokenA, long tokenB, int lostUnfenced, int lostFenced,
                          boolean staleWriteRejected, boolean holderReleaseRemovedAHold, boolean doubleGrant,
                          long pauseMillis) {
        /** The CSV header of {@link #csv()}. */
        public static final String HEADER = "kind,token_a,token_b,lost_unfenced,lost_fenced,stale_write_rejected,"
                + "holder_release_removed_a_hold,double_grant,pause_ms";

        /** One CSV line. */
        public String csv() {
            return String.join(",", kind, Long.toString(tokenA), Long.toString(tokenB), Integer.toString(lostUnfenced),
                    Integer.toString(lostFenced), Boolean.toString(staleWriteRejected),
                    Boolean.toString(holderReleaseRemovedAHold), Boolean.toString(doubleGrant), Long.toString(pauseMillis));
        }
    }

    /**
     * Runs one pause against {@code kind} on {@code addresses}; {@code ttlMillis} is the holder's lock TTL /
     * session timeout; the history (JSON Lines, chapter 5 shape with {@code acquire}/{@code release}/{@code
     * write}) is appended to {@code history} if not null, process ids from {@code firstProcess}.
     */
    public static Outcome run(String kind, List<String> addresses, long ttlMillis, FencedServer store, String round,
                              Writer history, int firstProcess) throws IOException {
        String lock = "lock-" + round;
        String counter = "counter-" + round;
        History h = new History(history);
        int pa = firstProcess;
        int pb = firstProcess + 1;
        int pc = firstProcess + 2;
        String java = ProcessHandle.current().info().command().orElse("java");
        Process a = new ProcessBuilder(java, "-Xss512k", "-XX:TieredStopAtLevel=1", "-cp",
                System.getProperty("java.class.path"), PauseHolder.class.getName(), kind, String.join(",", addresses),
                Long.toString(ttlMillis), lock, Integer.toString(store.port()), counter)
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        Thread hook = new Thread(a::destroyForcibly, "stop-pause-holder");
        Runtime.getRuntime().addShutdownHook(hook);
        try (BufferedReader out = new BufferedReader(new InputStreamReader(a.getInputStream(), StandardCharsets.UTF_8));
             Writer in = new BufferedWriter(new OutputStreamWriter(a.getOutputStream(), StandardCharsets.UTF_8));
             DistLock b = DistLock.open(kind, addresses, longTtl(kind));
             DistLock c = DistLock.open(kind, addresses, longTtl(kind));
             FencedServer.Client bStore = new FencedServer.Client(store.port())) {
            h.invoke(pa, "acquire", lock, null, null);
            String[] ready = expect(out, "READY", a);
            long tokenA = Long.parseLong(ready[1]);
            h.ok(pa, "acquire", lock, Long.toString(tokenA), null);
            signal(a, "STOP");
            long stopped = System.nanoTime();
            h.invoke(pb, "acquire", lock, null, null);
            DistLock.Grant gb = b.acquire(lock, 60_000);
            if (gb == null) {
                throw new IOException(kind + ": B did not get the lock within 60 s of A's pause");
            }
            h.ok(pb, "acquire", lock, Long.toString(gb.token()), null);
            long fb = PauseHolder.value(bStore.read(counter + "-fenced"));
            long ub = PauseHolder.value(bStore.read(counter + "-unfenced"));
            h.invoke(pb, "write", counter + "-fenced", Long.toString(fb + 1), gb.token());
            boolean bAccepted = bStore.write(counter + "-fenced", gb.token(), Long.toString(fb + 1));
            h.done(pb, bAccepted ? "ok" : "fail", "write", counter + "-fenced", Long.toString(fb + 1), gb.token());
            bStore.put(counter + "-unfenced", Long.toString(ub + 1));
            signal(a, "CONT");
            long pause = (System.nanoTime() - stopped) / 1_000_000L;
            long aValue = Long.parseLong(ready[2]) + 1;
            h.invoke(pa, "write", counter + "-fenced", Long.toString(aValue), tokenA);
            in.write("GO\n");
            in.flush();
            String[] done = expect(out, "DONE", a);
            boolean aAccepted = Boolean.parseBoolean(done[1]);
            boolean aReleased = Boolean.parseBoolean(done[2]);
            h.done(pa, aAccepted ? "ok" : "fail", "write", counter + "-fenced", Long.toString(aValue), tokenA);
            h.invoke(pa, "release", lock, null, null);
            h.done(pa, aReleased ? "ok" : "fail", "release", lock, null, null);
            h.invoke(pc, "acquire", lock, null, null);
            DistLock.Grant gc = c.acquire(lock, 300);
            if (gc != null) {
                h.ok(pc, "acquire", lock, Long.toString(gc.token()), null);
                h.invoke(pc, "release", lock, null, null);
                h.done(pc, c.release(gc) ? "ok" : "fail", "release", lock, null, null);
            } else {
                h.done(pc, "fail", "acquire", lock, null, null);
            }
            h.invoke(pb, "release", lock, null, null);
            h.done(pb, b.release(gb) ? "ok" : "fail", "release", lock, null, null);
            int acceptedFenced = (bAccepted ? 1 : 0) + (aAccepted ? 1 : 0);
            long finalFenced = PauseHolder.value(bStore.read(counter + "-fenced"));
            long finalUnfenced = PauseHolder.value(bStore.read(counter + "-unfenced"));
            a.waitFor(10, TimeUnit.SECONDS);
            return new Outcome(kind, tokenA, gb.token(), (int) (2 - finalUnfenced), (int) (acceptedFenced - finalFenced),
                    !aAccepted, aReleased, gc != null, pause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } finally {
            if (a.isAlive()) {
                signal(a, "CONT");
                a.destroyForcibly();
            }
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook runs anyway
            }
        }
    }

    /** B and C are not paused: their TTL is long, so that B certainly holds its lock while C tries. */
    private static long longTtl(String kind) {
        return kind.startsWith("zk") ? 4_000 : 30_000;
    }

    private static String[] expect(BufferedReader out, String word, Process p) throws IOException {
        String line;
        while ((line = out.readLine()) != null) {
            if (line.startsWith(word + " ")) {
                return line.split(" ");
            }
            if (line.startsWith("FAILED")) {
                break;
            }
        }
        throw new IOException("the holder JVM ended without " + word + (line == null ? "" : ": " + line)
                + (p.isAlive() ? "" : " (exit " + p.exitValue() + ")"));
    }

    /** Sends SIGSTOP/SIGCONT with {@code /bin/kill} (the JDK can only terminate a process). */
    static void signal(Process p, String sig) throws IOException {
        try {
            Process k = new ProcessBuilder("kill", "-" + sig, Long.toString(p.pid())).redirectErrorStream(true).start();
            if (!k.waitFor(10, TimeUnit.SECONDS) || k.exitValue() != 0) {
                throw new IOException("kill -" + sig + " " + p.pid() + " failed");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    /** Writes events in the chapter 5 JSON Lines shape (time: nanoseconds since the JVM's origin). */
    private static final class History {
        private final Writer w;

        History(Writer w) {
            this.w = w;
        }

        void invoke(int p, String f, String key, String value, Long token) throws IOException {
            done(p, "invoke", f, key, value, token);
        }

        void ok(int p, String f, String key, String value, Long token) throws IOException {
            done(p, "ok", f, key, value, token);
        }

        void done(int p, String type, String f, String key, String value, Long token) throws IOException {
            if (w == null) {
                return;
            }
            w.write("{\"process\":" + p + ",\"type\":\"" + type + "\",\"f\":\"" + f + "\",\"key\":\"" + key
                    + "\",\"value\":" + (value == null ? "null" : value) + (token == null ? "" : ",\"token\":" + token)
                    + ",\"time\":" + System.nanoTime() + "}\n");
        }
    }

    /**
     * {@code rounds} pauses per kind in {@code kinds}, each on fresh lock and counter names; the histories go to
     * {@code historyDir/pause-KIND.jsonl} if not null. Servers are started and stopped here.
     */
    public static List<Outcome> runAll(List<String> kinds, int rounds, Path historyDir) throws IOException {
        List<Outcome> all = new ArrayList<>();
        try (FencedServer store = new FencedServer()) {
            for (String kind : kinds) {
                List<LockServers.Running> servers = start(kind);
                try (Writer history = historyDir == null ? null
                        : Files.newBufferedWriter(historyDir.resolve("pause-" + kind + ".jsonl"))) {
                    List<String> addresses = servers.stream().map(LockServers.Running::address).toList();
                    for (int r = 0; r < rounds; r++) {
                        all.add(run(kind, addresses, ttl(kind), store, kind + "-" + r, history, 3 * r));
                    }
                } finally {
                    servers.forEach(LockServers.Running::close);
                }
            }
        }
        return all;
    }

    /** The holder's TTL / session timeout / lease TTL for {@code kind} (etcd's minimum lease is 2 s). */
    public static long ttl(String kind) {
        return switch (kind) {
            case "etcd" -> 2_000;
            default -> 1_000;
        };
    }

    /** Starts what {@code kind} needs. */
    public static List<LockServers.Running> start(String kind) throws IOException {
        return switch (kind) {
            case "redis-naive", "redis-cad" -> List.of(LockServers.startRedis());
            case "redlock" -> LockServers.startRedises(5);
            case "zk-curator", "zk-recipe" -> List.of(LockServers.startZooKeeper(200));
            case "etcd" -> List.of(LockServers.startEtcd());
            default -> throw new IllegalArgumentException("unknown lock kind " + kind);
        };
    }

    /**
     * Runs the experiment and prints one CSV line per pause ({@link Outcome#HEADER}):
     * {@code [kinds...] [--rounds N] [--history-dir D]} (all kinds, one round, no histories by default).
     */
    public static void main(String[] args) throws IOException {
        List<String> kinds = new ArrayList<>();
        int rounds = 1;
        Path dir = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                case "--history-dir" -> dir = Path.of(args[++i]);
                default -> kinds.add(args[i]);
            }
        }
        System.out.println(Outcome.HEADER);
        for (Outcome o : runAll(kinds.isEmpty() ? DistLock.KINDS : kinds, rounds, dir)) {
            System.out.println(o.csv());
        }
    }
}
