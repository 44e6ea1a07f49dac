package io.github.dsw.bench.cluster;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;

/**
 * One measurement of a {@link RaftSystem}: start the cluster, run {@code clients} client threads that
 * write for a warm-up and then for the measured time, stop the cluster.
 *
 * <p>Two load models (chapter 0, lesson 7). Closed loop ({@code rate} 0): each client sends its next
 * write as soon as the previous one is acknowledged, latency from send to acknowledgement; this finds
 * the throughput the system sustains with that many outstanding writes, and its latencies are what
 * those clients saw. Open loop ({@code rate} &gt; 0, operations per second over all clients): client
 * {@code i}'s {@code k}-th write is due at {@code start + (i + k * clients) / rate}; a client that falls
 * behind sends at once but its latency is counted from the due time, so a stall shows up in the
 * histogram as every user who arrived during it would have felt it (Gil Tene's correction for
 * coordinated omission, as wrk2 does it). Each client has at most one write outstanding, so an open-loop
 * rate above what {@code clients} closed-loop clients sustain only lengthens the queue.
 *
 * <p>Latencies are recorded in microseconds in HdrHistogram with 3 significant digits. Only operations
 * that complete after the warm-up and before the end count, in throughput and latency alike.
 */
public final class ClusterBench {

    /** What to measure. {@code rate} 0 is closed loop. */
    public record Settings(int nodes, int clients, int valueBytes, RaftSystem.LogStorage storage, long warmupNs, long durationNs, double rate) {
        public Settings {
            if (nodes < 1 || clients < 1 || valueBytes < 8 || warmupNs < 0 || durationNs <= 0 || rate < 0) {
                throw new IllegalArgumentException("bad cluster-bench settings: nodes " + nodes + ", clients " + clients + ", size " + valueBytes
                        + ", rate " + rate);
            }
        }

        public String mode() {
            return rate > 0 ? "open" : "closed";
        }
    }

    /** The outcome: throughput over the measured window and the latency histogram (microseconds). */
    public record Result(String system, Settings settings, long ops, long errors, double seconds, Histogram latencyUs, String describe) {
        public double opsPerSecond() {
            return ops / seconds;
        }

        /** Latency at {@code percentile} (0-100) in milliseconds; NaN when nothing completed. */
        public double ms(double percentile) {
            return latencyUs.getTotalCount() == 0 ? Double.NaN : latencyUs.getValueAtPercentile(percentile) / 1000.0;
        }

        /** The line the CLI contract fixes, then extra fields. */
        public String line() {
            return String.format(Locale.ROOT, "system=%s ops_per_s=%.1f p50_ms=%.3f p99_ms=%.3f p999_ms=%.3f max_ms=%.3f ops=%d errors=%d",
                    system, opsPerSecond(), ms(50), ms(99), ms(99.9), latencyUs.getTotalCount() == 0 ? Double.NaN : latencyUs.getMaxValue() / 1000.0,
                    ops, errors);
        }
    }

    private ClusterBench() {
    }

    /** Every system's name on the command line. */
    public static final List<String> NAMES = List.of("dsw-raft", "dsw-raft-embedded", "jgroups-raft", "ratis", "ratis-embedded", "dsw-zab", "dsw-zab-batch", "zookeeper", "zookeeper-create");

    /** Creates the adapter for a name on the command line. */
    public static RaftSystem system(String name) {
        return switch (name) {
            case "dsw-raft" -> new DswRaftSystem();
            case "dsw-raft-embedded" -> new DswRaftSystem(true);
            case "jgroups-raft" -> new JGroupsRaftSystem();
            case "ratis" -> new RatisSystem();
            case "ratis-embedded" -> new RatisSystem(true);
            case "dsw-zab" -> new DswZabSystem(1);
            case "dsw-zab-batch" -> new DswZabSystem(DswZabSystem.BATCH);
            case "zookeeper" -> new ZooKeeperSystem(false);
            case "zookeeper-create" -> new ZooKeeperSystem(true);
            default -> throw new IllegalArgumentException("unknown system '" + name + "' (" + String.join(", ", NAMES) + ")");
        };
    }

    /** Starts {@code system} under {@code dir}, measures it, and closes it (also when interrupted). */
    public static Result run(RaftSystem system, Settings s, Path dir) throws Exception {
        Thread hook = new Thread(system::close, "cluster-bench-stop-" + system.name());
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            system.start(s.nodes(), s.storage(), s.valueBytes(), dir);
            return measure(system, s);
        } finally {
            system.close();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // already shutting down: the hook runs anyway
            }
        }
    }

    private static Result measure(RaftSystem system, Settings s) throws Exception {
        List<RaftSystem.Client> clients = new ArrayList<>();
        try {
            for (int i = 0; i < s.clients(); i++) {
                clients.add(system.client(i));
            }
            long start = System.nanoTime() + 50_000_000L;
            long measureFrom = start + s.warmupNs();
            long end = measureFrom + s.durationNs();
            AtomicLong errors = new AtomicLong();
            List<Histogram> histograms = new ArrayList<>();
            List<long[]> counts = new ArrayList<>();
            List<Thread> threads = new ArrayList<>();
            for (int i = 0; i < s.clients(); i++) {
                RaftSystem.Client c = clients.get(i);
                Histogram h = new Histogram(3);
                long[] count = new long[1];
                histograms.add(h);
                counts.add(count);
                int index = i;
                threads.add(Thread.ofPlatform().name("bench-client-" + i).start(() -> clientLoop(c, index, s, start, measureFrom, end, h, count, errors)));
            }
            for (Thread t : threads) {
                t.join();
            }
            Histogram all = new Histogram(3);
            long ops = 0;
            for (int i = 0; i < s.clients(); i++) {
                all.add(histograms.get(i));
                ops += counts.get(i)[0];
            }
            return new Result(system.name(), s, ops, errors.get(), s.durationNs() / 1e9, all, system.describe());
        } finally {
            for (RaftSystem.Client c : clients) {
                c.close();
            }
        }
    }

    private static void clientLoop(RaftSystem.Client c, int index, Settings s, long start, long measureFrom, long end, Histogram h, long[] count,
                                   AtomicLong errors) {
        long seq = 0;
        while (true) {
            long due;
            if (s.rate() > 0) {
                due = start + (long) ((index + seq * (double) s.clients()) * 1e9 / s.rate());
                if (due >= end) {
                    return;
                }
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                }
            } else {
                due = System.nanoTime();
                if (due >= end) {
                    return;
                }
            }
            seq++;
            try {
                c.write(seq);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception e) {
                if (System.nanoTime() >= measureFrom) {
                    errors.incrementAndGet();
                }
                continue;
            }
            long done = System.nanoTime();
            if (done >= measureFrom && done < end) {
                h.recordValue(Math.max(0, (done - due) / 1000));
                count[0]++;
            }
        }
    }
}
