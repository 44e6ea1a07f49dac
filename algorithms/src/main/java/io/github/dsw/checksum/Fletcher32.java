package io.github.dsw.checksum;

/**
 * Fletcher-32: Fletcher's checksum over 16-bit words modulo 65535; the checksum is
 * {@code sum2 << 16 | sum1}. Words are little-endian ({@code b[2i] | b[2i+1] << 8}, the convention of the
 * usual C code that reads the data as {@code uint16_t} on a little-endian machine); an odd final byte is
 * padded with a zero high byte. Byte streams may be split anywhere: an odd byte is held until its partner
 * arrives, and {@link #getValue()} pads it without consuming it.
 */
public final class Fletcher32 extends ByteStreamChecksum {

    private static final int RUN = 359;   // words: 32-bit sums cannot overflow within a run (zlib-style bound)

    private long sum1;
    private long sum2;
    private int pending = -1;             // an unpaired low byte, or -1

    @Override
    void consume(byte[] data, int off, int len) {
        int i = off;
        int end = off + len;
        if (pending >= 0 && i < end) {
            addWord(pending | (data[i++] & 0xff) << 8);
            pending = -1;
        }
        long s1 = sum1;
        long s2 = sum2;
        while (end - i >= 2) {
            int runEnd = i + 2 * Math.min(RUN, (end - i) / 2);
            for (; i < runEnd; i += 2) {
                s1 += (data[i] & 0xff) | (data[i + 1] & 0xff) << 8;
                s2 += s1;
            }
            s1 %= 65535;
            s2 %= 65535;
        }
        sum1 = s1;
        sum2 = s2;
        if (i < end) {
            pending = data[i] & 0xff;
        }
    }

    private void addWord(int word) {
        sum1 = (sum1 + word) % 65535;
        sum2 = (sum2 + sum1) % 65535;
    }

    @Override
    public long getValue() {
        long s1 = sum1;
        long s2 = sum2;
        if (pending >= 0) {
            s1 = (s1 + pending) % 65535;
            s2 = (s2 + s1) % 65535;
        }
        return (s2 << 16) | s1;
    }

    @Override
    public void reset() {
        sum1 = 0;
        sum2 = 0;
        pending = -1;
    }
}
