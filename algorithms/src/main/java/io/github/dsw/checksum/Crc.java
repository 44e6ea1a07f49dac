package io.github.dsw.checksum;

import java.util.Objects;
import java.util.zip.Checksum;

/**
 * CRC engines for any {@link CrcSpec} of width 1 to 64, from the textbook division to slicing-by-16, and
 * {@link #combine} (the CRC of a concatenation from the CRCs of its parts).
 *
 * <p>Every engine is a {@link Checksum}: {@code getValue()} returns the CRC in the low {@code width} bits
 * (all 64 bits for width 64), {@code reset()} restores the initial register, and
 * {@code update(ByteBuffer)} reads heap and direct buffers. Engines are not thread-safe (one per thread);
 * their tables are computed per engine (at most 32 KiB, a few microseconds).
 *
 * <p>A CRC is the remainder of a polynomial division over GF(2), not a sum: it is linear in XOR
 * ({@code crc(a ^ b) = crc(a) ^ crc(b) ^ crc(0)} for equal lengths), which is what {@link #combine},
 * slicing and the error-detection guarantees all rest on.
 */
public final class Crc {

    private Crc() {
    }

    /**
     * The fastest pure-Java engine for {@code spec}: {@link FoldingCrc}, which cancels long inputs 8 bytes
     * at a time with a sparse word-aligned multiple of the generator and runs only the last few KiB through
     * slicing-by-16 ({@link FastCrc32} over {@code int} tables for widths up to 32, {@link SlicingCrc}
     * above); inputs shorter than its threshold go straight to slicing-by-16. Building the engine the
     * first time for a polynomial searches for the multiple (tens of milliseconds, then cached). For CRC-32/ISO-HDLC and
     * CRC-32/ISCSI, production code should prefer {@link java.util.zip.CRC32} / {@link java.util.zip.CRC32C},
     * whose HotSpot intrinsics use carry-less multiplication and are several times faster (see the
     * chapter's benchmark report).
     */
    public static Checksum of(CrcSpec spec) {
        Objects.requireNonNull(spec, "spec");
        return new FoldingCrc(spec);
    }

    /** The bit-at-a-time reference engine (8 shift/XOR steps per byte). */
    public static Checksum bitwise(CrcSpec spec) {
        return new BitwiseCrc(Objects.requireNonNull(spec, "spec"));
    }

    /** Sarwate's engine: one 256-entry table lookup per byte. */
    public static Checksum table(CrcSpec spec) {
        return new TableCrc(Objects.requireNonNull(spec, "spec"));
    }

    /**
     * Slicing-by-{@code slices}: {@code slices} independent table lookups per {@code slices} bytes, for
     * any width and either bit order.
     *
     * @throws IllegalArgumentException if {@code slices} is not 4, 8 or 16
     */
    public static Checksum slicing(CrcSpec spec, int slices) {
        return new SlicingCrc(Objects.requireNonNull(spec, "spec"), slices);
    }

    /**
     * The CRC of A followed by B, given {@code crcA = crc(A)}, {@code crcB = crc(B)} and the length of B
     * in bytes, without the data; as zlib's {@code crc32_combine}, for any spec.
     *
     * <p>Derivation. Write {@code s(M)} for the register (normal form, before refOut and xorOut) after M,
     * and {@code z^n} for "advance over n zero bytes", which on a register is multiplication by
     * {@code x^(8n)} mod P. Division is linear, so the register after A then B, started from {@code s(A)}
     * instead of init, differs from {@code s(B)} exactly by the difference of the starting registers
     * advanced over B: {@code s(AB) = s(B) ^ z^|B|(s(A) ^ init)}. Refout and xorOut are linear too, so
     * {@code crc(AB) = crcB ^ out(z^|B|(in(crcA ^ xorOut) ^ init))}. {@code x^(8n)} mod P is computed by
     * square-and-multiply: O(log n) multiplications mod P of O(width) steps each.
     *
     * @throws IllegalArgumentException if {@code lengthB} is negative or a CRC does not fit in the width
     */
    public static long combine(CrcSpec spec, long crcA, long crcB, long lengthB) {
        Objects.requireNonNull(spec, "spec");
        int w = spec.width();
        long mask = spec.mask();
        if (lengthB < 0) {
            throw new IllegalArgumentException("lengthB must be >= 0, got " + lengthB);
        }
        if ((crcA & ~mask) != 0) {
            throw new IllegalArgumentException("crcA must fit in width=" + w + " bits, got 0x" + Long.toHexString(crcA));
        }
        if ((crcB & ~mask) != 0) {
            throw new IllegalArgumentException("crcB must fit in width=" + w + " bits, got 0x" + Long.toHexString(crcB));
        }
        long a = crcA ^ spec.xorOut();
        long stateA = spec.refOut() ? reflect(a, w) : a;
        long advanced = multiplyMod(stateA ^ spec.init(), xPow8n(spec, lengthB), spec);
        return crcB ^ (spec.refOut() ? reflect(advanced, w) : advanced);
    }

    /** {@code x^(8n) mod P} as a width-bit value, by square-and-multiply on the bits of {@code n}. */
    static long xPow8n(CrcSpec spec, long n) {
        long result = 1;                        // x^0
        long power = 1;
        for (int k = 0; k < 8; k++) {
            power = timesX(power, spec);        // x^8 mod P
        }
        while (n != 0) {
            if ((n & 1) != 0) {
                result = multiplyMod(result, power, spec);
            }
            power = multiplyMod(power, power, spec);
            n >>>= 1;
        }
        return result;
    }

    /** {@code a * b mod P} for width-bit polynomials a, b (Horner's rule over the bits of b, MSB first). */
    static long multiplyMod(long a, long b, CrcSpec spec) {
        long r = 0;
        for (int i = spec.width() - 1; i >= 0; i--) {
            r = timesX(r, spec);
            if (((b >>> i) & 1) != 0) {
                r ^= a;
            }
        }
        return r;
    }

    /** {@code a * x mod P}: shift up; if the x^width term appears, replace it by poly (x^width = poly mod P). */
    static long timesX(long a, CrcSpec spec) {
        boolean carry = ((a >>> (spec.width() - 1)) & 1) != 0;
        long shifted = (a << 1) & spec.mask();
        return carry ? shifted ^ spec.poly() : shifted;
    }

    /** The low {@code width} bits of {@code value}, in reverse order. */
    static long reflect(long value, int width) {
        return Long.reverse(value) >>> (64 - width);
    }

    /** Sarwate's table in register orientation: entry i = bitwise division of byte i into a zero register. */
    static long[] byteTable(CrcSpec spec) {
        int w = spec.width();
        boolean reflected = spec.refIn();
        long polyStep = reflected ? reflect(spec.poly(), w) : spec.poly() << (64 - w);
        long[] table = new long[256];
        for (int i = 0; i < 256; i++) {
            table[i] = BitwiseCrc.step(0, i, reflected, polyStep);
        }
        return table;
    }

    /** {@code count} tables: table k = byte followed by k zero bytes (see {@link SlicingCrc}). */
    static long[][] sliceTables(CrcSpec spec, int count) {
        long[][] t = new long[count][];
        t[0] = byteTable(spec);
        for (int k = 1; k < count; k++) {
            t[k] = new long[256];
            for (int i = 0; i < 256; i++) {
                long previous = t[k - 1][i];
                t[k][i] = spec.refIn()
                        ? (previous >>> 8) ^ t[0][(int) previous & 0xff]
                        : (previous << 8) ^ t[0][(int) (previous >>> 56)];
            }
        }
        return t;
    }
}
