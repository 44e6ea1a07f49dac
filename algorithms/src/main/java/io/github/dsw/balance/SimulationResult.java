package io.github.dsw.balance;

import java.util.Arrays;

/**
 * What one {@link QueueSimulation} run measured, over the requests after the warm-up.
 *
 * @param name the scenario's name (and balancer, if the caller adds it)
 * @param latencies response times (waiting + service) of the measured requests, sorted ascending
 * @param arrivalRate measured arrivals per time unit over the measurement window
 * @param meanInSystem time-average number of requests in the system (all servers) over the window
 * @param maxOutstanding largest number of requests outstanding at any one server
 * @param requestsPerServer measured requests sent to each server
 */
public record SimulationResult(String name, double[] latencies, double arrivalRate, double meanInSystem,
                               int maxOutstanding, long[] requestsPerServer) {

    public SimulationResult {
        latencies = latencies.clone();
        Arrays.sort(latencies);
        requestsPerServer = requestsPerServer.clone();
    }

    /** Mean response time. */
    public double meanLatency() {
        double sum = 0;
        for (double l : latencies) {
            sum += l;
        }
        return sum / latencies.length;
    }

    /**
     * The p-quantile of response time by nearest rank (p = 0.99 for p99).
     *
     * @throws IllegalArgumentException if p is not in (0, 1]
     */
    public double percentile(double p) {
        if (!(p > 0 && p <= 1)) {
            throw new IllegalArgumentException("p must be in (0, 1], got " + p);
        }
        int rank = (int) Math.ceil(p * latencies.length);
        return latencies[Math.max(rank, 1) - 1];
    }

    /** Fraction of measured requests with response time above {@code t}. */
    public double fractionAbove(double t) {
        // Latencies are sorted: binary search for the first one above t.
        int low = 0;
        int high = latencies.length;
        while (low < high) {
            int mid = (low + high) >>> 1;
            if (latencies[mid] <= t) {
                low = mid + 1;
            } else {
                high = mid;
            }
        }
        return (double) (latencies.length - low) / latencies.length;
    }

    /** Fraction of measured requests that went to {@code server}. */
    public double shareOf(int server) {
        return (double) requestsPerServer[server] / Arrays.stream(requestsPerServer).sum();
    }

    @Override
    public double[] latencies() {
        return latencies.clone();
    }

    @Override
    public long[] requestsPerServer() {
        return requestsPerServer.clone();
    }
}
