package io.github.dsw.proxy;

import io.github.dsw.balance.HaproxyConsistentHash;
import io.github.dsw.balance.HaproxyRoundRobin;
import io.github.dsw.balance.LeastConnections;
import io.github.dsw.balance.LoadView;
import io.github.dsw.balance.NginxConsistentHash;
import io.github.dsw.balance.PowerOfTwoChoices;
import io.github.dsw.balance.SmoothWeightedRoundRobin;
import io.github.dsw.balance.StaticRoundRobin;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.function.LongSupplier;

/**
 * Chapter 3's balancers against the real nginx and HAProxy, on 127.0.0.1: each check starts the balancer in
 * front of {@link Backends}, sends requests one at a time, and compares the backend that answered each one with
 * the project's class given the same configuration. A check is <em>exact</em> when the project reproduces the
 * product's algorithm and must agree on every request or key; the others compare shares of traffic and keys
 * moved, where a port of the product's code would be needed to agree request by request (see each method).
 *
 * <p>The weight vectors, server sets and keys come from one seeded generator ({@link #SEED}); the backends'
 * ports are new on every run, so every run also tests a new nginx ring.
 */
public final class AgreementChecks {
    /** Seed of the weight vectors and server sets. */
    public static final long SEED = 20261202L;

    /** The outcome of one check: {@code agree} of {@code total} requests or keys matched. */
    public record Check(String name, long agree, long total, boolean exact, String detail) {
        /** An exact check passes only when everything agreed; a ratio check only reports. */
        public boolean passed() {
            return !exact || agree == total;
        }

        /** The fixed line of {@code ./dsw lb-compare}: {@code check=NAME agree=A/B}. */
        public String line() {
            return "check=" + name + " agree=" + agree + "/" + total;
        }
    }

    private final boolean quick;
    private final int maxServers = 6;

    /** @param quick fewer weight vectors, server sets and keys (a few seconds instead of a minute) */
    public AgreementChecks(boolean quick) {
        this.quick = quick;
    }

    /** Weight vectors: nginx's commit example {5, 1, 1}, equal weights, then random ones (2-6 servers, 1-10). */
    List<int[]> weightVectors() {
        List<int[]> out = new ArrayList<>(List.of(new int[] {5, 1, 1}, new int[] {1, 1, 1, 1}, new int[] {3, 1}));
        SplittableRandom random = new SplittableRandom(SEED);
        int extra = quick ? 3 : 40;
        for (int v = 0; v < extra; v++) {
            int[] w = new int[2 + random.nextInt(maxServers - 1)];
            for (int i = 0; i < w.length; i++) {
                w[i] = 1 + random.nextInt(10);
            }
            out.add(w);
        }
        return out;
    }

    static final LoadView IDLE = new LoadView() { // sequential requests: nothing is outstanding at a pick
        @Override
        public int size() {
            return Integer.MAX_VALUE;
        }

        @Override
        public int outstanding(int server) {
            return 0;
        }
    };

    private static LoadView idle(int n) {
        return new LoadView() {
            @Override
            public int size() {
                return n;
            }

            @Override
            public int outstanding(int server) {
                return 0;
            }
        };
    }

    /**
     * nginx's weighted round-robin (the default of an upstream block) against {@link SmoothWeightedRoundRobin}:
     * for every weight vector, two full cycles (2 Σw requests) in order. Exact.
     */
    public Check nginxWeightedRoundRobin(Path nginx, Backends backends) throws IOException {
        long agree = 0;
        long total = 0;
        List<String> firstMismatch = new ArrayList<>();
        for (int[] w : weightVectors()) {
            List<String> servers = new ArrayList<>();
            for (int i = 0; i < w.length; i++) {
                servers.add(backends.address(i) + " weight=" + w[i]);
            }
            SmoothWeightedRoundRobin model = new SmoothWeightedRoundRobin(w);
            try (Proxy proxy = Nginx.start(nginx, "", servers)) {
                int requests = 2 * Arrays.stream(w).sum();
                for (int r = 0; r < requests; r++) {
                    int real = proxy.get("/");
                    int expected = model.pick(0, 0, idle(w.length));
                    total++;
                    if (real == expected) {
                        agree++;
                    } else if (firstMismatch.isEmpty()) {
                        firstMismatch.add("weights " + Arrays.toString(w) + " request " + r + ": nginx s" + real
                                + ", SWRR s" + expected);
                    }
                }
            }
        }
        return new Check("nginx-swrr", agree, total, true, weightVectors().size() + " weight vectors"
                + (firstMismatch.isEmpty() ? "" : "; first mismatch: " + firstMismatch.get(0)));
    }

    /**
     * HAProxy's {@code balance static-rr} against {@link StaticRoundRobin} (a port of lb_map.c): two cycles
     * per weight vector, in order. Exact.
     */
    public Check haproxyStaticRoundRobin(Path haproxy, Backends backends) throws IOException {
        long agree = 0;
        long total = 0;
        String mismatch = "";
        for (int[] w : weightVectors()) {
            StaticRoundRobin model = new StaticRoundRobin(w);
            try (Proxy proxy = Haproxy.start(haproxy, "balance static-rr", haproxyServers(backends, w))) {
                int requests = 2 * Arrays.stream(w).sum();
                for (int r = 0; r < requests; r++) {
                    int real = proxy.get("/");
                    int expected = model.pick(0, 0, idle(w.length));
                    total++;
                    if (real == expected) {
                        agree++;
                    } else if (mismatch.isEmpty()) {
                        mismatch = "; first mismatch: weights " + Arrays.toString(w) + " request " + r + ": haproxy s"
                                + real + ", port s" + expected;
                    }
                }
            }
        }
        return new Check("haproxy-static-rr", agree, total, true, weightVectors().size() + " weight vectors" + mismatch);
    }

    /**
     * HAProxy's {@code balance roundrobin} (lb_fwrr.c, the default) against {@link HaproxyRoundRobin}, a port of
     * it: four cycles (4 Σw requests) per weight vector, in order. Exact. The detail line also counts how many
     * positions coincide with nginx's SWRR sequence (the two algorithms spread picks alike but differ in order).
     */
    public Check haproxyRoundRobin(Path haproxy, Backends backends) throws IOException {
        long agree = 0;
        long total = 0;
        long sameAsSwrr = 0;
        String mismatch = "";
        for (int[] w : weightVectors()) {
            SmoothWeightedRoundRobin swrr = new SmoothWeightedRoundRobin(w);
            HaproxyRoundRobin model = new HaproxyRoundRobin(w);
            int sum = Arrays.stream(w).sum();
            try (Proxy proxy = Haproxy.start(haproxy, "balance roundrobin", haproxyServers(backends, w))) {
                for (int r = 0; r < 4 * sum; r++) {
                    int real = proxy.get("/");
                    int expected = model.next();
                    total++;
                    if (real == expected) {
                        agree++;
                    } else if (mismatch.isEmpty()) {
                        mismatch = "; first mismatch: weights " + Arrays.toString(w) + " request " + r + ": haproxy s"
                                + real + ", port s" + expected;
                    }
                    if (real == swrr.pick(0, 0, idle(w.length))) {
                        sameAsSwrr++;
                    }
                }
            }
        }
        return new Check("haproxy-rr", agree, total, true, weightVectors().size() + " weight vectors; positions equal"
                + " to nginx's SWRR sequence: " + sameAsSwrr + "/" + total + mismatch);
    }

    /**
     * HAProxy's {@code balance leastconn} with one request at a time: every server has 0 connections at each
     * pick, so the choice is the tie-break. Compared with {@link LeastConnections}, which rotates among equals.
     */
    public Check haproxyLeastConn(Path haproxy, Backends backends) throws IOException {
        long agree = 0;
        long total = 0;
        String mismatch = "";
        for (int n = 2; n <= maxServers; n++) {
            int[] w = new int[n];
            Arrays.fill(w, 1);
            LeastConnections model = new LeastConnections();
            try (Proxy proxy = Haproxy.start(haproxy, "balance leastconn", haproxyServers(backends, w))) {
                for (int r = 0; r < 3 * n; r++) {
                    int real = proxy.get("/");
                    int expected = model.pick(0, 0, idle(n));
                    total++;
                    if (real == expected) {
                        agree++;
                    } else if (mismatch.isEmpty()) {
                        mismatch = "first mismatch: n=" + n + " request " + r + ": haproxy s" + real + ", model s"
                                + expected;
                    }
                }
            }
        }
        return new Check("haproxy-leastconn-ties", agree, total, false, mismatch);
    }

    /**
     * nginx's {@code hash $arg_key consistent} against {@link NginxConsistentHash}: for several server sets
     * (3-6 servers, weights 1-3), every key's server; then the same with one server removed from the
     * configuration, and with it marked {@code down}. Three exact checks.
     */
    public List<Check> nginxConsistentHash(Path nginx, Backends backends) throws IOException {
        SplittableRandom random = new SplittableRandom(SEED + 1);
        int sets = quick ? 2 : 6;
        int keys = quick ? 200 : 2000;
        long[] agree = new long[3];
        long[] total = new long[3];
        long moved = 0;
        long owned = 0;
        for (int set = 0; set < sets; set++) {
            int n = 3 + random.nextInt(maxServers - 2);
            int[] w = new int[n];
            List<String> addresses = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                w[i] = 1 + random.nextInt(3);
                addresses.add(backends.address(i));
            }
            int leaving = random.nextInt(n);
            NginxConsistentHash ring = new NginxConsistentHash(addresses, w);
            NginxConsistentHash smaller = ring.without(addresses.get(leaving));
            NginxConsistentHash withDown = ring.withDown(addresses.get(leaving));
            int[] before = new int[keys];
            for (int variant = 0; variant < 3; variant++) {
                List<String> lines = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    if (variant == 1 && i == leaving) {
                        continue;
                    }
                    lines.add(addresses.get(i) + " weight=" + w[i] + (variant == 2 && i == leaving ? " down" : ""));
                }
                try (Proxy proxy = Nginx.start(nginx, "hash $arg_key consistent;", lines)) {
                    for (int k = 0; k < keys; k++) {
                        String key = "key-" + set + "-" + k;
                        int real = proxy.get("/?key=" + key);
                        int expected = switch (variant) {
                            case 0 -> ring.serverFor(key);
                            // backends keep their index: the ring without the server is indexed without it
                            case 1 -> backendIndex(addresses, smaller.addressFor(key));
                            default -> withDown.serverFor(key);
                        };
                        total[variant]++;
                        if (real == expected) {
                            agree[variant]++;
                        }
                        if (variant == 0) {
                            before[k] = real;
                        } else if (variant == 1) {
                            owned += before[k] == leaving ? 1 : 0;
                            moved += before[k] != real ? 1 : 0;
                        }
                    }
                }
            }
        }
        String detail = sets + " server sets, " + keys + " keys each";
        return List.of(new Check("nginx-chash", agree[0], total[0], true, detail),
                new Check("nginx-chash-removed", agree[1], total[1], true, detail + "; keys moved " + moved
                        + ", keys the removed server owned " + owned),
                new Check("nginx-chash-down", agree[2], total[2], true, detail));
    }

    /**
     * HAProxy's {@code balance url_param key} with {@code hash-type consistent} (lb_chash.c) against
     * {@link HaproxyConsistentHash}, a port of it: for several server sets (3-6 servers, weights 1-3, HAProxy's
     * default ids 1..n), every key's server; then one server leaves the configuration twice: with the others'
     * {@code id}s fixed (only its keys may move: the property that makes the hash consistent) and without
     * ({@code id}s renumbered in declaration order, so the servers after it get new points and their keys move
     * too). Three exact checks, plus the shares of keys against the weights (reported).
     */
    public List<Check> haproxyConsistentHash(Path haproxy, Backends backends) throws IOException {
        SplittableRandom random = new SplittableRandom(SEED + 2);
        int sets = quick ? 2 : 6;
        int keys = quick ? 300 : 2000;
        String balance = "balance url_param key\n  hash-type consistent";
        long[] agree = new long[3];
        long[] total = new long[3];
        long moved = 0;
        long owned = 0;
        long movedRenumbered = 0;
        long shareAgree = 0;
        long shareTotal = 0;
        for (int set = 0; set < sets; set++) {
            int n = 3 + random.nextInt(maxServers - 2);
            int[] w = new int[n];
            int[] ids = new int[n];
            for (int i = 0; i < n; i++) {
                w[i] = 1 + random.nextInt(3);
                ids[i] = i + 1;
            }
            int leaving = random.nextInt(n);
            List<String> all = new ArrayList<>();
            List<String> restFixed = new ArrayList<>();
            List<String> restRenumbered = new ArrayList<>();
            int[] restIndex = new int[n - 1];
            int[] restWeights = new int[n - 1];
            int[] restIds = new int[n - 1];
            for (int i = 0, t = 0; i < n; i++) {
                String line = Backends.name(i) + " " + backends.address(i) + " weight " + w[i];
                all.add(line);
                if (i != leaving) {
                    restFixed.add(line + " id " + ids[i]);
                    restRenumbered.add(line);
                    restIndex[t] = i;
                    restWeights[t] = w[i];
                    restIds[t] = t + 1;
                    t++;
                }
            }
            HaproxyConsistentHash ring = new HaproxyConsistentHash(ids, w);
            HaproxyConsistentHash fixedRing = ring.without(leaving);
            HaproxyConsistentHash renumberedRing = new HaproxyConsistentHash(restIds, restWeights);
            String prefix = "key-" + set + "-";
            int[] before = askAll(haproxy, balance, all, prefix, keys);
            int[] fixed = askAll(haproxy, balance, restFixed, prefix, keys);
            int[] renumbered = askAll(haproxy, balance, restRenumbered, prefix, keys);
            long[] counts = new long[n];
            for (int k = 0; k < keys; k++) {
                String key = prefix + k;
                int[] expected = {ring.serverFor(key), restIndex[fixedRing.serverFor(key)],
                    restIndex[renumberedRing.serverFor(key)]};
                int[] real = {before[k], fixed[k], renumbered[k]};
                for (int v = 0; v < 3; v++) {
                    total[v]++;
                    agree[v] += real[v] == expected[v] ? 1 : 0;
                }
                counts[before[k]]++;
                owned += before[k] == leaving ? 1 : 0;
                moved += fixed[k] != before[k] ? 1 : 0;
                movedRenumbered += renumbered[k] != before[k] ? 1 : 0;
            }
            int sum = Arrays.stream(w).sum();
            for (int i = 0; i < n; i++) {
                shareAgree += Math.min(counts[i], (long) keys * w[i] / sum);
            }
            shareTotal += keys;
        }
        String detail = sets + " server sets, " + keys + " keys each";
        return List.of(new Check("haproxy-chash", agree[0], total[0], true, detail),
                new Check("haproxy-chash-removed", agree[1], total[1], true, detail + "; ids fixed: keys moved " + moved
                        + ", keys the removed server owned " + owned),
                new Check("haproxy-chash-renumbered", agree[2], total[2], true, detail + "; ids renumbered: keys moved "
                        + movedRenumbered + " (the removed server owned " + owned + ")"),
                new Check("haproxy-chash-shares", shareAgree, shareTotal, false, "keys within each server's weighted"
                        + " share"));
    }

    private static int[] askAll(Path haproxy, String balance, List<String> servers, String prefix, int keys)
            throws IOException {
        int[] out = new int[keys];
        try (Proxy proxy = Haproxy.start(haproxy, balance, servers)) {
            for (int k = 0; k < keys; k++) {
                out[k] = proxy.get("/?key=" + prefix + k);
            }
        }
        return out;
    }

    /**
     * nginx's {@code random two least_conn} (ngx_http_upstream_random_module: two peers drawn at random by
     * weight, the one with fewer active connections wins) against {@link PowerOfTwoChoices} on the shares of
     * traffic, with one backend ten times slower than the others and 8 requests in flight (closed loop).
     * The project's balancer runs in this JVM as a client-side balancer on the same backends, counting its own
     * outstanding requests as nginx counts its connections. {@code agree} = Σ min(nginx's count, P2C's count)
     * per server: 100 % would be identical shares. Random draws differ, so this is a distribution check.
     */
    public Check nginxRandomTwoVersusPowerOfTwoChoices(Path nginx) throws IOException {
        int n = 4;
        int requests = quick ? 400 : 2000;
        int inFlight = 8;
        List<LongSupplier> service = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            long nanos = i == 0 ? 50_000_000L : 5_000_000L;
            service.add(() -> nanos);
        }
        long[] viaNginx;
        long[] viaP2c;
        try (Backends slow = Backends.start(n, service)) {
            List<String> lines = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                lines.add(slow.address(i));
            }
            try (Proxy proxy = Nginx.start(nginx, "random two least_conn;", lines)) {
                closedLoop(requests, inFlight, () -> proxy.get("/"));
            }
            viaNginx = slow.served();
            PowerOfTwoChoices p2c = new PowerOfTwoChoices(new SplittableRandom(SEED));
            AtomicIntegerArray outstanding = new AtomicIntegerArray(n);
            LoadView view = new LoadView() {
                @Override
                public int size() {
                    return n;
                }

                @Override
                public int outstanding(int server) {
                    return outstanding.get(server);
                }
            };
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            try {
                closedLoop(requests, inFlight, () -> {
                    int s;
                    synchronized (p2c) {
                        s = p2c.pick(0, 0, view);
                        outstanding.incrementAndGet(s);
                    }
                    try {
                        HttpResponse<String> r = client.send(HttpRequest.newBuilder(
                                URI.create("http://" + slow.address(s) + "/")).build(), HttpResponse.BodyHandlers.ofString());
                        return Backends.indexOf(r.body());
                    } finally {
                        outstanding.decrementAndGet(s);
                    }
                });
            } finally {
                client.shutdownNow();
            }
            long[] total = slow.served();
            viaP2c = new long[n];
            for (int i = 0; i < n; i++) {
                viaP2c[i] = total[i] - viaNginx[i];
            }
        }
        long agree = 0;
        for (int i = 0; i < n; i++) {
            agree += Math.min(viaNginx[i], viaP2c[i]);
        }
        return new Check("nginx-random-two-vs-p2c", agree, requests, false, "requests per server (s0 10x slower), nginx "
                + Arrays.toString(viaNginx) + ", PowerOfTwoChoices " + Arrays.toString(viaP2c) + ", uniform would be "
                + requests / n + " each");
    }

    /** A request that returns the index of the backend that answered. */
    interface Request {
        int send() throws IOException, InterruptedException;
    }

    /** Sends {@code requests} requests with {@code inFlight} threads, each sending its next when one answers. */
    static void closedLoop(int requests, int inFlight, Request request) throws IOException {
        AtomicInteger left = new AtomicInteger(requests);
        ExecutorService pool = Executors.newFixedThreadPool(inFlight);
        try {
            List<Future<?>> workers = new ArrayList<>();
            for (int t = 0; t < inFlight; t++) {
                workers.add(pool.submit(() -> {
                    while (left.getAndDecrement() > 0) {
                        request.send();
                    }
                    return null;
                }));
            }
            for (Future<?> f : workers) {
                f.get(5, TimeUnit.MINUTES);
            }
        } catch (ExecutionException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
        } catch (InterruptedException | TimeoutException e) {
            throw new IOException("closed loop did not finish: " + e, e);
        } finally {
            pool.shutdownNow();
        }
    }

    private static List<String> haproxyServers(Backends backends, int[] w) {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < w.length; i++) {
            lines.add(Backends.name(i) + " " + backends.address(i) + " weight " + w[i]);
        }
        return lines;
    }

    private static int backendIndex(List<String> addresses, String address) {
        return address == null ? -1 : addresses.indexOf(address);
    }

    /** Runs every check against whichever of nginx and HAProxy is given (null = skip that product). */
    public List<Check> run(Path nginx, Path haproxy) throws IOException {
        List<Check> checks = new ArrayList<>();
        try (Backends backends = Backends.start(maxServers)) {
            if (nginx != null) {
                checks.add(nginxWeightedRoundRobin(nginx, backends));
                checks.addAll(nginxConsistentHash(nginx, backends));
                checks.add(nginxRandomTwoVersusPowerOfTwoChoices(nginx));
            }
            if (haproxy != null) {
                checks.add(haproxyStaticRoundRobin(haproxy, backends));
                checks.add(haproxyRoundRobin(haproxy, backends));
                checks.add(haproxyLeastConn(haproxy, backends));
                checks.addAll(haproxyConsistentHash(haproxy, backends));
            }
        }
        return checks;
    }

    /** Prints every check; for trying things by hand ({@code --quick} as first argument). */
    public static void main(String[] args) throws IOException {
        AgreementChecks c = new AgreementChecks(args.length > 0 && args[0].equals("--quick"));
        for (Check check : c.run(Nginx.binary().orElse(null), Haproxy.binary().orElse(null))) {
            System.out.println(check.line() + "   # " + check.detail());
        }
    }
}
