package io.github.dsw.balance;

import io.github.dsw.hashing.KeyHash;
import java.util.PriorityQueue;
import java.util.SplittableRandom;

/**
 * A small discrete-event simulation of a balancer in front of n FIFO servers (JDK only, one seeded
 * random generator, virtual time: the same scenario and seed give the same result).
 *
 * <p>Requests arrive as a Poisson process of rate λ ({@link Scenario#arrivalRate()}). On each arrival
 * the balancer picks a server from its {@link LoadView}; the request joins that server's FIFO queue.
 * Because a FIFO single server's finishing times are fixed once a request is queued, the departure time
 * is computed on arrival ({@code start = max(now, freeAt)}, {@code finish = start + service/speed}), and
 * the event list only has to deliver departures in time order, interleaved with arrivals and, for stale
 * information, with the periodic refresh of the view. On each departure the server's outstanding count
 * drops and the balancer hears {@link Balancer#completed} with the latency, at the departure time.
 *
 * <p>Measured after the warm-up: each request's response time, the time-average number of requests in
 * the system (integrated between events, which Little's law relates to λ × mean response time), the
 * largest queue, and how many requests each server got. Time units are milliseconds; balancers receive
 * {@code nowNanos = t × 10^6}.
 */
public final class QueueSimulation {
    static final double NANOS_PER_UNIT = 1e6;

    private QueueSimulation() {}

    private record Departure(double time, int server, double latency) {}

    /** Runs {@code scenario} with {@code balancer}. Cost O(requests · (log n + pick cost)). */
    public static SimulationResult run(Scenario scenario, Balancer balancer) {
        if (balancer == null) {
            throw new IllegalArgumentException("balancer must not be null");
        }
        int n = scenario.servers();
        SplittableRandom random = new SplittableRandom(scenario.seed());
        double lambda = scenario.arrivalRate();
        double refresh = scenario.refreshInterval();

        int[] outstanding = new int[n];
        int[] seen = refresh > 0 ? new int[n] : outstanding; // the view: live counts, or a snapshot
        LoadView view = new LoadView() {
            @Override
            public int size() {
                return n;
            }

            @Override
            public int outstanding(int server) {
                return seen[server];
            }
        };
        double[] freeAt = new double[n];
        PriorityQueue<Departure> departures = new PriorityQueue<>((a, b) -> Double.compare(a.time, b.time));
        double[] latencies = new double[scenario.requests() - scenario.warmup()];
        long[] perServer = new long[n];

        double now = 0;
        double nextRefresh = refresh;
        int inSystem = 0;
        int maxOutstanding = 0;
        double windowStart = Double.NaN;
        double area = 0; // integral of inSystem over the measurement window
        double lastEvent = 0;

        for (int r = 0; r < scenario.requests(); r++) {
            double arrival = now + exponential(random, lambda);
            // Deliver every departure and refresh due before this arrival, in time order.
            while (true) {
                Departure d = departures.peek();
                double nextDeparture = d == null ? Double.POSITIVE_INFINITY : d.time;
                double nextTick = refresh > 0 ? nextRefresh : Double.POSITIVE_INFINITY;
                double next = Math.min(nextDeparture, nextTick);
                if (next > arrival) {
                    break;
                }
                if (!Double.isNaN(windowStart)) {
                    area += inSystem * (next - lastEvent);
                }
                lastEvent = next;
                if (nextDeparture <= nextTick) {
                    departures.poll();
                    outstanding[d.server]--;
                    inSystem--;
                    balancer.completed(d.server, (long) (d.latency * NANOS_PER_UNIT), (long) (d.time * NANOS_PER_UNIT));
                } else {
                    System.arraycopy(outstanding, 0, seen, 0, n);
                    nextRefresh += refresh;
                }
            }
            if (r == scenario.warmup()) {
                windowStart = arrival;
            } else if (!Double.isNaN(windowStart)) {
                area += inSystem * (arrival - lastEvent);
            }
            lastEvent = arrival;
            now = arrival;

            long key = KeyHash.of((long) random.nextInt(scenario.keys()));
            int s = balancer.pick(key, (long) (now * NANOS_PER_UNIT), view);
            if (s < 0 || s >= n) {
                throw new IllegalStateException("balancer picked server " + s + " of " + n);
            }
            double service = scenario.service().sample(random) / scenario.speedAt(s, now);
            double start = Math.max(now, freeAt[s]);
            double finish = start + service;
            freeAt[s] = finish;
            outstanding[s]++;
            inSystem++;
            maxOutstanding = Math.max(maxOutstanding, outstanding[s]);
            departures.add(new Departure(finish, s, finish - now));
            if (r >= scenario.warmup()) {
                latencies[r - scenario.warmup()] = finish - now;
                perServer[s]++;
            }
        }
        double window = now - windowStart;
        int measured = scenario.requests() - scenario.warmup();
        // Arrivals in the window: the measured requests after the first, over the time between them.
        double rate = window > 0 ? (measured - 1) / window : Double.NaN;
        double meanInSystem = window > 0 ? area / window : Double.NaN;
        return new SimulationResult(scenario.name(), latencies, rate, meanInSystem, maxOutstanding, perServer);
    }

    /**
     * A different system, for the M/M/c model: one central FIFO queue in front of {@code servers}
     * identical servers; each request, in arrival order, starts on the server that frees up first. This is
     * what a balancer that holds requests until a server is idle achieves (first-come first-served M/G/c).
     */
    public static SimulationResult centralQueue(String name, int servers, double arrivalRate, ServiceTime service,
                                                int requests, int warmup, long seed) {
        if (servers < 1) {
            throw new IllegalArgumentException("servers must be >= 1, got " + servers);
        }
        if (!(arrivalRate > 0) || !(arrivalRate * service.mean() < servers)) {
            throw new IllegalArgumentException("arrivalRate must be > 0 and below capacity " + servers / service.mean()
                    + ", got " + arrivalRate);
        }
        if (requests < 1 || warmup < 0 || warmup >= requests) {
            throw new IllegalArgumentException("need requests >= 1 and 0 <= warmup < requests, got requests="
                    + requests + ", warmup=" + warmup);
        }
        SplittableRandom random = new SplittableRandom(seed);
        PriorityQueue<double[]> free = new PriorityQueue<>((a, b) -> Double.compare(a[0], b[0]));
        for (int i = 0; i < servers; i++) {
            free.add(new double[] {0.0, i});
        }
        double[] latencies = new double[requests - warmup];
        long[] perServer = new long[servers];
        double now = 0;
        double windowStart = 0;
        double sojourn = 0;
        for (int r = 0; r < requests; r++) {
            now += exponential(random, arrivalRate);
            double[] server = free.poll();
            double start = Math.max(now, server[0]);
            double finish = start + service.sample(random);
            free.add(new double[] {finish, server[1]});
            if (r == warmup) {
                windowStart = now;
            }
            if (r >= warmup) {
                latencies[r - warmup] = finish - now;
                perServer[(int) server[1]]++;
                sojourn += finish - now;
            }
        }
        double window = now - windowStart;
        // Here the number in system is not integrated separately: by Little's law it is λ·W.
        double rate = (requests - warmup - 1) / window;
        return new SimulationResult(name, latencies, rate, rate * sojourn / (requests - warmup), 0, perServer);
    }

    private static double exponential(SplittableRandom random, double rate) {
        return -Math.log(1.0 - random.nextDouble()) / rate;
    }
}
