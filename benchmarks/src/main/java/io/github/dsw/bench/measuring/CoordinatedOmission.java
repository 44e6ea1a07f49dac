package io.github.dsw.bench.measuring;

import org.HdrHistogram.Histogram;

/**
 * Lesson 7: coordinated omission, shown in virtual time so that every number is exact and reproducible.
 *
 * <p>A load generator means to send one request every {@code intervalNs}. The server answers in
 * {@code serviceNs}, except that once, at {@code stallAtNs}, it freezes for {@code stallNs} (a GC pause,
 * a full disk). The naive generator is closed-loop: it waits for each answer before sending the next
 * request, and it records the time from when it <em>actually</em> sent a request to the answer. During
 * the stall it sends nothing, so it records one slow request and nothing else: it has coordinated with
 * the server to omit exactly the measurements that would have been bad. Users arriving on their own
 * schedule do not wait politely: every one who arrived during the stall waited for its remainder.
 *
 * <p>Three histograms of the same run (HdrHistogram, 3 significant digits, nanoseconds):
 * <ul>
 *   <li>{@code naive}: closed loop, latency from the actual send (the wrong way);</li>
 *   <li>{@code corrected}: the same closed-loop values recorded with
 *       {@link Histogram#recordValueWithExpectedInterval(long, long)}, which back-fills the requests
 *       that should have been sent while one was outstanding (the right way, after the fact);</li>
 *   <li>{@code openLoop}: a second run whose requests leave at their intended times whatever happens,
 *       latency measured from the intended time (the truth the first two try to describe).</li>
 * </ul>
 * The analytic model of the truth, with utilisation {@code rho = service / interval}: the request
 * arriving {@code x} after the stall began finds {@code x / interval} requests queued before it and is
 * answered at {@code stallEnd + (x / interval + 1) * service}, so its latency is
 * {@code stall + service - x * (1 - rho)}; that stays above the service time until the backlog has
 * drained, at {@code x = stall / (1 - rho)}, a little after the stall itself ends. Counting the requests
 * above a latency {@code L} gives the quantile {@code L(p) = stall + service - (1 - p) * (1 - rho) * duration}
 * for {@code p} above {@code 1 - stall / ((1 - rho) * duration)}.
 *
 * <p>The expected-interval correction back-fills {@code stall / interval} requests with latencies
 * {@code stall - interval}, {@code stall - 2 * interval}, ...: it restores the tail (p99 and above)
 * closely, but it cannot know about the queue that would have formed behind the stall, so lower in
 * the distribution it still reads low (about 20 % low at p95 in the chapter's scenario).
 *
 * <p>After Gil Tene's talk "How NOT to measure latency" and the HdrHistogram README's example (which
 * uses a 100 s stall in a 200 s run).
 *
 * @param intervalNs intended time between requests
 * @param serviceNs  time the server needs per request when not stalled
 * @param stallAtNs  when the stall starts
 * @param stallNs    how long the server is frozen
 * @param durationNs how long the generator sends (requests at 0, interval, 2 * interval, ... below it)
 */
public record CoordinatedOmission(long intervalNs, long serviceNs, long stallAtNs, long stallNs, long durationNs) {

    /** The chapter's scenario: 1 request/ms for 10 s, 0.1 ms service, a 1 s stall at t = 5 s. */
    public static CoordinatedOmission chapterScenario() {
        return new CoordinatedOmission(1_000_000, 100_000, 5_000_000_000L, 1_000_000_000L, 10_000_000_000L);
    }

    public CoordinatedOmission {
        positive("intervalNs", intervalNs);
        positive("serviceNs", serviceNs);
        positive("stallNs", stallNs);
        positive("durationNs", durationNs);
        if (stallAtNs < 0 || stallAtNs >= durationNs) {
            throw new IllegalArgumentException("stallAtNs must be in [0, durationNs = " + durationNs + "), got " + stallAtNs);
        }
        if (serviceNs >= intervalNs) {
            throw new IllegalArgumentException("serviceNs (" + serviceNs + ") must be below intervalNs (" + intervalNs
                    + "): otherwise the server is overloaded even without a stall");
        }
    }

    private static void positive(String name, long v) {
        if (v <= 0) {
            throw new IllegalArgumentException(name + " must be > 0, got " + v);
        }
    }

    /** The three histograms of one run. */
    public record Result(Histogram naive, Histogram corrected, Histogram openLoop) {
    }

    public Result run() {
        long highest = durationNs + stallNs + serviceNs;
        Histogram naive = new Histogram(highest, 3);
        Histogram corrected = new Histogram(highest, 3);
        Histogram openLoop = new Histogram(highest, 3);

        // Closed loop: request k is due at k * interval but leaves only once the previous answer is in.
        Server server = new Server();
        long previousAnswer = 0;
        for (long due = 0; due < durationNs; due += intervalNs) {
            long sent = Math.max(due, previousAnswer);
            long answer = server.serve(sent);
            naive.recordValue(answer - sent);
            corrected.recordValueWithExpectedInterval(answer - sent, intervalNs);
            previousAnswer = answer;
        }

        // Open loop: every request leaves when due; latency counts from that moment.
        server = new Server();
        for (long due = 0; due < durationNs; due += intervalNs) {
            openLoop.recordValue(server.serve(due) - due);
        }
        return new Result(naive, corrected, openLoop);
    }

    /** The analytic model of the open-loop latency at quantile {@code p} (0 to 1), from the class comment. */
    public double modelLatencyNs(double p) {
        double rho = (double) serviceNs / intervalNs;
        return Math.max(serviceNs, stallNs + serviceNs - (1 - p) * (1 - rho) * durationNs);
    }

    /** A single FIFO server that freezes during [stallAt, stallAt + stall). */
    private final class Server {
        private long free;

        /** Returns when a request that arrives at {@code arrival} is answered. */
        long serve(long arrival) {
            long stallEnd = stallAtNs + stallNs;
            long start = Math.max(arrival, free);
            if (start >= stallAtNs && start < stallEnd) {
                start = stallEnd;
            }
            long finish = start + serviceNs;
            if (start < stallAtNs && finish > stallAtNs) {
                finish += stallNs; // frozen in the middle of serving this request
            }
            free = finish;
            return finish;
        }
    }
}
