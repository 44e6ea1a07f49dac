package io.github.dsw.balance;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * HAProxy's {@code hash-type consistent} (lb_chash.c, {@code chash_init_server_tree} and
 * {@code chash_get_server_hash}, by Willy Tarreau, 2010) with its default hash function (sdbm followed by the
 * avalanche {@code full_hash}),
 * reproduced so that the same servers and key give the same server as HAProxy itself (checked key by key
 * against HAProxy 2.6 by {@code ./dsw lb-compare}, checks {@code haproxy-chash} and {@code haproxy-chash-removed}).
 * Written from the description below, for servers that are all up, with fixed weights and no bounded load
 * ({@code hash-balance-factor}).
 * <ol>
 *   <li>A server of configured {@code weight} w and numeric id {@code puid} (its {@code id}, by default its
 *       position in the backend counting from 1) gets {@code 16 × w} points ({@code BE_WEIGHT_SCALE}); point i is
 *       at {@code full_hash(puid × 4096 + i)} ({@code SRV_EWGHT_RANGE} = 4096), where {@code full_hash} is one of
 *       Bob Jenkins' integer avalanche functions followed by a multiplication by 3221225473, all modulo 2³².
 *       The ring is ordered by point, equal points in insertion order (servers in configuration order).</li>
 *   <li>A request's key hashes with sdbm ({@code h = c + (h << 6) + (h << 16) − h} per byte, bytes read as
 *       signed {@code char} as on x86), then goes through {@code full_hash}: the "avalanche" modifier, which
 *       {@code hash-type consistent} applies by default when no function is named (kept for compatibility
 *       with HAProxy 1.4 when the modifier was introduced: commit b6c0ac94, Bhaskar Maddala, "Implement avalanche as
 *       a modifier of the hashing functions", 2013). Without it, sdbm of short similar keys would land in a narrow
 *       part of the ring; with it, only 97 of 300 keys went where HAProxy 2.6 sent them.</li>
 *   <li>Unlike nginx's ring (the first point clockwise, {@link NginxConsistentHash}), HAProxy takes the
 *       <em>nearest</em> point: the first point ≥ h (wrapping) and the one before it; the one before wins when
 *       its distance {@code h − prev} is ≤ {@code next − h} (unsigned 32-bit arithmetic).</li>
 * </ol>
 * The points depend on the server's id, not its address: a server keeps its points only if its id stays the same,
 * so removing a server from the configuration without fixed ids renumbers the servers declared after it and
 * moves their keys too ({@link #without} keeps the ids; rebuild with new ids to model the renumbering).
 * Immutable; lookups O(log points).
 */
public final class HaproxyConsistentHash {
    /** {@code BE_WEIGHT_SCALE}: points per unit of weight. */
    public static final int POINTS_PER_WEIGHT = 16;
    /** {@code SRV_EWGHT_RANGE}: the stride between two servers' point numbers. */
    static final long EWEIGHT_RANGE = 256 * 16;

    private final int[] ids;
    private final int[] weights;
    private final long[] pointHash; // unsigned 32-bit values, ascending; ties in insertion order
    private final int[] pointServer;

    /**
     * @param ids each server's numeric id ({@code puid}) in configuration order; HAProxy's default is 1, 2, 3, …
     * @param weights each server's {@code weight} (HAProxy's default is 1)
     * @throws IllegalArgumentException if the arrays are empty, differ in length, repeat an id, or hold an id
     *     below 1 or a weight outside 1..256
     */
    public HaproxyConsistentHash(int[] ids, int[] weights) {
        if (ids == null || weights == null || ids.length == 0 || ids.length != weights.length) {
            throw new IllegalArgumentException("ids and weights must be non-empty and of the same length");
        }
        for (int i = 0; i < ids.length; i++) {
            if (ids[i] < 1) {
                throw new IllegalArgumentException("ids[" + i + "] must be >= 1, got " + ids[i]);
            }
            if (weights[i] < 1 || weights[i] > 256) {
                throw new IllegalArgumentException("weights[" + i + "] must be in 1..256, got " + weights[i]);
            }
            for (int j = 0; j < i; j++) {
                if (ids[j] == ids[i]) {
                    throw new IllegalArgumentException("id " + ids[i] + " is used twice");
                }
            }
        }
        this.ids = ids.clone();
        this.weights = weights.clone();
        List<long[]> points = new ArrayList<>(); // {hash, server}, in insertion order
        for (int s = 0; s < ids.length; s++) {
            for (int i = 0; i < POINTS_PER_WEIGHT * weights[s]; i++) {
                points.add(new long[] {fullHash((int) (ids[s] * EWEIGHT_RANGE + i)), s});
            }
        }
        points.sort((a, b) -> Long.compare(a[0], b[0])); // stable: equal points keep insertion order
        pointHash = new long[points.size()];
        pointServer = new int[points.size()];
        for (int p = 0; p < points.size(); p++) {
            pointHash[p] = points.get(p)[0];
            pointServer[p] = (int) points.get(p)[1];
        }
    }

    /** Servers of weight 1 with ids 1..n, as HAProxy numbers them when no {@code id} is given. */
    public static HaproxyConsistentHash ofServers(int n) {
        int[] ids = new int[n];
        int[] weights = new int[n];
        for (int i = 0; i < n; i++) {
            ids[i] = i + 1;
            weights[i] = 1;
        }
        return new HaproxyConsistentHash(ids, weights);
    }

    /** The same ring without server {@code index}; the others keep their ids (and their points). */
    public HaproxyConsistentHash without(int index) {
        int n = ids.length - 1;
        if (index < 0 || index > n || n == 0) {
            throw new IllegalArgumentException("cannot remove server " + index + " of " + ids.length);
        }
        int[] i2 = new int[n];
        int[] w2 = new int[n];
        for (int s = 0, t = 0; s <= n; s++) {
            if (s != index) {
                i2[t] = ids[s];
                w2[t++] = weights[s];
            }
        }
        return new HaproxyConsistentHash(i2, w2);
    }

    /** The server ids, in configuration order. */
    public int[] ids() {
        return ids.clone();
    }

    /** Bob Jenkins' 32-bit integer hash as HAProxy's {@code full_hash}, as an unsigned value. */
    public static long fullHash(int a) {
        a = (a + 0x7ed55d16) + (a << 12);
        a = (a ^ 0xc761c23c) ^ (a >>> 19);
        a = (a + 0x165667b1) + (a << 5);
        a = (a + 0xd3a2646c) ^ (a << 9);
        a = (a + 0xfd7046c5) + (a << 3);
        a = (a ^ 0xb55a4f09) ^ (a >>> 16);
        return Integer.toUnsignedLong(a * (int) 3221225473L);
    }

    /** HAProxy's {@code hash_sdbm} of the key's UTF-8 bytes (each read as a signed char), as an unsigned value. */
    public static long sdbm(String key) {
        int h = 0;
        for (byte b : key.getBytes(StandardCharsets.UTF_8)) {
            h = b + (h << 6) + (h << 16) - h;
        }
        return Integer.toUnsignedLong(h);
    }

    /** The index (in configuration order) of the server a request with this key goes to. */
    public int serverFor(String key) {
        return serverForHash(fullHash((int) sdbm(key)));
    }

    /** The server for a 32-bit key hash (unsigned) as it enters the ring, after the avalanche. */
    public int serverForHash(long hash) {
        int next = Arrays.binarySearch(pointHash, hash);
        if (next < 0) {
            next = -next - 1;
        } else {
            while (next > 0 && pointHash[next - 1] == hash) { // the first of equal points
                next--;
            }
        }
        if (next == pointHash.length) {
            next = 0; // wrap to the first point
        }
        int prev = next == 0 ? pointHash.length - 1 : next - 1;
        long dp = (hash - pointHash[prev]) & 0xffffffffL;
        long dn = (pointHash[next] - hash) & 0xffffffffL;
        return dp <= dn ? pointServer[prev] : pointServer[next];
    }
}
