package io.github.dsw.reallocks;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * etcd's lock service (v3lock, etcd 3.4) through its JSON gRPC gateway on loopback: {@code POST
 * /v3/lease/grant {"TTL": s}} gives a lease, {@code POST /v3/lock/lock {"name", "lease"}} blocks until the lock
 * is held and returns the key that represents the hold ({@code name/<lease id>}, attached to the lease), and
 * {@code POST /v3/lock/unlock {"key"}} deletes it; {@code POST /v3/lease/revoke {"ID"}} ends the lease (etcd
 * API reference, "gRPC gateway" and {@code v3lock.proto}; bytes are base64 in JSON, 64-bit integers are
 * strings).
 *
 * <p>Each acquire takes a new lease of {@code ttlSeconds} (etcd raises TTLs below its minimum, 2 s with the
 * default election timeout) and nobody keeps it alive: the hold lasts at most the TTL after the grant, which is
 * the lease a holder that pauses outlives. The fencing token is the lock key's create revision (the
 * mutex's own revision, which orders the waiters: strictly increasing per lock), read back with a range
 * request after the grant. Jepsen ("etcd 3.4.3", Kingsbury, 2020) showed that without such a token etcd's lock
 * cannot guarantee mutual exclusion: a lease can expire while its holder still runs.
 *
 * <p>The few JSON fields needed are read with regular expressions: the gateway's answers are flat and fixed.
 */
public final class EtcdLock implements DistLock {
    private static final Pattern ID = Pattern.compile("\"ID\"\\s*:\\s*\"?(-?\\d+)\"?");
    private static final Pattern KEY = Pattern.compile("\"key\"\\s*:\\s*\"([A-Za-z0-9+/=]+)\"");
    private static final Pattern REVISION = Pattern.compile("\"revision\"\\s*:\\s*\"?(\\d+)\"?");
    private static final Pattern CREATE_REVISION = Pattern.compile("\"create_revision\"\\s*:\\s*\"?(\\d+)\"?");

    private final String base;
    private final int ttlSeconds;
    private final HttpClient http;
    private long sessionLease;

    /** A client of the etcd at {@code address} ({@code 127.0.0.1:port}); leases of {@code ttlSeconds}. */
    public EtcdLock(String address, int ttlSeconds) {
        this.base = "http://" + address;
        this.ttlSeconds = ttlSeconds;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
    }

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    String post(String path, String json, long timeoutMillis) throws IOException {
        HttpRequest req = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofMillis(timeoutMillis))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build();
        try {
            HttpResponse<String> r = http.send(req, HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new IOException("etcd " + path + ": HTTP " + r.statusCode() + " " + r.body().strip());
            }
            return r.body();
        } catch (java.net.http.HttpTimeoutException e) {
            throw new IOException("etcd " + path + ": no answer within " + timeoutMillis + " ms", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    private static String field(Pattern p, String body, String what) throws IOException {
        Matcher m = p.matcher(body);
        if (!m.find()) {
            throw new IOException("etcd answer without " + what + ": " + body.strip());
        }
        return m.group(1);
    }

    /** The store's current revision (a cheap request: used to wait until the server answers). */
    public long revision() throws IOException {
        String body = post("/v3/kv/range", "{\"key\":\"" + b64("dsw-probe") + "\"}", 2_000);
        return Long.parseLong(field(REVISION, body, "header.revision"));
    }

    /** Grants a lease of {@code ttlSeconds}; returns its ID. */
    public long grant() throws IOException {
        return Long.parseLong(field(ID, post("/v3/lease/grant", "{\"TTL\":" + ttlSeconds + "}", 10_000), "ID"));
    }

    @Override
    public Grant acquire(String lock, long timeoutMillis) throws IOException {
        long lease = sessionLease != 0 ? sessionLease : grant();
        String body;
        try {
            body = post("/v3/lock/lock", "{\"name\":\"" + b64(lock) + "\",\"lease\":\"" + lease + "\"}", timeoutMillis);
        } catch (IOException timedOut) {
            if (lease != sessionLease) {
                revoke(lease);
            }
            if (timedOut.getMessage().contains("no answer within")) {
                return null;
            }
            throw timedOut;
        }
        String key = field(KEY, body, "key");
        String range = post("/v3/kv/range", "{\"key\":\"" + key + "\"}", 10_000);
        Matcher m = CREATE_REVISION.matcher(range);
        if (!m.find()) {
            // the lease expired between the grant and the range: the hold is already gone
            throw new IOException("etcd lock key gone right after the grant (lease expired?)");
        }
        return new Grant(lock, Long.parseLong(m.group(1)), key + " " + lease);
    }

    @Override
    public boolean release(Grant grant) throws IOException {
        String[] h = grant.handle().split(" ");
        post("/v3/lock/unlock", "{\"key\":\"" + h[0] + "\"}", 10_000);
        long lease = Long.parseLong(h[1]);
        return lease == sessionLease || revoke(lease);
    }

    /** Revokes a lease; false if it had already expired (the hold was lost before the release). */
    private boolean revoke(long lease) {
        try {
            post("/v3/lease/revoke", "{\"ID\":\"" + lease + "\"}", 10_000);
            return true;
        } catch (IOException expired) {
            return false;
        }
    }

    /**
     * From now on every acquire reuses one lease of {@code ttlSeconds}, granted here (as etcd's
     * {@code concurrency.Session} does), instead of a lease per acquire: for the benchmark, where holds are
     * short and a lease grant per acquire would measure the lease API as much as the lock.
     */
    public void useSessionLease() throws IOException {
        sessionLease = grant();
    }

    @Override
    public void close() {
        if (sessionLease != 0) {
            revoke(sessionLease);
        }
    }
}
