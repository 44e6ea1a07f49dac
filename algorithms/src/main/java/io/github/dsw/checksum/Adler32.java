package io.github.dsw.checksum;

/**
 * Adler-32 (RFC 1950, section 8.2; J.-l. Gailly and M. Adler): two sums modulo 65521, the largest prime
 * below 2^16. {@code a} = 1 + sum of the bytes, {@code b} = sum of the successive values of {@code a};
 * the checksum is {@code b << 16 | a}.
 *
 * <p>Because {@code b} weights each byte by its distance from the end, Adler-32 sees reordering that a
 * plain sum misses. Its weakness is short messages: with fewer than about 258 bytes {@code a} cannot
 * exceed 1 + 255*257 = 65,536, so the modulus never wraps it, many of its 2^16 values are unreachable
 * and the check is weaker than 32 bits suggest (RFC 3309, section 1, which is why SCTP replaced it by
 * CRC-32C). Speed trick: the sums are reduced only every {@link #NMAX} bytes, the largest run for which
 * {@code b} cannot overflow 32 unsigned bits (zlib's NMAX = 5552).
 */
public final class Adler32 extends ByteStreamChecksum {

    static final int MOD = 65521;
    static final int NMAX = 5552;

    private long a = 1;
    private long b = 0;

    @Override
    void consume(byte[] data, int off, int len) {
        long a = this.a;
        long b = this.b;
        int i = off;
        int end = off + len;
        while (i < end) {
            int runEnd = Math.min(end, i + NMAX);
            for (; i < runEnd; i++) {
                a += data[i] & 0xff;
                b += a;
            }
            a %= MOD;
            b %= MOD;
        }
        this.a = a;
        this.b = b;
    }

    @Override
    public long getValue() {
        return (b << 16) | a;
    }

    @Override
    public void reset() {
        a = 1;
        b = 0;
    }
}
