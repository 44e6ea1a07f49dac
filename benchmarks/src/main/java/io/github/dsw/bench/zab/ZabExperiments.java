package io.github.dsw.bench.zab;

import io.github.dsw.report.Provenance;
import io.github.dsw.zab.ConsensusComparison;
import io.github.dsw.zab.ConsensusComparison.Recovery;
import io.github.dsw.zab.ConsensusComparison.Steady;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Chapter 13's comparison of Zab with Raft and Multi-Paxos in the simulator ({@link ConsensusComparison}), written as
 * CSV with provenance: {@code steady.csv} (failure-free: messages between servers per committed entry, client latency
 * p50/p90/p99 and OK operations per virtual second, for 1, 4 and 16 clients, Multi-Paxos also with batches of 1, 4
 * and 16 commands per slot) and {@code recovery.csv} (a leader crash at 1 s: time until another server leads and
 * serves, and until a client's operation invoked after the crash completes). All numbers are virtual time: exact and
 * replayable from the seeds, independent of the machine. {@code batching.csv}: Zab with the leader batching up to 1
 * (off), 8 or 32 changes per PROPOSAL ({@code ZabNode}'s batch switch) with 1, 2 or 8 batches in flight (the
 * pipelining window) at 1, 4, 16 and 32 clients: messages between servers and fsyncs (all servers) per delivered
 * transaction, client latency and OK operations per virtual second.
 *
 * <p>Expect from batching: no change at 1 client (nothing queues); fewer messages and fsyncs per transaction as clients
 * grow, since one PROPOSAL, one ACK per follower, one COMMIT and one fsync per server then serve the whole batch; the
 * window trades one for the other: a batch forms only while the window is full, so a window of 1 batches most and
 * makes changes wait for the batch in flight, a wide window batches less and pipelines like the unbatched leader. The
 * simulator charges nothing per message and its fsyncs (100 us, {@code SimConfig.defaults}) run in parallel, so
 * throughput in virtual time cannot rise above the unbatched run's: the saving shows as resources per operation here,
 * and as throughput only where messages and forces cost (the cluster-bench run of chapter 13).
 *
 * <p>Expect: Zab and Raft both send about 2 (n-1) messages per commit in steady state plus heartbeats (PROPOSAL+ACK per
 * follower, and Zab's COMMIT per follower where Raft piggybacks the commit index on the next AppendEntries), so Zab
 * would send more per commit (the first run, {@code datasets/results/vm-20261202-1707-zab}, contradicts this at 4 and 16
 * clients: Zab sent fewer than Raft; why is not analysed yet); latencies close (one round trip to a quorum, plus Zab's forwarding hop when a client talks to a
 * follower); recovery: Zab's election has no randomised timeout but adds discovery and synchronisation round trips.
 *
 * <p>Run: {@code java -cp benchmarks/target/benchmarks.jar io.github.dsw.bench.zab.ZabExperiments [outDir] [--note TEXT]
 * [--only batching]}.
 */
public final class ZabExperiments {

    private ZabExperiments() {
    }

    public static void main(String[] args) throws IOException {
        String note = "";
        String outArg = null;
        String only = null;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--note") && i + 1 < args.length) {
                note = args[++i];
            } else if (args[i].equals("--only") && i + 1 < args.length && args[i + 1].equals("batching")) {
                only = args[++i];
            } else if (outArg == null) {
                outArg = args[i];
            } else {
                System.err.println("usage: ZabExperiments [outDir] [--note TEXT] [--only batching]");
                System.exit(2);
            }
        }
        List<String> command = new ArrayList<>(List.of("java", "-cp", "benchmarks/target/benchmarks.jar", ZabExperiments.class.getName()));
        command.addAll(List.of(args));
        Provenance prov = Provenance.capture(Path.of("."), "simulation: ZabExperiments",
                Map.of("experiments", only == null ? "steady, recovery, batching" : only), command, note);
        Path out = Path.of(outArg != null ? outArg : "datasets/results/" + prov.host() + "-"
                + ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmm")) + "-zab");
        Files.createDirectories(out);
        prov.write(out.resolve("provenance.json"));
        long t0 = System.nanoTime();
        if (only == null || only.equals("batching")) {
            batching(out, t0);
        }
        if (only != null) {
            writeReadme(out, prov, note);
            return;
        }
        StringBuilder steady = new StringBuilder("protocol,clients,batch,seed,ok_ops,committed,server_messages,messages_per_commit,"
                + "client_p50_ms,client_p90_ms,client_p99_ms,virtual_s,ok_ops_per_virtual_s\n");
        for (int clients : new int[] {1, 4, 16}) {
            for (long seed = 1; seed <= 3; seed++) {
                List<Steady> rows = new ArrayList<>();
                rows.add(ConsensusComparison.steady("zab", seed, clients, clients * 100, 1));
                rows.add(ConsensusComparison.steady("raft", seed, clients, clients * 100, 1));
                for (int batch : new int[] {1, 4, 16}) {
                    rows.add(ConsensusComparison.steady("multi-paxos", seed, clients, clients * 100, batch));
                }
                for (Steady s : rows) {
                    steady.append(String.format(Locale.ROOT, "%s,%d,%d,%d,%d,%d,%d,%.3f,%.3f,%.3f,%.3f,%.4f,%.1f%n", s.protocol(), s.clients(),
                            s.batch(), s.seed(), s.okOps(), s.committed(), s.serverMessages(), s.messagesPerCommit(), s.p50Ms(), s.p90Ms(),
                            s.p99Ms(), s.virtualS(), s.okOpsPerVirtualS()));
                }
                System.out.printf(Locale.ROOT, "[%5.1f s] steady clients=%d seed=%d%n", (System.nanoTime() - t0) / 1e9, clients, seed);
            }
        }
        Files.writeString(out.resolve("steady.csv"), steady, StandardCharsets.UTF_8);
        StringBuilder recovery = new StringBuilder("protocol,seed,crashed,elected_ms,unavailable_ms\n");
        for (long seed = 1; seed <= 30; seed++) {
            for (String p : new String[] {"zab", "raft"}) {
                Recovery r = ConsensusComparison.recovery(p, seed, 4);
                recovery.append(String.format(Locale.ROOT, "%s,%d,%d,%.3f,%.3f%n", r.protocol(), r.seed(), r.crashed(), r.electedMs(),
                        r.unavailableMs()));
            }
        }
        System.out.printf(Locale.ROOT, "[%5.1f s] recovery done%n", (System.nanoTime() - t0) / 1e9);
        Files.writeString(out.resolve("recovery.csv"), recovery, StandardCharsets.UTF_8);
        writeReadme(out, prov, note);
        System.out.printf(Locale.ROOT, "done in %.1f s, wrote %s%n", (System.nanoTime() - t0) / 1e9, out);
        if (Arrays.asList(args).contains("--print")) {
            System.out.print(steady);
        }
    }

    private static void writeReadme(Path out, Provenance prov, String note) throws IOException {
        Files.writeString(out.resolve("README.md"), "# Zab beside Raft and Multi-Paxos: " + out.getFileName() + "\n\n"
                + "Written by `io.github.dsw.bench.zab.ZabExperiments` (its Javadoc says what each column is and what to expect).\n\n"
                + "- Machine: " + prov.host() + " — " + prov.summary() + "\n- Note: " + (note.isEmpty() ? "(none)" : note) + "\n\n"
                + "Every number here is virtual time from the deterministic simulator (3 servers, `SimConfig.defaults` links), exact and "
                + "replayable from its seed; the wall time of the run is not reported.\n", StandardCharsets.UTF_8);
    }

    /** Zab with batching off and on (batches of 8 and 32, 1, 2 or 8 of them in flight), failure-free, 3 seeds per point: {@code batching.csv}. */
    static void batching(Path out, long t0) throws IOException {
        StringBuilder csv = new StringBuilder("protocol,clients,batch,window,seed,ok_ops,committed,server_messages,messages_per_commit,fsyncs,"
                + "fsyncs_per_commit,client_p50_ms,client_p90_ms,client_p99_ms,virtual_s,ok_ops_per_virtual_s\n");
        int[][] configs = {{1, 1}, {8, 1}, {8, 2}, {8, 8}, {32, 1}, {32, 2}, {32, 8}};
        for (int clients : new int[] {1, 4, 16, 32}) {
            for (int[] bw : configs) {
                for (long seed = 1; seed <= 3; seed++) {
                    Steady s = ConsensusComparison.steady("zab", seed, clients, clients * 100, bw[0], bw[1]);
                    csv.append(String.format(Locale.ROOT, "%s,%d,%d,%d,%d,%d,%d,%d,%.3f,%d,%.3f,%.3f,%.3f,%.3f,%.4f,%.1f%n", s.protocol(), s.clients(),
                            s.batch(), bw[1], s.seed(), s.okOps(), s.committed(), s.serverMessages(), s.messagesPerCommit(), s.fsyncs(),
                            s.fsyncsPerCommit(), s.p50Ms(), s.p90Ms(), s.p99Ms(), s.virtualS(), s.okOpsPerVirtualS()));
                }
            }
            System.out.printf(Locale.ROOT, "[%5.1f s] batching clients=%d%n", (System.nanoTime() - t0) / 1e9, clients);
        }
        Files.writeString(out.resolve("batching.csv"), csv, StandardCharsets.UTF_8);
    }
}
