package io.github.dsw.checksum;

/**
 * Sarwate's table-driven CRC: one table lookup per byte (D. V. Sarwate, "Computation of cyclic
 * redundancy checks via table look-up", CACM 31(8), 1988; Williams 1993, sections 10-11).
 *
 * <p>Derivation: the 8 bitwise steps for one byte depend only on the 8 register bits that meet the byte
 * (the low byte when reflected, the top byte otherwise), XORed with the byte. Whatever those 8 bits are,
 * the 8 steps XOR a fixed pattern into the rest of the register, so precompute the pattern for all 256
 * values: {@code T[i]} = register after the bitwise division of byte {@code i} into a zero register.
 * Then one byte costs a shift, an XOR and a lookup: {@code r = (r >>> 8) ^ T[(r ^ byte) & 0xff]}
 * (reflected) or {@code r = (r << 8) ^ T[(r >>> 56) ^ byte]} (normal).
 */
final class TableCrc extends CrcEngine {

    private final long[] table;

    TableCrc(CrcSpec spec) {
        super(spec);
        this.table = Crc.byteTable(spec);
    }

    @Override
    long process(long r, byte[] b, int off, int len) {
        return step(r, b, off, len, reflected, table);
    }

    static long step(long r, byte[] b, int off, int len, boolean reflected, long[] table) {
        int end = off + len;
        if (reflected) {
            for (int i = off; i < end; i++) {
                r = (r >>> 8) ^ table[(int) (r ^ b[i]) & 0xff];
            }
        } else {
            for (int i = off; i < end; i++) {
                r = (r << 8) ^ table[(int) (r >>> 56) ^ (b[i] & 0xff)];
            }
        }
        return r;
    }
}
