package io.github.dsw.checksum;

/**
 * The Internet checksum of IP, TCP and UDP (RFC 1071, "Computing the Internet Checksum"): the ones'
 * complement of the ones' complement sum of the data as big-endian 16-bit words, an odd final byte padded
 * with a zero low byte. {@link #getValue()} returns the 16-bit value placed in the checksum field, so the
 * sum over data plus field is 0xFFFF.
 *
 * <p>RFC 1071 section 2: the sum is commutative and associative, so it is computed here 16-bit word by
 * word into a 64-bit accumulator with the carries deferred and folded back ("end-around carry") only at
 * the end. The same properties are its blind spots: reordering 16-bit words, or swapping 0x0000 for
 * 0xFFFF, leaves it unchanged. Byte streams may be split anywhere; the byte parity is tracked.
 */
public final class InternetChecksum extends ByteStreamChecksum {

    private long sum;
    private boolean odd;       // an odd number of bytes so far: the next byte is a low byte

    @Override
    void consume(byte[] data, int off, int len) {
        long s = sum;
        int i = off;
        int end = off + len;
        if (odd && i < end) {
            s += data[i++] & 0xff;
            odd = false;
        }
        for (; i + 1 < end; i += 2) {
            s += (data[i] & 0xff) << 8 | (data[i + 1] & 0xff);
        }
        if (i < end) {
            s += (data[i] & 0xff) << 8;
            odd = true;
        }
        sum = s;   // at most 2^16 per byte pair: no overflow before 2^47 bytes
    }

    @Override
    public long getValue() {
        long s = sum;
        while ((s >>> 16) != 0) {
            s = (s & 0xffff) + (s >>> 16);
        }
        return ~s & 0xffff;
    }

    @Override
    public void reset() {
        sum = 0;
        odd = false;
    }
}
