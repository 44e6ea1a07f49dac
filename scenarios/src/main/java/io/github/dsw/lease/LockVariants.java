package io.github.dsw.lease;

import io.github.dsw.sim.Nemesis;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The chapter 9 experiment: every lock {@link LockRun.Variant} over the same seeds and fault schedules, counting
 * the runs in which {@code LockChecker} finds a mutual-exclusion violation and those in which it finds a
 * write accepted after a newer holder's (a lost update), with the writes accepted with a stale token and
 * the writes the resource rejected. Each run is deterministic in its seed (virtual time), so the counts are
 * exact for this setting and machine-independent; only the wall-clock time of the experiment depends on the machine.
 *
 * <p>{@code main(dir, seeds, clients, cycles)} writes {@code variants.csv} (one row per variant and fault list) and
 * {@code provenance.txt} (JDK, OS, date, command) into {@code dir}.
 */
public final class LockVariants {

    /** The fault lists compared: server faults only; client pauses and slow clocks; both. */
    public static final List<String> NEMESES = List.of("crash,partition,pause,loss,skew", "gc,slow-clock", "crash,partition,gc,slow-clock");

    /** Counts over seeds 1..seeds of one variant under one fault list. */
    public record Counts(LockRun.Variant variant, String nemesis, int seeds, int exclusionViolated, int fencingViolated, long staleAccepted,
                         long rejected, long grants, int incomplete) {
    }

    private LockVariants() {
    }

    @SuppressWarnings("unchecked")
    public static Counts count(LockRun.Variant v, String nemesis, int seeds, int clients, int cycles) {
        Object[] faults = LockRun.parseNemesis(nemesis);
        int me = 0;
        int fw = 0;
        int inc = 0;
        long stale = 0;
        long rejected = 0;
        long grants = 0;
        for (long seed = 1; seed <= seeds; seed++) {
            LockRun.Outcome o = LockRun.run(new LockRun.Settings(seed, v, clients, cycles, (Set<Nemesis.Kind>) faults[0],
                    (Set<LockRun.ClientFault>) faults[1]));
            me += o.mutualExclusion().holds() ? 0 : 1;
            fw += o.fencedWrites().holds() ? 0 : 1;
            inc += o.completed() ? 0 : 1;
            stale += o.staleAccepted();
            rejected += o.rejected();
            grants += o.grants();
        }
        return new Counts(v, nemesis, seeds, me, fw, stale, rejected, grants, inc);
    }

    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args.length > 0 ? args[0] : ".");
        int seeds = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
        int clients = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        int cycles = args.length > 3 ? Integer.parseInt(args[3]) : 4;
        Files.createDirectories(dir);
        long t0 = System.nanoTime();
        try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(dir.resolve("variants.csv"), StandardCharsets.UTF_8))) {
            w.println("variant,nemesis,seeds,clients,cycles,runs_exclusion_violated,runs_fencing_violated,stale_writes_accepted,writes_rejected,grants,runs_incomplete");
            for (String nemesis : NEMESES) {
                for (LockRun.Variant v : LockRun.Variant.values()) {
                    Counts c = count(v, nemesis, seeds, clients, cycles);
                    w.printf(Locale.ROOT, "%s,\"%s\",%d,%d,%d,%d,%d,%d,%d,%d,%d%n", v.cliName(), nemesis, seeds, clients, cycles, c.exclusionViolated(),
                            c.fencingViolated(), c.staleAccepted(), c.rejected(), c.grants(), c.incomplete());
                    w.flush();
                    System.err.printf(Locale.ROOT, "%s under %s: %d/%d runs break exclusion, %d break fencing (%.0f s so far)%n", v.cliName(), nemesis,
                            c.exclusionViolated(), seeds, c.fencingViolated(), (System.nanoTime() - t0) / 1e9);
                }
            }
        }
        try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(dir.resolve("provenance.txt"), StandardCharsets.UTF_8))) {
            w.println("experiment: io.github.dsw.lease.LockVariants (deterministic simulation, virtual time; counts do not depend on the machine)");
            w.printf(Locale.ROOT, "arguments: dir=%s seeds=%d clients=%d cycles=%d%n", dir, seeds, clients, cycles);
            w.println("date: " + Instant.now());
            w.println("jdk: " + System.getProperty("java.vm.vendor") + " " + System.getProperty("java.runtime.version"));
            w.println("os: " + System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"));
            w.println("cores: " + Runtime.getRuntime().availableProcessors());
            w.printf(Locale.ROOT, "wall-clock: %.0f s (shared machine, other builds running)%n", (System.nanoTime() - t0) / 1e9);
        }
    }
}
