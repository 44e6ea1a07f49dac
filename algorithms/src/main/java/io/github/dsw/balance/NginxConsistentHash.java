package io.github.dsw.balance;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.zip.CRC32;

/**
 * nginx's {@code hash $key consistent} (ngx_http_upstream_hash_module.c, {@code ngx_http_upstream_init_chash}
 * and {@code ngx_http_upstream_get_chash_peer}, by Roman Arutyunyan; nginx 1.7.2+), reproduced so that the same
 * servers and key give the same server as nginx itself. The ring is ketama-style and compatible with Perl's
 * Cache::Memcached::Fast:
 * <ol>
 *   <li>Each {@code server} line, as written ({@code "127.0.0.1:8081"}), is split into host and port at the
 *       last colon followed only by digits ({@code "unix:PATH"} has no port). Its base is CRC-32 over
 *       {@code host}, one zero byte, {@code port}.</li>
 *   <li>It gets {@code 160 × weight} points. Point j is CRC-32 of the base followed by the four bytes of point
 *       j−1's hash in little-endian order (zero for the first point): a hash chain.</li>
 *   <li>All points are sorted by hash (unsigned) and equal hashes are dropped but the first. nginx sorts with
 *       libc {@code qsort}, which glibc implements as a merge sort, so the first is the earlier server in
 *       configuration order; that is what a stable sort here does.</li>
 *   <li>A request's key hashes to CRC-32 of its bytes; the first point with hash ≥ it (wrapping to point 0)
 *       names the server. If that server is {@code down}, the next point is tried, and so on.</li>
 * </ol>
 * CRC-32 is the IEEE polynomial of zlib ({@link CRC32}), which is nginx's {@code ngx_crc32} table.
 * Removing a server from the configuration rebuilds the ring without its points ({@link #without}); marking
 * it {@code down} keeps the ring and skips its points ({@link #withDown}). Both move only the keys that
 * server owned, each to the server of the next point clockwise, so the two give the same mapping.
 * Immutable; lookups O(log points).
 */
public final class NginxConsistentHash {
    /** Points per unit of weight ({@code npoints = peer->weight * 160}). */
    public static final int POINTS_PER_WEIGHT = 160;

    private final List<String> servers;
    private final int[] weights;
    private final boolean[] down;
    private final long[] pointHash; // unsigned 32-bit values, ascending
    private final int[] pointServer;

    /**
     * @param servers the {@code server} addresses in configuration order, as written in nginx.conf
     * @param weights each server's {@code weight=} (nginx's default is 1)
     * @throws IllegalArgumentException if the lists are empty, differ in length, hold a blank or repeated
     *     server, or a weight below 1
     */
    public NginxConsistentHash(List<String> servers, int[] weights) {
        this(check(servers, weights), weights.clone(), new boolean[servers.size()]);
    }

    /** Servers of weight 1. */
    public static NginxConsistentHash of(String... servers) {
        int[] weights = new int[servers.length];
        Arrays.fill(weights, 1);
        return new NginxConsistentHash(List.of(servers), weights);
    }

    private NginxConsistentHash(List<String> servers, int[] weights, boolean[] down) {
        this.servers = servers;
        this.weights = weights;
        this.down = down;
        List<long[]> points = new ArrayList<>(); // {hash, server}, in configuration order
        for (int s = 0; s < servers.size(); s++) {
            byte[] base = pointKey(servers.get(s));
            byte[] input = Arrays.copyOf(base, base.length + 4);
            long previous = 0;
            for (int j = 0; j < POINTS_PER_WEIGHT * weights[s]; j++) {
                for (int b = 0; b < 4; b++) { // prev_hash.byte[], little-endian as on x86
                    input[base.length + b] = (byte) (previous >>> (8 * b));
                }
                previous = crc32(input);
                points.add(new long[] {previous, s});
            }
        }
        points.sort(Comparator.comparingLong(p -> p[0])); // List.sort is a stable merge sort, like glibc qsort
        List<long[]> distinct = new ArrayList<>();
        for (long[] p : points) {
            if (distinct.isEmpty() || distinct.get(distinct.size() - 1)[0] != p[0]) {
                distinct.add(p);
            }
        }
        pointHash = distinct.stream().mapToLong(p -> p[0]).toArray();
        pointServer = distinct.stream().mapToInt(p -> (int) p[1]).toArray();
    }

    private static List<String> check(List<String> servers, int[] weights) {
        if (servers == null || servers.isEmpty() || weights == null || weights.length != servers.size()) {
            throw new IllegalArgumentException("need one weight per server, got servers=" + servers + ", weights="
                    + Arrays.toString(weights));
        }
        for (int i = 0; i < weights.length; i++) {
            if (servers.get(i) == null || servers.get(i).isBlank() || servers.indexOf(servers.get(i)) != i) {
                throw new IllegalArgumentException("servers must be non-blank and distinct, got " + servers);
            }
            if (weights[i] < 1) {
                throw new IllegalArgumentException("weights[" + i + "] must be >= 1, got " + weights[i]);
            }
        }
        return List.copyOf(servers);
    }

    /**
     * The bytes hashed for a server: host, a zero byte, port (step 1 of the class comment). The port is the
     * run of digits after the last colon; without such a run the whole address is the host.
     */
    static byte[] pointKey(String server) {
        String host = server;
        String port = "";
        if (server.regionMatches(true, 0, "unix:", 0, 5)) {
            host = server.substring(5);
        } else {
            for (int j = server.length() - 1; j >= 0; j--) {
                char c = server.charAt(j);
                if (c == ':') {
                    host = server.substring(0, j);
                    port = server.substring(j + 1);
                    break;
                }
                if (c < '0' || c > '9') {
                    break;
                }
            }
        }
        return (host + '\0' + port).getBytes(StandardCharsets.ISO_8859_1);
    }

    static long crc32(byte[] bytes) {
        CRC32 crc = new CRC32();
        crc.update(bytes);
        return crc.getValue();
    }

    /**
     * The index (in configuration order) of the server nginx sends {@code key} to, or −1 when every server
     * is down (nginx answers 502).
     */
    public int serverFor(String key) {
        long hash = crc32(key.getBytes(StandardCharsets.UTF_8));
        // ngx_http_upstream_find_chash_point: the first point with hash >= the key's; may be one past the end.
        int low = 0;
        int high = pointHash.length;
        while (low < high) {
            int mid = (low + high) >>> 1;
            if (pointHash[mid] < hash) {
                low = mid + 1;
            } else {
                high = mid;
            }
        }
        for (int tries = 0; tries < pointHash.length; tries++) {
            int server = pointServer[(low + tries) % pointHash.length];
            if (!down[server]) {
                return server;
            }
        }
        return -1;
    }

    /** The address of the server nginx sends {@code key} to, or null when every server is down. */
    public String addressFor(String key) {
        int s = serverFor(key);
        return s < 0 ? null : servers.get(s);
    }

    /** The servers, in configuration order. */
    public List<String> servers() {
        return servers;
    }

    /** Number of distinct points on the ring (160 × Σ weights, less any hash collisions). */
    public int points() {
        return pointHash.length;
    }

    /**
     * The ring nginx builds when {@code server} is deleted from the upstream block: its points are gone,
     * and the other servers keep their indexes' order (indexes after it shift down by one).
     *
     * @throws IllegalArgumentException if {@code server} is absent or the only server
     */
    public NginxConsistentHash without(String server) {
        int i = indexOf(server);
        if (servers.size() == 1) {
            throw new IllegalArgumentException("cannot remove the only server " + server);
        }
        List<String> rest = new ArrayList<>(servers);
        rest.remove(i);
        int[] w = new int[weights.length - 1];
        boolean[] d = new boolean[w.length];
        for (int k = 0, j = 0; k < weights.length; k++) {
            if (k != i) {
                w[j] = weights[k];
                d[j++] = down[k];
            }
        }
        return new NginxConsistentHash(List.copyOf(rest), w, d);
    }

    /** The same ring with {@code server} marked {@code down} (its points stay and are skipped). */
    public NginxConsistentHash withDown(String server) {
        boolean[] d = down.clone();
        d[indexOf(server)] = true;
        return new NginxConsistentHash(servers, weights, d);
    }

    private int indexOf(String server) {
        int i = servers.indexOf(server);
        if (i < 0) {
            throw new IllegalArgumentException("no server " + server + " in " + servers);
        }
        return i;
    }
}
