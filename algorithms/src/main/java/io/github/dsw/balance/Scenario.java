package io.github.dsw.balance;

import java.util.Arrays;

/**
 * One queueing experiment for {@link QueueSimulation}: n FIFO servers, Poisson arrivals, a service-time
 * distribution, and the faults of chapter 3. Times are in simulation units (1 unit = 1 ms).
 *
 * @param name label for reports
 * @param servers number of servers n
 * @param utilization offered load as a fraction of the servers' total capacity at the start,
 *     λ = utilization · Σ speed_i / mean service time
 * @param service service time of a request on a speed-1 server
 * @param speeds per-server speed (a speed-2 server serves twice as fast); length n
 * @param slowServer index of the server that slows down, or −1 for none
 * @param slowFactor how many times slower it becomes
 * @param slowFrom time from which it is slow
 * @param refreshInterval how often the balancer's view of outstanding requests is refreshed; 0 = always fresh
 * @param keys number of distinct request keys (for key-affine balancers), drawn uniformly
 * @param requests requests simulated in total
 * @param warmup requests at the start left out of the statistics
 * @param seed seed of the one random generator of the run
 */
public record Scenario(String name, int servers, double utilization, ServiceTime service, double[] speeds,
                       int slowServer, double slowFactor, double slowFrom, double refreshInterval,
                       int keys, int requests, int warmup, long seed) {

    public Scenario {
        if (servers < 1) {
            throw new IllegalArgumentException("servers must be >= 1, got " + servers);
        }
        if (!(utilization > 0 && utilization < 1)) {
            throw new IllegalArgumentException("utilization must be in (0, 1), got " + utilization);
        }
        if (service == null) {
            throw new IllegalArgumentException("service must not be null");
        }
        if (speeds == null || speeds.length != servers) {
            throw new IllegalArgumentException("speeds must have one entry per server (" + servers + "), got "
                    + (speeds == null ? "null" : speeds.length));
        }
        for (double s : speeds) {
            if (!(s > 0) || Double.isInfinite(s)) {
                throw new IllegalArgumentException("speeds must be finite and > 0, got " + Arrays.toString(speeds));
            }
        }
        if (slowServer < -1 || slowServer >= servers) {
            throw new IllegalArgumentException("slowServer must be -1 or in [0, " + servers + "), got " + slowServer);
        }
        if (!(slowFactor >= 1)) {
            throw new IllegalArgumentException("slowFactor must be >= 1, got " + slowFactor);
        }
        if (!(refreshInterval >= 0)) {
            throw new IllegalArgumentException("refreshInterval must be >= 0, got " + refreshInterval);
        }
        if (keys < 1) {
            throw new IllegalArgumentException("keys must be >= 1, got " + keys);
        }
        if (requests < 1 || warmup < 0 || warmup >= requests) {
            throw new IllegalArgumentException("need requests >= 1 and 0 <= warmup < requests, got requests="
                    + requests + ", warmup=" + warmup);
        }
        speeds = speeds.clone();
    }

    /** A healthy cluster: equal speeds, no slowdown, fresh information, 10^4 keys, 10% warm-up. */
    public static Scenario of(String name, int servers, double utilization, ServiceTime service, int requests, long seed) {
        double[] speeds = new double[Math.max(servers, 0)];
        Arrays.fill(speeds, 1.0);
        return new Scenario(name, servers, utilization, service, speeds, -1, 1.0, 0.0, 0.0, 10_000, requests,
                requests / 10, seed);
    }

    /** The same scenario with per-server speeds. */
    public Scenario withSpeeds(double... newSpeeds) {
        return new Scenario(name, servers, utilization, service, newSpeeds, slowServer, slowFactor, slowFrom,
                refreshInterval, keys, requests, warmup, seed);
    }

    /** The same scenario where {@code server} becomes {@code factor} times slower at time {@code from}. */
    public Scenario withSlowdown(int server, double factor, double from) {
        return new Scenario(name, servers, utilization, service, speeds, server, factor, from, refreshInterval,
                keys, requests, warmup, seed);
    }

    /** The same scenario where the balancer sees load refreshed only every {@code interval}. */
    public Scenario withRefreshInterval(double interval) {
        return new Scenario(name, servers, utilization, service, speeds, slowServer, slowFactor, slowFrom, interval,
                keys, requests, warmup, seed);
    }

    /** The same scenario with another name and seed. */
    public Scenario named(String newName, long newSeed) {
        return new Scenario(newName, servers, utilization, service, speeds, slowServer, slowFactor, slowFrom,
                refreshInterval, keys, requests, warmup, newSeed);
    }

    /** Total arrival rate λ implied by the utilization. */
    public double arrivalRate() {
        return utilization * Arrays.stream(speeds).sum() / service.mean();
    }

    /** Speed of {@code server} at time {@code t}, with the slowdown applied. */
    double speedAt(int server, double t) {
        return (server == slowServer && t >= slowFrom) ? speeds[server] / slowFactor : speeds[server];
    }

    @Override
    public double[] speeds() {
        return speeds.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Scenario s && s.toString().equals(toString());
    }

    @Override
    public int hashCode() {
        return toString().hashCode();
    }

    @Override
    public String toString() {
        return "Scenario[" + name + ", servers=" + servers + ", utilization=" + utilization + ", service=" + service
                + ", speeds=" + Arrays.toString(speeds) + ", slowServer=" + slowServer + ", slowFactor=" + slowFactor
                + ", slowFrom=" + slowFrom + ", refreshInterval=" + refreshInterval + ", keys=" + keys
                + ", requests=" + requests + ", warmup=" + warmup + ", seed=" + seed + "]";
    }
}
