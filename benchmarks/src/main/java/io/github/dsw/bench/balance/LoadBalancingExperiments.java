package io.github.dsw.bench.balance;

import io.github.dsw.balance.Balancer;
import io.github.dsw.balance.ConsistentHashBalancer;
import io.github.dsw.balance.LeastConnections;
import io.github.dsw.balance.PeakEwma;
import io.github.dsw.balance.PowerOfTwoChoices;
import io.github.dsw.balance.QueueSimulation;
import io.github.dsw.balance.RandomChoice;
import io.github.dsw.balance.RoundRobin;
import io.github.dsw.balance.Scenario;
import io.github.dsw.balance.ServiceTime;
import io.github.dsw.balance.SimulationResult;
import io.github.dsw.balance.SmoothWeightedRoundRobin;
import io.github.dsw.hashing.JumpHash;
import io.github.dsw.model.MMc;
import io.github.dsw.model.PowerOfDChoices;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Supplier;

/**
 * Chapter 3's simulation experiments (virtual time, seeded, so not JMH): writes CSV files into a
 * folder, by default {@code datasets/balance/}.
 * <ul>
 *   <li>{@code scenarios.csv}: mean and percentiles of response time for every balancer under each
 *       scenario (10 servers; exponential, log-normal and bimodal service; heterogeneous speeds; one
 *       server 10x slower; load information 10 ms stale);</li>
 *   <li>{@code latency-cdf.csv}: the response-time quantiles behind the CDF plots;</li>
 *   <li>{@code models.csv}: mean response time against utilization for random choice, two and three
 *       choices, least connections and a central queue (100 servers), beside M/M/1, Mitzenmacher's
 *       T_d(λ) and M/M/c.</li>
 * </ul>
 * Time unit 1 ms (mean service time). How to run this:
 * {@code java -cp benchmarks/target/benchmarks.jar io.github.dsw.bench.balance.LoadBalancingExperiments datasets/balance}
 * (about half a minute).
 */
public final class LoadBalancingExperiments {
    static final long SEED = 20261125L;
    static final int REQUESTS = 200_000;
    static final double[] QUANTILES = {0.01, 0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.98, 0.99, 0.995, 0.999};

    private LoadBalancingExperiments() {}

    public static void main(String[] args) throws IOException {
        Path out = Path.of(args.length > 0 ? args[0] : "datasets/balance");
        Files.createDirectories(out);
        List<String> summary = new ArrayList<>();
        List<String> cdf = new ArrayList<>();
        summary.add("scenario,balancer,mean,p50,p90,p99,p999,max_outstanding,share_of_server0");
        cdf.add("scenario,balancer,quantile,latency");
        for (Scenario s : scenarios()) {
            for (var b : balancers(s).entrySet()) {
                SimulationResult r = QueueSimulation.run(s, b.getValue().get());
                summary.add(String.format(Locale.ROOT, "%s,%s,%.4f,%.4f,%.4f,%.4f,%.4f,%d,%.4f", s.name(), b.getKey(),
                        r.meanLatency(), r.percentile(0.5), r.percentile(0.9), r.percentile(0.99), r.percentile(0.999),
                        r.maxOutstanding(), r.shareOf(0)));
                for (double q : QUANTILES) {
                    cdf.add(String.format(Locale.ROOT, "%s,%s,%.3f,%.4f", s.name(), b.getKey(), q, r.percentile(q)));
                }
            }
        }
        write(out.resolve("scenarios.csv"), summary);
        write(out.resolve("latency-cdf.csv"), cdf);
        write(out.resolve("models.csv"), models());
    }

    /** The six scenarios of chapter 3, 10 servers, mean service 1 ms. */
    public static List<Scenario> scenarios() {
        ServiceTime exp = new ServiceTime.Exponential(1.0);
        return List.of(
                Scenario.of("exponential", 10, 0.8, exp, REQUESTS, SEED),
                Scenario.of("lognormal", 10, 0.8, new ServiceTime.LogNormal(1.0, 1.0), REQUESTS, SEED),
                Scenario.of("bimodal", 10, 0.8, new ServiceTime.Bimodal(0.5, 5.5, 0.1), REQUESTS, SEED),
                Scenario.of("heterogeneous", 10, 0.7, exp, REQUESTS, SEED).withSpeeds(2, 2, 2, 2, 2, 1, 1, 1, 1, 1),
                Scenario.of("slow-server", 10, 0.6, exp, REQUESTS, SEED).withSlowdown(0, 10, REQUESTS / 6.0 / 3),
                Scenario.of("stale-10ms", 10, 0.8, exp, REQUESTS, SEED).withRefreshInterval(10));
    }

    /** Fresh balancers for {@code s} (SWRR weighted by the servers' speeds). */
    public static Map<String, Supplier<Balancer>> balancers(Scenario s) {
        int[] weights = new int[s.servers()];
        double[] speeds = s.speeds();
        List<String> names = new ArrayList<>();
        for (int i = 0; i < weights.length; i++) {
            weights[i] = (int) Math.round(speeds[i]);
            names.add("s" + i);
        }
        Map<String, Supplier<Balancer>> map = new LinkedHashMap<>();
        map.put("round-robin", RoundRobin::new);
        map.put("swrr", () -> new SmoothWeightedRoundRobin(weights));
        map.put("random", () -> new RandomChoice(new SplittableRandom(s.seed() + 1)));
        map.put("least-connections", LeastConnections::new);
        map.put("p2c", () -> new PowerOfTwoChoices(new SplittableRandom(s.seed() + 2)));
        map.put("peak-ewma", () -> new PeakEwma(50_000_000L, new SplittableRandom(s.seed() + 3)));
        map.put("consistent-hash", () -> new ConsistentHashBalancer(new JumpHash(names)));
        return map;
    }

    static List<String> models() {
        List<String> rows = new ArrayList<>();
        rows.add("utilization,series,mean_response,kind");
        ServiceTime exp = new ServiceTime.Exponential(1.0);
        int n = 100;
        for (double u : new double[] {0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.95}) {
            Scenario s = Scenario.of("models", n, u, exp, 300_000, SEED);
            add(rows, u, "random", QueueSimulation.run(s, new RandomChoice(new SplittableRandom(SEED))).meanLatency(), "simulated");
            add(rows, u, "p2c", QueueSimulation.run(s, new PowerOfTwoChoices(new SplittableRandom(SEED))).meanLatency(), "simulated");
            add(rows, u, "p3c", QueueSimulation.run(s, new PowerOfTwoChoices(3, new SplittableRandom(SEED))).meanLatency(), "simulated");
            add(rows, u, "least-connections", QueueSimulation.run(s, new LeastConnections()).meanLatency(), "simulated");
            add(rows, u, "central-queue", QueueSimulation.centralQueue("mmc", n, u * n, exp, 300_000, 30_000, SEED)
                    .meanLatency(), "simulated");
            add(rows, u, "M/M/1 (d=1)", new PowerOfDChoices(1, u).meanTimeInSystem(), "model");
            add(rows, u, "T_2", new PowerOfDChoices(2, u).meanTimeInSystem(), "model");
            add(rows, u, "T_3", new PowerOfDChoices(3, u).meanTimeInSystem(), "model");
            add(rows, u, "M/M/100", new MMc(n, u * n, 1.0).meanResponseTime(), "model");
        }
        return rows;
    }

    private static void add(List<String> rows, double u, String series, double value, String kind) {
        rows.add(String.format(Locale.ROOT, "%.2f,%s,%.4f,%s", u, series, value, kind));
    }

    private static void write(Path file, List<String> rows) throws IOException {
        Files.write(file, rows);
        System.out.println("wrote " + file + " (" + (rows.size() - 1) + " rows)");
    }
}
