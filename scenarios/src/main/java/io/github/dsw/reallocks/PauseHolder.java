package io.github.dsw.reallocks;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The lock holder of the pause experiment, run as its own JVM by {@link PauseExperiment}: it takes the lock,
 * reads both counters of the fenced resource, says {@code READY token fencedValue unfencedValue} on stdout, and
 * waits for a line on stdin. The parent stops it with SIGSTOP right after READY (every thread stops: the
 * ZooKeeper heartbeats too, as in a stop-the-world GC pause), lets the lock expire and another client take it
 * and write, then resumes it with SIGCONT and sends the line: the holder, still believing it holds the lock,
 * writes value + 1 to both counters (fenced with its token, and unfenced), releases, and says
 * {@code DONE fencedAccepted released}. The stdin line only pins where in the holder's code the pause lands
 * (between its read and its write, the window Kleppmann's figure shows).
 *
 * <p>Arguments: {@code kind addresses(comma-separated) ttlMillis lock fencedPort counterKey}.
 */
public final class PauseHolder {
    private PauseHolder() {}

    /** Entry point of the holder JVM. */
    public static void main(String[] args) throws Exception {
        if (args.length != 6) {
            System.err.println("usage: PauseHolder kind addresses ttlMillis lock fencedPort counterKey");
            System.exit(2);
        }
        String key = args[5];
        try (DistLock lock = DistLock.open(args[0], Arrays.asList(args[1].split(",")), Long.parseLong(args[2]));
             FencedServer.Client store = new FencedServer.Client(Integer.parseInt(args[4]))) {
            DistLock.Grant g = lock.acquire(args[3], 60_000);
            if (g == null) {
                System.out.println("FAILED no lock within 60 s");
                System.exit(3);
            }
            long fenced = value(store.read(key + "-fenced"));
            long unfenced = value(store.read(key + "-unfenced"));
            System.out.println("READY " + g.token() + " " + fenced + " " + unfenced);
            System.out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            in.readLine();
            boolean accepted = store.write(key + "-fenced", g.token(), Long.toString(fenced + 1));
            store.put(key + "-unfenced", Long.toString(unfenced + 1));
            boolean released;
            try {
                released = lock.release(g);
            } catch (java.io.IOException e) {
                released = false;
            }
            System.out.println("DONE " + accepted + " " + released);
            System.out.flush();
        }
        System.exit(0);
    }

    static long value(String v) {
        return v == null ? 0 : Long.parseLong(v);
    }
}
