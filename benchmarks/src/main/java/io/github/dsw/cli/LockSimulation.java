package io.github.dsw.cli;

import io.github.dsw.lease.LockRun;
import io.github.dsw.lease.LockRun.ClientFault;
import io.github.dsw.lease.LockRun.Variant;
import io.github.dsw.sim.Nemesis;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * {@code ./dsw simulate lock-service}: one {@link LockRun} (chapter 9): clients take a lock, write to a resource with
 * the grant's token, release; the history is checked for mutual exclusion and fenced writes.
 */
final class LockSimulation implements Simulation {

    private static final String USAGE = """
                   ./dsw simulate lock-service [--seed S] [--clients C] [--cycles K] [--nemesis LIST] [--no-fencing]
                                      [--variant naive|cad|redlock|service] [--history-out FILE]
            """;

    private static final String HELP = """

            lock-service runs chapter 9's lock service (a lock table with sessions and leases on 3 Raft servers, the
            fencing token = the grant's log index) with C clients that each K times acquire the lock, check their lease,
            compute 20 ms, write to a resource with their token, hold 10 ms and release (lease 300 ms). The resource
            rejects tokens lower than the highest it accepted, unless --no-fencing. Then it checks the history for mutual
            exclusion and fenced writes (the checks of ./dsw check-history --model lock|fenced). Exit 0 both hold,
            1 one is violated (each violation printed), 3 the run hit its time limit before the clients finished.
              --seed S              seed of network, faults and timing (default 1)
              --clients C           clients, 1..50 (default 3)
              --cycles K            acquire-write-release cycles per client, 1..1000 (default 5)
              --nemesis LIST        none (default) or server faults partition,crash,pause,loss,duplicate,reorder,skew
                                    and client faults gc (a 600 ms pause: a GC pause or SIGSTOP), slow-clock (the
                                    client's clock at 1/20 speed for 1.2 s: its timers fire 20x late)
              --no-fencing          the resource accepts every write (the lost updates the fenced checker catches)
              --variant V           the lock: service (default), naive (Redis SET NX PX + DEL, the seeds' lock),
                                    cad (SET NX PX + compare-and-delete), redlock (5 simulated Redis instances)
              --history-out FILE    write the history as JSON Lines (datasets/README.md, chapter 9)
            """;

    @Override
    public List<String> protocols() {
        return List.of("lock-service");
    }

    @Override
    public String usage() {
        return USAGE;
    }

    @Override
    public String help() {
        return HELP;
    }

    @Override
    @SuppressWarnings("unchecked")
    public int run(String protocol, List<String> argv) throws IOException {
        String cmd = "simulate " + protocol;
        Args a = Args.forCommand("simulate").option("seed").option("clients").option("cycles").option("nemesis").option("variant")
                .option("history-out").flag("no-fencing").parse(argv).expectPositional(0, 0, "no other words after " + protocol);
        long seed = a.getLong("seed", 1);
        int clients = a.getInt("clients", 3, 1, 50);
        int cycles = a.getInt("cycles", 5, 1, 1000);
        Object[] faults;
        try {
            faults = LockRun.parseNemesis(a.get("nemesis", "none"));
        } catch (IllegalArgumentException e) {
            throw new UsageException(cmd + ": " + e.getMessage());
        }
        String name = a.get("variant", "service");
        Variant variant = switch (name) {
            case "service" -> a.has("no-fencing") ? Variant.SERVICE_UNFENCED : Variant.SERVICE;
            case "naive" -> Variant.NAIVE;
            case "cad" -> Variant.CAD;
            case "redlock" -> Variant.REDLOCK;
            default -> throw new UsageException(cmd + ": --variant must be service, naive, cad or redlock, got '" + name + "'");
        };
        if (a.has("no-fencing") && variant != Variant.SERVICE_UNFENCED) {
            throw new UsageException(cmd + ": --no-fencing applies to --variant service only (the Redis variants never fence)");
        }
        Path historyPath = OutputPaths.forCommand("simulate").file("--history-out", a.get("history-out"));
        LockRun.Settings s = new LockRun.Settings(seed, variant, clients, cycles, (Set<Nemesis.Kind>) faults[0], (Set<ClientFault>) faults[1]);
        LockRun.Outcome o = LockRun.run(s);
        System.out.print(o.summary());
        if (historyPath != null) {
            try (Writer w = Files.newBufferedWriter(historyPath, StandardCharsets.UTF_8)) {
                o.history().write(w);
            }
            System.out.println("history written to " + historyPath);
        }
        if (!o.mutualExclusion().holds() || !o.fencedWrites().holds()) {
            System.out.println("replay: ./dsw simulate lock-service " + String.join(" ", argv));
            return 1;
        }
        if (!o.completed()) {
            System.out.println(String.format(Locale.ROOT, "undecided: the clients had not finished at %.0f s of virtual time", o.virtualNs() / 1e9));
            return 3;
        }
        return 0;
    }
}
