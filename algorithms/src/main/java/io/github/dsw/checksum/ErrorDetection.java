package io.github.dsw.checksum;

import java.util.BitSet;
import java.util.Objects;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import java.util.zip.Checksum;

/**
 * The error-detection lab: what a checksum or CRC misses, measured by exhaustive search where that is
 * feasible and by sampling where it is not.
 *
 * <p>Model. A sender transmits a message and its check value; the channel flips some bits of the message
 * (an error pattern {@code e}); the receiver recomputes the check value. The error is <em>undetected</em>
 * when the corrupted message has the same check value as the original. The methods taking a
 * {@code Supplier<Checksum>} work for any code and corrupt the message only (the check field is assumed
 * intact); {@link #hammingDistance} works on whole CRC codewords (data and CRC bits), the definition
 * Koopman uses.
 *
 * <p>What theory predicts for a CRC with generator G of degree w (Peterson and Brown, "Cyclic Codes for
 * Error Detection", Proc. IRE 49(1), 1961): an error pattern {@code e(x)} is undetected iff G divides it.
 * Hence every single-bit error is detected (G has two or more terms); every burst of length at most w
 * ({@code x^i B(x)} with {@code deg B < w}, B's lowest bit set); a fraction {@code 2^-(w-1)} of bursts of
 * length {@code w+1}; every double-bit error closer than the period of G; every odd-weight error if
 * {@code (x+1)} divides G; and about {@code 2^-w} of random patterns. Sums have other blind spots: the
 * Internet checksum is commutative in 16-bit words (RFC 1071), Fletcher's mod-255 arithmetic cannot tell
 * 0x00 from 0xFF, and Adler-32's sums cannot wrap on short messages (RFC 3309).
 */
public final class ErrorDetection {

    private ErrorDetection() {
    }

    private static long value(Supplier<Checksum> code, byte[] message) {
        Checksum c = code.get();
        c.reset();
        c.update(message, 0, message.length);
        return c.getValue();
    }

    private static void flip(byte[] m, int bit) {
        m[bit >>> 3] ^= (byte) (0x80 >>> (bit & 7));   // bit 0 = most significant bit of byte 0
    }

    /** The number of single-bit errors in {@code message} that leave its check value unchanged (of 8n). */
    public static long undetectedSingleBitErrors(Supplier<Checksum> code, byte[] message) {
        long expected = value(code, message);
        byte[] m = message.clone();
        long undetected = 0;
        for (int i = 0; i < 8 * m.length; i++) {
            flip(m, i);
            if (value(code, m) == expected) {
                undetected++;
            }
            flip(m, i);
        }
        return undetected;
    }

    /**
     * The number of double-bit errors (two distinct bits, {@code 8n(8n-1)/2} patterns) that go undetected.
     * Cost: one check value per pattern.
     */
    public static long undetectedDoubleBitErrors(Supplier<Checksum> code, byte[] message) {
        long expected = value(code, message);
        byte[] m = message.clone();
        long undetected = 0;
        int bits = 8 * m.length;
        for (int i = 0; i < bits; i++) {
            flip(m, i);
            for (int j = i + 1; j < bits; j++) {
                flip(m, j);
                if (value(code, m) == expected) {
                    undetected++;
                }
                flip(m, j);
            }
            flip(m, i);
        }
        return undetected;
    }

    /**
     * The number of undetected bursts of exactly {@code length} bits: error patterns whose first and last
     * flipped bits are {@code length - 1} apart, with any pattern in between, at every position where they
     * fit: {@code (8n - length + 1) * 2^(length-2)} patterns (1 per position for length 1).
     *
     * @throws IllegalArgumentException if length is outside 1..min(8n, 30)
     */
    public static long undetectedBursts(Supplier<Checksum> code, byte[] message, int length) {
        int bits = 8 * message.length;
        if (length < 1 || length > Math.min(bits, 30)) {
            throw new IllegalArgumentException("length must be in 1.." + Math.min(bits, 30) + ", got " + length);
        }
        long expected = value(code, message);
        long undetected = 0;
        int inner = Math.max(0, length - 2);
        for (int start = 0; start + length <= bits; start++) {
            for (long pattern = 0; pattern < (1L << inner); pattern++) {
                byte[] m = message.clone();
                flip(m, start);
                if (length > 1) {
                    flip(m, start + length - 1);
                }
                for (int k = 0; k < inner; k++) {
                    if (((pattern >>> k) & 1) != 0) {
                        flip(m, start + 1 + k);
                    }
                }
                if (value(code, m) == expected) {
                    undetected++;
                }
            }
        }
        return undetected;
    }

    /**
     * The fraction of {@code trials} random corruptions that go undetected: each trial XORs the message
     * with a uniformly random non-zero pattern (every bit flipped with probability 1/2). For a CRC of
     * width w this converges to {@code 2^-w}; for a weak code it is larger.
     */
    public static double undetectedFraction(Supplier<Checksum> code, byte[] message, int trials, RandomGenerator random) {
        if (trials < 1) {
            throw new IllegalArgumentException("trials must be >= 1, got " + trials);
        }
        Objects.requireNonNull(random, "random");
        long expected = value(code, message);
        byte[] m = new byte[message.length];
        long undetected = 0;
        for (int t = 0; t < trials; t++) {
            boolean nonZero = false;
            while (!nonZero) {
                random.nextBytes(m);
                for (byte x : m) {
                    nonZero |= x != 0;
                }
            }
            for (int i = 0; i < m.length; i++) {
                m[i] ^= message[i];
            }
            if (value(code, m) == expected) {
                undetected++;
            }
        }
        return (double) undetected / trials;
    }

    /**
     * How many distinct check values the {@code 2^(8 * messageBytes)} messages of that length produce
     * (exhaustive, so {@code messageBytes} is at most 3). A code that is injective on short messages,
     * as every CRC of width at least {@code 8 * messageBytes} is, gives all of them; Adler-32 on 3-byte
     * messages gives far fewer, because its sums cannot wrap.
     *
     * @throws IllegalArgumentException if messageBytes is outside 1..3
     */
    public static long distinctValues(Supplier<Checksum> code, int messageBytes) {
        if (messageBytes < 1 || messageBytes > 3) {
            throw new IllegalArgumentException("messageBytes must be in 1..3, got " + messageBytes);
        }
        java.util.HashSet<Long> wide = new java.util.HashSet<>();
        BitSet low = new BitSet();    // values 0 .. 2^31-1
        BitSet high = new BitSet();   // values 2^31 .. 2^32-1
        byte[] m = new byte[messageBytes];
        Checksum c = code.get();
        for (int v = 0; v < (1 << (8 * messageBytes)); v++) {
            for (int i = 0; i < messageBytes; i++) {
                m[i] = (byte) (v >>> (8 * (messageBytes - 1 - i)));
            }
            c.reset();
            c.update(m, 0, messageBytes);
            long x = c.getValue();
            if (x >= 0 && x <= Integer.MAX_VALUE) {
                low.set((int) x);
            } else if (x > Integer.MAX_VALUE && x <= 0xffffffffL) {
                high.set((int) (x - (1L << 31)));
            } else {
                wide.add(x);
            }
        }
        return (long) low.cardinality() + high.cardinality() + wide.size();
    }

    /**
     * The Hamming distance of the CRC code with {@code spec}'s generator for {@code dataBits} data bits:
     * the smallest number of bit errors, anywhere in the {@code dataBits + width} bits of a codeword,
     * that no CRC check can see. Every error of fewer bits is detected. Init, reflection and xorOut do
     * not change it (they add the same constant to every codeword or permute bits consistently).
     *
     * <p>Exhaustive: all {@code 2^dataBits - 1} non-zero codewords are visited in Gray-code order, each
     * one XOR away from the previous ({@code codeword(d) = d x^w + (d x^w mod G)} is linear in d), and
     * the minimum weight is kept. Cost {@code 2^dataBits} steps: 4 million for 22 bits.
     *
     * @throws IllegalArgumentException unless {@code 1 <= dataBits <= 28} and {@code dataBits + width <= 64}
     */
    public static int hammingDistance(CrcSpec spec, int dataBits) {
        int w = spec.width();
        if (dataBits < 1 || dataBits > 28 || dataBits + w > 64) {
            throw new IllegalArgumentException("dataBits must be in 1..min(28, 64 - width) = 1.."
                    + Math.min(28, 64 - w) + ", got " + dataBits);
        }
        long[] basis = new long[dataBits];
        long remainder = 1;                          // x^(i + w) mod G, starting from x^w
        for (int k = 0; k < w; k++) {
            remainder = Crc.timesX(remainder, spec);
        }
        for (int i = 0; i < dataBits; i++) {
            basis[i] = (1L << (i + w)) | remainder;  // data bit i, then its CRC bits
            remainder = Crc.timesX(remainder, spec);
        }
        long codeword = 0;
        int best = Integer.MAX_VALUE;
        for (long g = 1; g < (1L << dataBits); g++) {
            codeword ^= basis[Long.numberOfTrailingZeros(g)];   // Gray code: one data bit changes
            best = Math.min(best, Long.bitCount(codeword));
        }
        return best;
    }
}
