package io.github.dsw.hashing;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * The one 64-bit key hash of the workbench: xxHash64 (Yann Collet, XXH64 as specified in the xxHash
 * repository's {@code doc/xxhash_spec.md}), written from the specification. Every consistent-hashing
 * algorithm in this package takes a {@code long keyHash}, so all of them see the same hashes and their
 * balance can be compared fairly.
 *
 * <p>Strings are hashed as their UTF-8 bytes. {@link #hashLong(long, long)} is XXH64 of the 8
 * little-endian bytes of a {@code long}, unrolled; the algorithms use it, with a seed, to derive
 * "the i-th hash of a key" (ring points, probes, rendezvous scores). Cost: one pass over the bytes,
 * about 1 multiply per byte on long inputs; no allocation except for {@link #of(String)}.
 */
public final class KeyHash {
    static final long P1 = 0x9E3779B185EBCA87L;
    static final long P2 = 0xC2B2AE3D27D4EB4FL;
    static final long P3 = 0x165667B19E3779F9L;
    static final long P4 = 0x85EBCA77C2B2AE63L;
    static final long P5 = 0x27D4EB2F165667C5L;

    private static final VarHandle LONG_LE =
            MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INT_LE =
            MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);

    private KeyHash() {}

    /** XXH64 of the UTF-8 bytes of {@code key}, seed 0. */
    public static long of(String key) {
        if (key == null) {
            throw new IllegalArgumentException("key must not be null");
        }
        return xxh64(key.getBytes(StandardCharsets.UTF_8), 0L);
    }

    /** XXH64 of {@code key}, seed 0. */
    public static long of(byte[] key) {
        return xxh64(key, 0L);
    }

    /** XXH64 of the 8 little-endian bytes of {@code key}, seed 0 (for integer keys). */
    public static long of(long key) {
        return hashLong(key, 0L);
    }

    /** XXH64 of all of {@code data} with {@code seed}. */
    public static long xxh64(byte[] data, long seed) {
        if (data == null) {
            throw new IllegalArgumentException("data must not be null");
        }
        return xxh64(data, 0, data.length, seed);
    }

    /**
     * XXH64 of {@code data[offset .. offset+length)} with {@code seed}.
     *
     * @throws IllegalArgumentException if the range is outside the array
     */
    public static long xxh64(byte[] data, int offset, int length, long seed) {
        if (data == null || offset < 0 || length < 0 || offset > data.length - length) {
            throw new IllegalArgumentException("range offset=" + offset + ", length=" + length
                    + " must lie inside data of length " + (data == null ? "null" : data.length));
        }
        int p = offset;
        int end = offset + length;
        long h;
        if (length >= 32) {
            // Spec step 1-2: four lanes, each consuming one 8-byte word of every 32-byte stripe.
            long v1 = seed + P1 + P2;
            long v2 = seed + P2;
            long v3 = seed;
            long v4 = seed - P1;
            int limit = end - 32;
            do {
                v1 = round(v1, (long) LONG_LE.get(data, p));
                v2 = round(v2, (long) LONG_LE.get(data, p + 8));
                v3 = round(v3, (long) LONG_LE.get(data, p + 16));
                v4 = round(v4, (long) LONG_LE.get(data, p + 24));
                p += 32;
            } while (p <= limit);
            // Spec step 3: converge the lanes.
            h = Long.rotateLeft(v1, 1) + Long.rotateLeft(v2, 7) + Long.rotateLeft(v3, 12) + Long.rotateLeft(v4, 18);
            h = mergeRound(h, v1);
            h = mergeRound(h, v2);
            h = mergeRound(h, v3);
            h = mergeRound(h, v4);
        } else {
            h = seed + P5;
        }
        h += length;
        // Spec step 5: the remaining 0..31 bytes, 8, then 4, then 1 at a time.
        while (p + 8 <= end) {
            h ^= round(0, (long) LONG_LE.get(data, p));
            h = Long.rotateLeft(h, 27) * P1 + P4;
            p += 8;
        }
        if (p + 4 <= end) {
            h ^= ((int) INT_LE.get(data, p) & 0xFFFF_FFFFL) * P1;
            h = Long.rotateLeft(h, 23) * P2 + P3;
            p += 4;
        }
        while (p < end) {
            h ^= (data[p] & 0xFFL) * P5;
            h = Long.rotateLeft(h, 11) * P1;
            p++;
        }
        return avalanche(h);
    }

    /**
     * XXH64 of the 8 little-endian bytes of {@code value} with {@code seed}: equal to
     * {@code xxh64(bytesLE(value), seed)}, with the general loop unrolled for one word.
     * Algorithms use {@code hashLong(keyHash, i)} as the i-th independent hash of a key.
     */
    public static long hashLong(long value, long seed) {
        long h = seed + P5 + 8;
        h ^= round(0, value);
        h = Long.rotateLeft(h, 27) * P1 + P4;
        return avalanche(h);
    }

    /**
     * Maps a 64-bit hash to {@code [0, n)} using its top 32 bits, {@code (hi32 * n) >>> 32}
     * (Lemire's multiply-shift range reduction): unbiased to within n / 2^32 and cheaper than a division.
     *
     * @throws IllegalArgumentException if {@code n < 1}
     */
    public static int toRange(long hash, int n) {
        if (n < 1) {
            throw new IllegalArgumentException("n must be >= 1, got " + n);
        }
        return (int) (((hash >>> 32) * n) >>> 32);
    }

    private static long round(long acc, long input) {
        acc += input * P2;
        acc = Long.rotateLeft(acc, 31);
        return acc * P1;
    }

    private static long mergeRound(long acc, long val) {
        acc ^= round(0, val);
        return acc * P1 + P4;
    }

    private static long avalanche(long h) {
        h ^= h >>> 33;
        h *= P2;
        h ^= h >>> 29;
        h *= P3;
        h ^= h >>> 32;
        return h;
    }
}
