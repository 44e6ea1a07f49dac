package io.github.dsw.sim;

import io.github.dsw.check.History;
import io.github.dsw.check.HistoryEvent.Fn;
import io.github.dsw.check.HistoryEvent.Type;
import io.github.dsw.check.HistoryEvent;
import io.github.dsw.runtime.Context;
import io.github.dsw.runtime.Node;
import io.github.dsw.runtime.Rng;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Client workloads that drive a protocol and record what they observe as a {@link History}.
 *
 * <p>Closed loop ({@code ratePerSec == 0}): each client runs one process that issues an operation,
 * waits for its completion, thinks for an exponentially distributed {@code thinkNs}, and repeats.
 * Open loop ({@code ratePerSec > 0}): operations arrive as a Poisson process at each client regardless of
 * completions; an arrival takes a free logical process, or a new one, so a process never has two
 * operations outstanding (the history rule). Operation kinds follow the read/write/cas fractions; keys
 * are drawn uniformly or by a Zipf law over {@code keys} keys; values uniformly from
 * {@code [0, valueRange)} (small ranges, as in Jepsen, make stale reads visible).
 *
 * <p>A request without a reply after {@code timeoutNs} completes as {@code info} (for writes and cas:
 * it may still take effect) or {@code fail} (for reads, which change nothing), and its process is
 * retired: the client continues under a new process id, as Jepsen does.
 *
 * <p>Retries ({@link #withRetries}, off by default): the client sends the SAME request id again, to
 * the server a {@link ClientProtocol.Status#RETRY RETRY} reply names or else to the next server, after a
 * per-attempt timeout or such a reply, until it gets a definite answer (OK or FAIL) or {@code timeoutNs}
 * (now the operation's overall deadline) passes. Every request also carries the lowest request id the
 * client still waits for, so that a server with a session table can deduplicate the copies and bound
 * the table (Ongaro's dissertation, section 6.3). This lives here, not in each protocol's package,
 * because it is the client half of a contract any replicated service with sessions offers; with it, a
 * redirect is never a definite failure.
 *
 * @param <M> the protocol's message type
 */
public final class Workload<M> {

    /**
     * The shape of a workload.
     *
     * @param readFraction  share of reads
     * @param writeFraction share of writes; cas gets the rest
     * @param keys          number of keys (named k0, k1, ...)
     * @param zipf          Zipf exponent of key popularity; 0 for uniform
     * @param valueRange    values are drawn from [0, valueRange)
     * @param timeoutNs     client timeout
     * @param thinkNs       mean think time between operations (closed loop)
     * @param ratePerSec    arrivals per second of virtual time per client; 0 for closed loop
     */
    public record Spec(double readFraction, double writeFraction, int keys, double zipf, int valueRange, long timeoutNs,
                       long thinkNs, double ratePerSec) {
        public Spec {
            if (!(readFraction >= 0 && writeFraction >= 0 && readFraction + writeFraction <= 1 + 1e-9)) {
                throw new IllegalArgumentException("need readFraction, writeFraction >= 0 with sum <= 1, got " + readFraction + ", " + writeFraction);
            }
            if (keys < 1 || valueRange < 1 || timeoutNs <= 0 || thinkNs < 0 || !(zipf >= 0) || !(ratePerSec >= 0)) {
                throw new IllegalArgumentException("need keys >= 1, valueRange >= 1, timeoutNs > 0, thinkNs >= 0, zipf >= 0, ratePerSec >= 0; got "
                        + keys + ", " + valueRange + ", " + timeoutNs + ", " + thinkNs + ", " + zipf + ", " + ratePerSec);
            }
        }

        /** Closed loop on one key: 50% reads, 25% writes, 25% cas, values 0..4, 50 ms timeout, 10 ms mean think time. */
        public static Spec register() {
            return new Spec(0.5, 0.25, 1, 0, 5, 50_000_000, 10_000_000, 0);
        }

        public Spec withMix(double reads, double writes) {
            return new Spec(reads, writes, keys, zipf, valueRange, timeoutNs, thinkNs, ratePerSec);
        }

        public Spec withKeys(int k, double zipfExponent) {
            return new Spec(readFraction, writeFraction, k, zipfExponent, valueRange, timeoutNs, thinkNs, ratePerSec);
        }

        public Spec withOpenLoop(double perSec) {
            return new Spec(readFraction, writeFraction, keys, zipf, valueRange, timeoutNs, thinkNs, perSec);
        }

        public Spec withTimeoutNs(long ns) {
            return new Spec(readFraction, writeFraction, keys, zipf, valueRange, ns, thinkNs, ratePerSec);
        }
    }

    private final Spec spec;
    private final ClientProtocol<M> protocol;
    private final int totalOps;
    private final double[] keyCdf;
    private final List<HistoryEvent> events = new ArrayList<>();
    private final List<Long> latenciesNs = new ArrayList<>();
    private int issued;
    private int outstanding;
    private int nextProcess;
    private long nextRequestId;
    private final long attemptNs; // 0: no retries
    private final long backoffNs;
    private java.util.function.LongSupplier readsAfterNs; // null: the spec's mix always
    private long readWindowNs;

    public Workload(Spec spec, ClientProtocol<M> protocol, int totalOps) {
        this(spec, protocol, totalOps, 0, 0);
    }

    private Workload(Spec spec, ClientProtocol<M> protocol, int totalOps, long attemptNs, long backoffNs) {
        if (spec == null || protocol == null || totalOps < 0) {
            throw new IllegalArgumentException("spec and protocol must be given and totalOps >= 0, got " + totalOps);
        }
        this.spec = spec;
        this.protocol = protocol;
        this.totalOps = totalOps;
        this.keyCdf = keyCdf(spec.keys(), spec.zipf());
        this.attemptNs = attemptNs;
        this.backoffNs = backoffNs;
    }

    /**
     * A fresh workload of the same shape whose clients retry (see the class comment): an attempt that
     * gets no reply within {@code attemptTimeoutNs} is sent again to the next server; a RETRY reply that
     * names another server sends it there at once, one that does not (no leader known) waits
     * {@code backoffNs} and tries the next server. The spec's {@code timeoutNs} is the overall deadline,
     * after which the operation completes as info (fail for reads).
     */
    public Workload<M> withRetries(long attemptTimeoutNs, long backoffNs) {
        if (attemptTimeoutNs <= 0 || attemptTimeoutNs > spec.timeoutNs() || backoffNs <= 0 || backoffNs > attemptTimeoutNs) {
            throw new IllegalArgumentException("need 0 < backoffNs <= attemptTimeoutNs <= the spec's timeoutNs (" + spec.timeoutNs()
                    + "), got attemptTimeoutNs=" + attemptTimeoutNs + ", backoffNs=" + backoffNs);
        }
        return new Workload<>(spec, protocol, totalOps, attemptTimeoutNs, backoffNs);
    }

    /**
     * Reads right after leadership changes: an operation issued less than {@code windowNs} after the time
     * {@code lastChangeNs} gives (negative: none yet) is a read, whatever the spec's mix drew; otherwise the mix
     * holds. The supplier is asked at every issue (a driver passes what its {@link Observations} saw: a trigger, not a
     * density). Returns this workload; call it on the workload that is attached.
     */
    public Workload<M> readsAfter(java.util.function.LongSupplier lastChangeNs, long windowNs) {
        if (lastChangeNs == null || windowNs <= 0) {
            throw new IllegalArgumentException("need a supplier and windowNs > 0, got " + windowNs);
        }
        this.readsAfterNs = lastChangeNs;
        this.readWindowNs = windowNs;
        return this;
    }

    /** Whether clients retry (see {@link #withRetries}). */
    public boolean retries() {
        return attemptNs > 0;
    }

    /** Zipf (or uniform when s = 0) CDF over ranks 1..k: P(rank i) proportional to 1 / i^s. */
    static double[] keyCdf(int k, double s) {
        double[] cdf = new double[k];
        double sum = 0;
        for (int i = 0; i < k; i++) {
            sum += 1 / Math.pow(i + 1, s);
            cdf[i] = sum;
        }
        for (int i = 0; i < k; i++) {
            cdf[i] /= sum;
        }
        return cdf;
    }

    /** Adds {@code clients} client processes to {@code sim}. */
    public void attach(Simulator<M> sim, int clients) {
        if (clients < 1) {
            throw new IllegalArgumentException("clients must be >= 1, got " + clients);
        }
        nextProcess = clients;
        for (int i = 0; i < clients; i++) {
            sim.addClient(new Client(i));
        }
    }

    /** True once every operation has been issued and completed. */
    public boolean done() {
        return issued == totalOps && outstanding == 0;
    }

    /** The history recorded so far. */
    public History history() {
        return History.of(events);
    }

    /** Latencies of the operations that completed ok, in virtual nanoseconds, in completion order. */
    public long[] latenciesNs() {
        return latenciesNs.stream().mapToLong(Long::longValue).toArray();
    }

    /** The value at quantile q in [0, 1] of the ok latencies (nearest rank), or 0 if there are none. */
    public long latencyQuantileNs(double q) {
        long[] l = latenciesNs();
        if (l.length == 0) {
            return 0;
        }
        Arrays.sort(l);
        int rank = (int) Math.ceil(q * l.length);
        return l[Math.max(0, Math.min(l.length - 1, rank - 1))];
    }

    /** An outstanding operation; {@code server} and {@code attemptTimerId} only matter with retries. */
    private record Pending(long requestId, int process, Fn f, String key, Object value, long startNs, long timerId,
                           int server, long attemptTimerId) {
        Pending attempt(int to, long timer) {
            return new Pending(requestId, process, f, key, value, startNs, timerId, to, timer);
        }
    }

    private record Attempt(long requestId) {
    }

    private record Backoff(long requestId, int to) {
    }

    private record Arrival() {
    }

    private record Timeout(long requestId) {
    }

    private record Think() {
    }

    /** One client endpoint: a closed-loop process, or an open-loop source of arrivals. */
    private final class Client implements Node<M> {
        private final Deque<Integer> freeProcesses = new ArrayDeque<>();
        private final Map<Long, Pending> pending = new HashMap<>();
        private int target = -1;

        Client(int process) {
            freeProcesses.add(process);
        }

        @Override
        public void start(Context<M> ctx) {
            if (spec.ratePerSec() > 0) {
                ctx.setTimer(interArrival(ctx), new Arrival());
            } else {
                issue(ctx);
            }
        }

        private long interArrival(Context<M> ctx) {
            return Math.max(1, (long) ctx.random().nextExponential(1e9 / spec.ratePerSec()));
        }

        private void issue(Context<M> ctx) {
            if (issued >= totalOps) {
                return;
            }
            issued++;
            outstanding++;
            int process = freeProcesses.isEmpty() ? nextProcess++ : freeProcesses.poll();
            Rng r = ctx.random();
            double u = r.nextDouble();
            Fn f = u < spec.readFraction() ? Fn.READ : u < spec.readFraction() + spec.writeFraction() ? Fn.WRITE : Fn.CAS;
            if (readsAfterNs != null && f != Fn.READ) {
                long change = readsAfterNs.getAsLong();
                if (change >= 0 && ctx.now() - change < readWindowNs) {
                    f = Fn.READ;
                }
            }
            String key = "k" + keyIndex(r.nextDouble());
            Object value = switch (f) {
                case READ -> null;
                case WRITE -> (long) r.nextInt(spec.valueRange());
                case CAS -> new HistoryEvent.Cas(r.nextInt(spec.valueRange()), r.nextInt(spec.valueRange()));
            };
            long id = ++nextRequestId;
            long now = ctx.now();
            events.add(HistoryEvent.invoke(process, f, key, value, now));
            long timer = ctx.setTimer(spec.timeoutNs(), new Timeout(id));
            int to = target >= 0 ? target : r.nextInt(ctx.servers());
            long attempt = attemptNs > 0 ? ctx.setTimer(attemptNs, new Attempt(id)) : -1;
            pending.put(id, new Pending(id, process, f, key, value, now, timer, to, attempt));
            ctx.send(to, protocol.request(id, firstUnanswered(), f, key, value));
        }

        /** The lowest request id this client still waits for (the session table may forget lower ones). */
        private long firstUnanswered() {
            long min = Long.MAX_VALUE;
            for (long id : pending.keySet()) {
                min = Math.min(min, id);
            }
            return min;
        }

        /** Retries: sends the same request again to {@code to} and starts a new attempt timer. */
        private void resend(Context<M> ctx, Pending p, int to) {
            long attempt = ctx.setTimer(attemptNs, new Attempt(p.requestId()));
            pending.put(p.requestId(), p.attempt(to, attempt));
            ctx.send(to, protocol.request(p.requestId(), firstUnanswered(), p.f(), p.key(), p.value()));
        }

        /** Retries: a RETRY answer from the server of the current attempt moves the request on. */
        private void retry(Context<M> ctx, int from, ClientProtocol.Reply reply) {
            Pending p = pending.get(reply.requestId());
            if (p == null || p.server() != from) {
                return; // settled, or a late answer to an earlier attempt: the current one still runs
            }
            ctx.cancelTimer(p.attemptTimerId());
            if (reply.redirect() >= 0 && reply.redirect() != from) {
                target = reply.redirect();
                resend(ctx, p, target);
            } else {
                // nobody known to lead (an election is under way): wait a little, then ask the next server
                target = -1;
                int next = (from + 1) % ctx.servers();
                pending.put(p.requestId(), p.attempt(-1, ctx.setTimer(backoffNs, new Backoff(p.requestId(), next))));
            }
        }

        private int keyIndex(double u) {
            int i = Arrays.binarySearch(keyCdf, u);
            return Math.min(keyCdf.length - 1, i >= 0 ? i : -i - 1);
        }

        @Override
        public void receive(Context<M> ctx, int from, M message) {
            ClientProtocol.Reply reply = protocol.reply(message);
            if (reply == null) {
                return;
            }
            if (attemptNs > 0 && reply.status() == ClientProtocol.Status.RETRY) {
                retry(ctx, from, reply);
                return;
            }
            if (reply.redirect() >= 0) {
                target = reply.redirect();
            }
            Pending p = pending.remove(reply.requestId());
            if (p == null) {
                return; // a duplicate, or a reply after the timeout already settled it
            }
            ctx.cancelTimer(p.timerId());
            if (attemptNs > 0) {
                ctx.cancelTimer(p.attemptTimerId());
            }
            long now = ctx.now();
            if (reply.status() == ClientProtocol.Status.OK) {
                events.add(HistoryEvent.complete(p.process(), Type.OK, p.f(), p.key(), p.f() == Fn.READ ? reply.value() : p.value(), now));
                latenciesNs.add(now - p.startNs());
            } else {
                events.add(HistoryEvent.complete(p.process(), Type.FAIL, p.f(), p.key(), p.f() == Fn.READ ? null : p.value(), now));
                if (reply.redirect() < 0) {
                    target = -1;
                }
            }
            completed(ctx, p.process());
        }

        @Override
        public void timer(Context<M> ctx, Object tag) {
            switch (tag) {
                case Arrival a -> {
                    issue(ctx);
                    if (issued < totalOps) {
                        ctx.setTimer(interArrival(ctx), a);
                    }
                }
                case Think t -> issue(ctx);
                case Attempt t -> {
                    Pending p = pending.get(t.requestId());
                    if (p != null) {
                        target = -1; // no answer: that server may be down or cut off
                        resend(ctx, p, (p.server() + 1) % ctx.servers());
                    }
                }
                case Backoff b -> {
                    Pending p = pending.get(b.requestId());
                    if (p != null) {
                        resend(ctx, p, b.to());
                    }
                }
                case Timeout t -> {
                    Pending p = pending.remove(t.requestId());
                    if (p == null) {
                        return;
                    }
                    if (attemptNs > 0) {
                        ctx.cancelTimer(p.attemptTimerId());
                    }
                    Type type = p.f() == Fn.READ ? Type.FAIL : Type.INFO;
                    events.add(HistoryEvent.complete(p.process(), type, p.f(), p.key(), p.f() == Fn.READ ? null : p.value(), ctx.now()));
                    target = -1;
                    // after info the process is retired; a timed-out read could keep it, but one rule is simpler
                    completed(ctx, nextProcess++);
                }
                default -> throw new IllegalStateException("unknown timer " + tag);
            }
        }

        private void completed(Context<M> ctx, int process) {
            outstanding--;
            freeProcesses.add(process);
            if (spec.ratePerSec() == 0) {
                if (spec.thinkNs() == 0) {
                    issue(ctx);
                } else {
                    ctx.setTimer(Math.max(1, (long) ctx.random().nextExponential(spec.thinkNs())), new Think());
                }
            }
        }
    }
}
