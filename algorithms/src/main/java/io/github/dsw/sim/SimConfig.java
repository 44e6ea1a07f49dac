package io.github.dsw.sim;

/**
 * The fixed settings of one simulation run. Everything random derives from {@code seed}.
 *
 * @param seed       seed of the single RNG
 * @param servers    number of server processes (ids 0 .. servers-1); clients get the ids after them
 * @param serverLink base model of every server-to-server link (nemeses change it during a run)
 * @param clientLink model of client-to-server and server-to-client links (never partitioned or faulted)
 * @param fsyncNs    virtual time an fsync takes; writes and the step's messages wait for it
 * @param traceLevel what the {@link Trace} records
 * @param flights    whether to record every message's flight (for space-time diagrams)
 */
public record SimConfig(long seed, int servers, LinkModel serverLink, LinkModel clientLink, long fsyncNs,
                        Trace.Level traceLevel, boolean flights) {

    public SimConfig {
        if (servers < 1 || servers > 1000) {
            throw new IllegalArgumentException("servers must be in 1..1000, got " + servers);
        }
        if (serverLink == null || clientLink == null) {
            throw new IllegalArgumentException("serverLink and clientLink must not be null");
        }
        if (fsyncNs < 0) {
            throw new IllegalArgumentException("fsyncNs must be >= 0, got " + fsyncNs);
        }
        if (traceLevel == null) {
            throw new IllegalArgumentException("traceLevel must not be null");
        }
    }

    /**
     * Defaults: links with log-normal delay of median 1 ms (sigma 0.3) between servers, 0.5 ms constant
     * to clients, fsync 100 us, trace hashed but lines not kept, no flights.
     */
    public static SimConfig defaults(long seed, int servers) {
        return new SimConfig(seed, servers, LinkModel.reliable(new Latency.LogNormal(1_000_000, 0.3)),
                LinkModel.reliable(new Latency.Constant(500_000)), 100_000, Trace.Level.HASH, false);
    }

    public SimConfig withServerLink(LinkModel link) {
        return new SimConfig(seed, servers, link, clientLink, fsyncNs, traceLevel, flights);
    }

    public SimConfig withClientLink(LinkModel link) {
        return new SimConfig(seed, servers, serverLink, link, fsyncNs, traceLevel, flights);
    }

    public SimConfig withFsyncNs(long ns) {
        return new SimConfig(seed, servers, serverLink, clientLink, ns, traceLevel, flights);
    }

    public SimConfig withTrace(Trace.Level level, boolean recordFlights) {
        return new SimConfig(seed, servers, serverLink, clientLink, fsyncNs, level, recordFlights);
    }
}
