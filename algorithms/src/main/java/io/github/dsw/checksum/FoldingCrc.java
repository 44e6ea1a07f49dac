package io.github.dsw.checksum;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The project's fastest pure-Java CRC for long inputs: table-free folding with a sparse, word-aligned
 * multiple of the generator, then slicing-by-16 over a short tail. The idea is that of Sam Russell's
 * "Chorba" (arXiv 2412.16398, 2024: cancel the message with a sparse "zero polynomial" Z, Z mod G = 0);
 * the choice of Z here is different and is derived below.
 *
 * <p><b>Derivation.</b> Read the message as 64-bit words {@code m_0 .. m_{K-1}} (8 bytes each, any fixed
 * byte order). Moving a word 8 bytes later in the message multiplies its polynomial by {@code y = x^64},
 * whatever the bit order of the CRC, because every bit keeps its place inside its byte. Suppose
 * <pre>  Z = y^a + y^e1 + ... + y^ek + 1,   a &gt; e1 &gt; ... &gt; ek &gt; 0,   Z mod G = 0.</pre>
 * Adding any multiple of G to the message leaves its remainder, hence its CRC from a zero register,
 * unchanged. Adding {@code m_0 * Z}, shifted so that its leading term lands on word 0, cancels word 0 and
 * XORs {@code m_0} into words {@code a-e1, ..., a-ek} and {@code a} ("pushes it forward"). Repeating for
 * words 1, 2, ..., {@code K-a-1} zeroes the first {@code K-a} words; each word's value at its turn is
 * {@code w_k = m_k ^ w_{k-a} ^ w_{k-(a-e1)} ^ ... ^ w_{k-(a-ek)}} (terms with negative index are 0).
 * Zeros leave a zero register at zero, so the CRC is the CRC (from a zero register) of the last {@code a}
 * words as modified by the pushes. The initial register is folded into word 0 first (processing D from
 * register r equals processing D XOR r from register 0, r laid over the first bytes).
 * Per 8 bytes this costs one load, {@code k+1} loads from a ring of the last {@code a} words, {@code k+1}
 * XORs and a store, and no table lookup, against eight lookups for slicing; the tail of {@code 8a} bytes
 * is then run through {@link FastCrc32} (width &le; 32) or {@link SlicingCrc} slicing-by-16.
 *
 * <p><b>Finding Z.</b> With {@code u = x^64 mod G}, weight 6 ({@code k = 4}) means
 * {@code u^a + u^b + u^c = u^d + u^e + 1}. Meet in the middle: tabulate the right side for all pairs
 * below a limit M, then scan triples with {@code a} ascending for a match. A generator divisible by
 * {@code x+1} (CRC-32C, most 16-bit CRCs) has only even-weight multiples, so weight 6 is tried first; for
 * a 32-bit generator about {@code (M^3/6)(M^2/2)/2^32} solutions exist below M, so one is expected near
 * M = 160 (found: a = 203 words for CRC-32, 209 for CRC-32C: a 1.6 KiB tail). Weight 5
 * ({@code u^a + u^b = u^c + u^d + 1}) up to {@link #MAX_WORDS} is the fallback for generators up to 40
 * bits. The smallest {@code a} found is kept (it sets the tail length and the ring size) and cached per
 * (width, poly); the search takes milliseconds for narrow generators and up to about a second for the
 * first 64-bit ones, which (apart from very sparse ones such as CRC-64/GO-ISO) have no solution in
 * range: for those the engine is plain slicing-by-16.
 */
final class FoldingCrc extends CrcEngine {

    static final int MAX_WORDS = 1024;

    private static final VarHandle LE_LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final Map<String, int[]> ZEROS = new ConcurrentHashMap<>();   // "width:poly" -> {a, b, c, d}

    private final CrcEngine tail;          // slicing engine for the tail and for short inputs
    private final int[] zero;              // {a, b, c, d} or null
    private final long[] ring;
    private final byte[] tailBytes;
    private final int minLength;
    private final int[] offsets;           // push distances a - e_i and a, ascending

    FoldingCrc(CrcSpec spec) {
        super(spec);
        this.tail = spec.width() <= 32 ? new FastCrc32(spec) : new SlicingCrc(spec, 16);
        int[] z = ZEROS.computeIfAbsent(spec.width() + ":" + Long.toHexString(spec.poly()), k -> {
            int[] found = wordAlignedZero(spec);
            return found == null ? new int[0] : found;
        });
        this.zero = z.length == 0 ? null : z;
        int a = zero == null ? 0 : zero[0];
        this.ring = new long[zero == null ? 0 : Integer.highestOneBit(a) << 1];
        this.tailBytes = new byte[8 * a];
        this.offsets = new int[zero == null ? 0 : zero.length];
        for (int i = 1; i < offsets.length; i++) {
            offsets[i - 1] = a - zero[i];
        }
        if (zero != null) {
            offsets[offsets.length - 1] = a;
            java.util.Arrays.sort(offsets);
        }
        // Fold only when the tail is at most a quarter of the input: phases 1 and 3 cost more per word than
        // phase 2, and measured on CRC-32 folding overtakes slicing-by-16 between 4 and 8 KiB.
        this.minLength = 32 * a;
    }

    /** The exponents {a, e1, ..., ek} of the word-aligned zero polynomial used, or null if none was found. */
    int[] zero() {
        return zero == null ? null : zero.clone();
    }

    /** Folding pays off on long runs: copy direct buffers in 64 KiB pieces, not 4 KiB. */
    @Override
    int scratchBytes() {
        return 65536;
    }

    @Override
    long process(long r, byte[] b, int off, int len) {
        if (zero == null || len < minLength) {
            return tail.process(r, b, off, len);
        }
        int a = zero[0];
        int[] o = offsets;
        int words = len >>> 3;
        int folded = words - a;               // words 0 .. folded-1 are cancelled
        long[] w = ring;
        int mask = w.length - 1;
        // Word 0 absorbs the initial register (reflected: low bytes first; normal: top byte first).
        long first = reflected ? r : Long.reverseBytes(r);
        // Phase 1: words whose pushers may have negative index.
        int k = 0;
        for (; k < a; k++) {
            long v = (long) LE_LONG.get(b, off + 8 * k) ^ (k == 0 ? first : 0);
            for (int d : o) {
                if (k >= d) {
                    v ^= w[(k - d) & mask];
                }
            }
            w[k & mask] = v;
        }
        // Phase 2: the steady state, every pusher from the ring.
        if (o.length == 4) {
            int o0 = o[0], o1 = o[1], o2 = o[2];
            for (; k < folded; k++) {
                w[k & mask] = (long) LE_LONG.get(b, off + 8 * k)
                        ^ w[(k - o0) & mask] ^ w[(k - o1) & mask] ^ w[(k - o2) & mask] ^ w[(k - a) & mask];
            }
        } else {
            int o0 = o[0], o1 = o[1], o2 = o[2], o3 = o[3];
            for (; k < folded; k++) {
                w[k & mask] = (long) LE_LONG.get(b, off + 8 * k) ^ w[(k - o0) & mask] ^ w[(k - o1) & mask]
                        ^ w[(k - o2) & mask] ^ w[(k - o3) & mask] ^ w[(k - a) & mask];
            }
        }
        // Phase 3: the last a words receive pushes from cancelled words only (index < folded).
        byte[] t = tailBytes;
        for (; k < words; k++) {
            long v = (long) LE_LONG.get(b, off + 8 * k);
            for (int d : o) {
                if (k - d < folded) {
                    v ^= w[(k - d) & mask];
                }
            }
            LE_LONG.set(t, 8 * (k - folded), v);
        }
        long register = tail.process(0, t, 0, t.length);
        return tail.process(register, b, off + 8 * words, len - 8 * words);
    }

    /**
     * Exponents {a, e1, ..., ek} (descending, all in 1..a) of a word-aligned zero polynomial
     * {@code y^a + y^e1 + ... + y^ek + 1} with {@code y = x^64}, or null. Tries weight 6 (five pushes per
     * word) with {@code a <= 256} first, then weight 5 (four pushes) with {@code a <= MAX_WORDS}. A
     * generator divisible by {@code x + 1} (CRC-32C, most 16-bit CRCs) has only even-weight multiples,
     * hence needs weight 6; a 32-bit generator has about {@code (M^3/6)(M^2/2)/2^32} weight-6 solutions
     * below M, so one is expected near M = 160.
     */
    static int[] wordAlignedZero(CrcSpec spec) {
        long[] p = powersOfY(spec, MAX_WORDS);
        for (int limit = 128; limit <= 256; limit += 64) {
            int[] z = weightSix(p, limit);
            if (z != null) {
                return z;
            }
        }
        // Weight 5 below 1024 has about 2^38 candidate matches: hopeless beyond ~40-bit generators.
        for (int limit = 256; limit <= MAX_WORDS && spec.width() <= 40; limit *= 2) {
            int[] z = weightFive(p, limit);
            if (z != null) {
                return z;
            }
        }
        return null;
    }

    /** {@code p[k] = x^(64k) mod G} for k = 0..max. */
    static long[] powersOfY(CrcSpec spec, int max) {
        long u = 1;
        for (int i = 0; i < 64; i++) {
            u = Crc.timesX(u, spec);
        }
        long[] p = new long[max + 1];
        p[0] = 1;
        for (int i = 1; i <= max; i++) {
            p[i] = Crc.multiplyMod(p[i - 1], u, spec);
        }
        return p;
    }

    /** {@code u^a + u^b = u^c + u^d + 1}, {@code limit >= a > b > c > d > 0}, smallest a. */
    private static int[] weightFive(long[] p, int limit) {
        LongIntTable rhs = new LongIntTable(limit * limit / 2);
        for (int c = 2; c <= limit; c++) {
            for (int d = 1; d < c; d++) {
                rhs.putIfAbsent(p[c] ^ p[d] ^ 1, c << 16 | d);   // the smallest c for each value
            }
        }
        for (int a = 4; a <= limit; a++) {
            for (int b = 3; b < a; b++) {
                int cd = rhs.get(p[a] ^ p[b]);
                if (cd >= 0 && (cd >>> 16) < b) {
                    return new int[] {a, b, cd >>> 16, cd & 0xffff};
                }
            }
        }
        return null;
    }

    /** {@code u^a + u^b + u^c = u^d + u^e + 1}, all distinct in 1..a, {@code a <= limit}, smallest a. */
    private static int[] weightSix(long[] p, int limit) {
        LongIntTable rhs = new LongIntTable(limit * limit / 2);
        for (int d = 2; d <= limit; d++) {
            for (int e = 1; e < d; e++) {
                rhs.putIfAbsent(p[d] ^ p[e] ^ 1, d << 16 | e);
            }
        }
        for (int a = 5; a <= limit; a++) {
            for (int b = 2; b < a; b++) {
                long ab = p[a] ^ p[b];
                for (int c = 1; c < b; c++) {
                    int de = rhs.get(ab ^ p[c]);
                    if (de >= 0) {
                        int d = de >>> 16;
                        int e = de & 0xffff;
                        if (d < a && d != b && d != c && e != b && e != c) {
                            int[] z = {a, b, c, d, e};
                            java.util.Arrays.sort(z);
                            return new int[] {z[4], z[3], z[2], z[1], z[0]};
                        }
                    }
                }
            }
        }
        return null;
    }

    /** A minimal open-addressing map from long to non-negative int (no boxing for ~500k entries). */
    private static final class LongIntTable {
        private final long[] keys;
        private final int[] values;
        private final int mask;

        LongIntTable(int expected) {
            int capacity = Integer.highestOneBit(Math.max(16, expected)) << 1;
            keys = new long[capacity];
            values = new int[capacity];
            java.util.Arrays.fill(values, -1);
            mask = capacity - 1;
        }

        void putIfAbsent(long key, int value) {
            int i = slot(key);
            while (values[i] >= 0) {
                if (keys[i] == key) {
                    return;
                }
                i = (i + 1) & mask;
            }
            keys[i] = key;
            values[i] = value;
        }

        int get(long key) {
            int i = slot(key);
            while (values[i] >= 0) {
                if (keys[i] == key) {
                    return values[i];
                }
                i = (i + 1) & mask;
            }
            return -1;
        }

        private int slot(long key) {
            long h = key * 0x9E3779B97F4A7C15L;
            return (int) (h >>> 40) & mask;
        }
    }
}
