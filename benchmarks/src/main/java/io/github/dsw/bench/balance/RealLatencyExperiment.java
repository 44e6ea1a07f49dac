package io.github.dsw.bench.balance;

import io.github.dsw.balance.LeastConnections;
import io.github.dsw.balance.PowerOfTwoChoices;
import io.github.dsw.balance.QueueSimulation;
import io.github.dsw.balance.RoundRobin;
import io.github.dsw.balance.Scenario;
import io.github.dsw.balance.ServiceTime;
import io.github.dsw.balance.SimulationResult;
import io.github.dsw.model.MMc;
import io.github.dsw.proxy.Backends;
import io.github.dsw.proxy.Haproxy;
import io.github.dsw.proxy.Nginx;
import io.github.dsw.proxy.Proxy;
import io.github.dsw.report.Charts;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;
import org.knowm.xchart.XYChart;

/**
 * Real latency beside the model: an open-loop load generator sends Poisson arrivals through the real nginx and
 * HAProxy to four {@link Backends} whose service times are drawn from chapter 3's distributions (slept, one request
 * at a time per backend: FIFO single servers), and records each response time in an HdrHistogram. Each request's
 * latency is measured from the time it was <em>scheduled</em> to be sent, not from when the sender got round to it,
 * so a stalled sender cannot hide queueing (coordinated omission corrected, as in Gil Tene's wrk2). Beside it, the
 * same parameters in {@link QueueSimulation} (round-robin, least connections, two choices, a central queue) and the
 * analytic M/M/c response-time distribution ({@link MMc#responseTimeQuantile}: Erlang C's wait plus the service),
 * exact for exponential service and drawn with the same mean for the others, to show how far they are from it.
 *
 * <p>Writes {@code latency.csv} (scenario, load, source, quantile, latency in ms), one PNG of CDFs per scenario and
 * load, and {@code summary.csv} into a folder. Reproduced by {@code ./dsw lb-compare --latency} (options
 * {@code --requests N --loads 0.5,0.8 --out DIR}); or {@code java -cp benchmarks/target/benchmarks.jar
 * io.github.dsw.bench.balance.RealLatencyExperiment OUT_DIR [requests] [loads]}. Needs nginx and haproxy.
 */
public final class RealLatencyExperiment {
    static final int SERVERS = 4;
    static final double MEAN_MS = 50.0;
    /** The loads of the recorded run (utilisation ρ of each backend). */
    public static final double[] LOADS = {0.5, 0.8};
    static final long SEED = 20261202L;
    static final double[] QUANTILES = {0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.99, 0.999};

    private RealLatencyExperiment() {}

    public static void main(String[] args) throws Exception {
        Path out = Path.of(args.length > 0 ? args[0] : "datasets/results/lb-latency");
        int requests = args.length > 1 ? Integer.parseInt(args[1]) : 1500;
        double[] loads = args.length > 2 ? parseLoads(args[2]) : LOADS;
        Path nginx = Nginx.binary().orElseThrow(() -> new IllegalStateException("nginx not found: apt-get install nginx-light"));
        Path haproxy = Haproxy.binary().orElseThrow(() -> new IllegalStateException("haproxy not found: apt-get install haproxy"));
        run(nginx, haproxy, out, requests, loads, System.out);
    }

    /** "0.5,0.8" as loads, each in (0, 1). */
    public static double[] parseLoads(String text) {
        double[] loads = java.util.Arrays.stream(text.split(",")).mapToDouble(Double::parseDouble).toArray();
        for (double l : loads) {
            if (!(l > 0 && l < 1)) {
                throw new IllegalArgumentException("a load must be in (0, 1), got " + l);
            }
        }
        return loads;
    }

    /** The response-time quantiles (ms) of M/M/c with the experiment's servers, load and mean service time. */
    public static double[] modelQuantiles(double load) {
        MMc model = new MMc(SERVERS, load * SERVERS / MEAN_MS, 1 / MEAN_MS);
        double[] q = new double[QUANTILES.length];
        for (int i = 0; i < q.length; i++) {
            q[i] = model.responseTimeQuantile(QUANTILES[i]);
        }
        return q;
    }

    /**
     * Runs every scenario at every load through nginx (round-robin, least_conn, random two) and HAProxy
     * (roundrobin, leastconn), {@code requests} each, and writes the CSVs and charts into {@code out}.
     */
    public static void run(Path nginx, Path haproxy, Path out, int requests, double[] loads, PrintStream log)
            throws IOException, InterruptedException {
        Files.createDirectories(out);
        Map<String, ServiceTime> scenarios = new LinkedHashMap<>();
        scenarios.put("exponential", new ServiceTime.Exponential(MEAN_MS));
        scenarios.put("lognormal", new ServiceTime.LogNormal(MEAN_MS, 1.0));
        scenarios.put("bimodal", new ServiceTime.Bimodal(0.5 * MEAN_MS, 5.5 * MEAN_MS, 0.1));
        // One discarded run first: the first one in a JVM pays for the JIT and the HTTP client's start-up, and with
        // latency counted from the scheduled send (as it must be) that cost lands in its histogram.
        runReal(nginx, "nginx", "", scenarios.get("exponential"), loads[0], Math.max(100, requests / 4));
        List<String> csv = new ArrayList<>(List.of("scenario,load,source,quantile,latency_ms"));
        List<String> summary = new ArrayList<>(List.of("scenario,load,source,kind,mean_ms,p50_ms,p99_ms,requests"));
        for (double load : loads) {
            for (var sc : scenarios.entrySet()) {
                Map<String, double[]> cdfs = new LinkedHashMap<>();
                Map<String, String[]> real = new LinkedHashMap<>();
                real.put("nginx round-robin", new String[] {"nginx", ""});
                real.put("nginx least_conn", new String[] {"nginx", "least_conn;"});
                real.put("nginx random two", new String[] {"nginx", "random two least_conn;"});
                real.put("haproxy roundrobin", new String[] {"haproxy", "balance roundrobin"});
                real.put("haproxy leastconn", new String[] {"haproxy", "balance leastconn"});
                for (var r : real.entrySet()) {
                    Histogram h = runReal(r.getValue()[0].equals("nginx") ? nginx : haproxy, r.getValue()[0],
                            r.getValue()[1], sc.getValue(), load, requests);
                    double[] q = new double[QUANTILES.length];
                    for (int i = 0; i < q.length; i++) {
                        q[i] = h.getValueAtPercentile(100 * QUANTILES[i]) / 1000.0;
                    }
                    cdfs.put(r.getKey(), q);
                    summary.add(String.format(Locale.ROOT, "%s,%.2f,%s,real,%.3f,%.3f,%.3f,%d", sc.getKey(), load,
                            r.getKey(), h.getMean() / 1000, h.getValueAtPercentile(50) / 1000.0,
                            h.getValueAtPercentile(99) / 1000.0, h.getTotalCount()));
                    log.printf(Locale.ROOT, "latency %-12s load %.2f %-20s mean %7.2f ms  p50 %7.2f  p99 %8.2f  (%d requests)%n",
                            sc.getKey(), load, r.getKey(), h.getMean() / 1000, h.getValueAtPercentile(50) / 1000.0,
                            h.getValueAtPercentile(99) / 1000.0, h.getTotalCount());
                }
                Scenario s = Scenario.of(sc.getKey(), SERVERS, load, sc.getValue(), 200_000, SEED);
                Map<String, SimulationResult> sims = new LinkedHashMap<>();
                sims.put("sim round-robin", QueueSimulation.run(s, new RoundRobin()));
                sims.put("sim least-connections", QueueSimulation.run(s, new LeastConnections()));
                sims.put("sim two choices", QueueSimulation.run(s, new PowerOfTwoChoices(new SplittableRandom(SEED))));
                sims.put("sim central queue", QueueSimulation.centralQueue("central", SERVERS, s.arrivalRate(),
                        sc.getValue(), 200_000, 20_000, SEED));
                for (var e : sims.entrySet()) {
                    double[] q = new double[QUANTILES.length];
                    for (int i = 0; i < q.length; i++) {
                        q[i] = e.getValue().percentile(QUANTILES[i]);
                    }
                    cdfs.put(e.getKey(), q);
                    summary.add(String.format(Locale.ROOT, "%s,%.2f,%s,simulated,%.3f,%.3f,%.3f,%d", sc.getKey(), load,
                            e.getKey(), e.getValue().meanLatency(), e.getValue().percentile(0.5),
                            e.getValue().percentile(0.99), e.getValue().latencies().length));
                }
                MMc mmc = new MMc(SERVERS, s.arrivalRate(), 1 / MEAN_MS);
                String model = "M/M/" + SERVERS + " model";
                cdfs.put(model, modelQuantiles(load));
                summary.add(String.format(Locale.ROOT, "%s,%.2f,%s,model,%.3f,%.3f,%.3f,", sc.getKey(), load, model,
                        mmc.meanResponseTime(), mmc.responseTimeQuantile(0.5), mmc.responseTimeQuantile(0.99)));
                XYChart chart = Charts.lines("Response time CDF, " + sc.getKey() + " service (mean " + MEAN_MS + " ms), "
                        + SERVERS + " servers, " + Math.round(100 * load) + " % load", "response time (ms, log scale)",
                        "fraction of requests");
                chart.getStyler().setXAxisLogarithmic(true);
                for (var e : cdfs.entrySet()) {
                    for (int i = 0; i < QUANTILES.length; i++) {
                        csv.add(String.format(Locale.ROOT, "%s,%.2f,%s,%.3f,%.4f", sc.getKey(), load, e.getKey(),
                                QUANTILES[i], e.getValue()[i]));
                    }
                    var series = chart.addSeries(e.getKey(), e.getValue(), QUANTILES);
                    if (e.getKey().startsWith("sim")) {
                        series.setLineStyle(org.knowm.xchart.style.lines.SeriesLines.DASH_DASH);
                    } else if (e.getKey().startsWith("M/M")) {
                        series.setLineStyle(org.knowm.xchart.style.lines.SeriesLines.DOT_DOT);
                        series.setLineWidth(3f);
                    }
                }
                chart.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideSE);
                Charts.savePng(chart, out.resolve(String.format(Locale.ROOT, "cdf-%s-%02d.png", sc.getKey(),
                        Math.round(100 * load))));
            }
        }
        Files.write(out.resolve("latency.csv"), csv);
        Files.write(out.resolve("summary.csv"), summary);
        log.println("wrote " + out);
    }

    /** One open-loop run: Poisson arrivals at λ = ρ·n/mean through one balancer; latency from the scheduled send. */
    static Histogram runReal(Path binary, String product, String algorithm, ServiceTime service, double load,
            int requests)
            throws IOException, InterruptedException {
        List<LongSupplier> times = new ArrayList<>();
        for (int i = 0; i < SERVERS; i++) {
            SplittableRandom rng = new SplittableRandom(SEED + i);
            times.add(() -> (long) (service.sample(rng) * 1e6));
        }
        Histogram h = new Histogram(TimeUnit.SECONDS.toMicros(60), 3);
        try (Backends backends = Backends.start(SERVERS, times)) {
            List<String> servers = new ArrayList<>();
            for (int i = 0; i < SERVERS; i++) {
                servers.add(product.equals("nginx") ? backends.address(i) : Backends.name(i) + " " + backends.address(i));
            }
            try (Proxy proxy = product.equals("nginx") ? Nginx.start(binary, algorithm, servers)
                    : Haproxy.start(binary, algorithm, servers)) {
                double lambdaPerMs = load * SERVERS / service.mean();
                SplittableRandom arrivals = new SplittableRandom(SEED);
                URI uri = URI.create("http://127.0.0.1:" + proxy.port() + "/");
                List<CompletableFuture<Void>> pending = new ArrayList<>();
                java.util.concurrent.atomic.AtomicInteger errors = new java.util.concurrent.atomic.AtomicInteger();
                long start = System.nanoTime();
                double scheduledMs = 0;
                for (int r = 0; r < requests; r++) {
                    scheduledMs += -Math.log(1 - arrivals.nextDouble()) / lambdaPerMs;
                    long scheduled = start + (long) (scheduledMs * 1e6);
                    long wait = scheduled - System.nanoTime();
                    if (wait > 0) {
                        TimeUnit.NANOSECONDS.sleep(wait);
                    }
                    HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60)).build();
                    boolean measured = r >= requests / 10; // the first tenth warms the JIT, connections and queues up
                    pending.add(proxy.client().sendAsync(request, HttpResponse.BodyHandlers.discarding()).handle((x, error) -> {
                        if (error != null) {
                            errors.incrementAndGet();
                        } else if (measured) {
                            long micros = (System.nanoTime() - scheduled) / 1000;
                            synchronized (h) {
                                h.recordValue(Math.min(micros, h.getHighestTrackableValue()));
                            }
                        }
                        return null;
                    }));
                }
                CompletableFuture.allOf(pending.toArray(new CompletableFuture[0])).get(2, TimeUnit.MINUTES);
                if (errors.get() > 0) {
                    System.err.println("  " + product + " " + algorithm + ": " + errors.get() + " requests failed (not recorded)");
                }
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                throw new IOException(product + " " + algorithm + ": " + e, e);
            }
        }
        return h;
    }
}
