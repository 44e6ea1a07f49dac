package io.github.dsw.checksum;

/**
 * Fletcher-16 (J. G. Fletcher, "An Arithmetic Checksum for Serial Transmissions", IEEE Trans. Commun.
 * 30(1), 1982): over bytes, {@code sum1 = sum of bytes mod 255}, {@code sum2 = sum of successive sum1
 * mod 255}; the checksum is {@code sum2 << 8 | sum1}.
 *
 * <p>Arithmetic modulo 255 is ones' complement arithmetic, in which 0x00 and 0xFF are both zero: Fletcher
 * cannot tell a byte 0x00 from 0xFF (the messages {@code 00 00}, {@code FF FF} and {@code 00 FF} all give
 * 0x0000). Reductions are deferred while the 32-bit sums cannot overflow.
 */
public final class Fletcher16 extends ByteStreamChecksum {

    private static final int RUN = 4000;   // 254 + 4000*254 + 255*4000*4001/2 < 2^31: no int overflow

    private int sum1;
    private int sum2;

    @Override
    void consume(byte[] data, int off, int len) {
        int s1 = sum1;
        int s2 = sum2;
        int i = off;
        int end = off + len;
        while (i < end) {
            int runEnd = Math.min(end, i + RUN);
            for (; i < runEnd; i++) {
                s1 += data[i] & 0xff;
                s2 += s1;
            }
            s1 %= 255;
            s2 %= 255;
        }
        sum1 = s1;
        sum2 = s2;
    }

    @Override
    public long getValue() {
        return ((long) sum2 << 8) | sum1;
    }

    @Override
    public void reset() {
        sum1 = 0;
        sum2 = 0;
    }
}
