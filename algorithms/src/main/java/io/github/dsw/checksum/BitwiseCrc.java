package io.github.dsw.checksum;

/**
 * The CRC as the definition states it: polynomial division over GF(2), one message bit per step
 * (Williams 1993, section 8, "A Straightforward CRC Implementation"). Each step shifts the register by one
 * bit; when the bit shifted out is 1, the generator is subtracted (XORed). Cost: 8 dependent
 * shift/test/XOR steps per byte. It is the reference the faster engines are tested against.
 */
final class BitwiseCrc extends CrcEngine {

    private final long polyStep;   // the generator in register orientation (reflected, or left-aligned)

    BitwiseCrc(CrcSpec spec) {
        super(spec);
        this.polyStep = reflected ? Crc.reflect(spec.poly(), width) : spec.poly() << (64 - width);
    }

    @Override
    long process(long r, byte[] b, int off, int len) {
        for (int i = off; i < off + len; i++) {
            r = step(r, b[i] & 0xff, reflected, polyStep);
        }
        return r;
    }

    /**
     * Divides one byte into the register. Reflected: the byte enters at the low end and bits leave
     * from bit 0 (LSB first). Normal: the byte enters at the top and bits leave from bit 63 (MSB first).
     */
    static long step(long r, int octet, boolean reflected, long polyStep) {
        if (reflected) {
            r ^= octet;
            for (int k = 0; k < 8; k++) {
                r = (r & 1) != 0 ? (r >>> 1) ^ polyStep : r >>> 1;
            }
        } else {
            r ^= (long) octet << 56;
            for (int k = 0; k < 8; k++) {
                r = r < 0 ? (r << 1) ^ polyStep : r << 1;
            }
        }
        return r;
    }
}
