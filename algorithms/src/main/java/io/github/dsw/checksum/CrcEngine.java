package io.github.dsw.checksum;

import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.zip.Checksum;

/**
 * What every CRC engine shares: the parameter model around the register, and the {@link Checksum}
 * plumbing. Subclasses differ only in how they advance the register over bytes.
 *
 * <p>The register is kept in the orientation that makes the byte step cheapest (Williams 1993, sections
 * 9-11): for {@code refIn} models it holds the CRC bit-reversed and right-aligned, so the next input byte
 * meets its low 8 bits; otherwise it holds the CRC left-aligned in the 64-bit word (bit {@code width-1}
 * at bit 63), so the next input byte meets its top 8 bits. Left-alignment makes one code path serve every
 * width from 1 to 64, including widths below 8.
 */
abstract sealed class CrcEngine implements Checksum permits BitwiseCrc, TableCrc, SlicingCrc, FastCrc32, FoldingCrc {

    final CrcSpec spec;
    final boolean reflected;
    final int width;
    private final long initialRegister;
    long register;
    private byte[] scratch;

    CrcEngine(CrcSpec spec) {
        this.spec = Objects.requireNonNull(spec, "spec");
        this.reflected = spec.refIn();
        this.width = spec.width();
        this.initialRegister = reflected ? Crc.reflect(spec.init(), width) : spec.init() << (64 - width);
        this.register = initialRegister;
    }

    /** The register after processing {@code len} bytes of {@code b} from {@code off}, starting at {@code r}. */
    abstract long process(long r, byte[] b, int off, int len);

    @Override
    public final void update(int b) {
        register = process(register, new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public final void update(byte[] b, int off, int len) {
        Objects.checkFromIndexSize(off, len, b.length);
        register = process(register, b, off, len);
    }

    /**
     * Consumes the buffer's remaining bytes and advances its position to its limit. Heap buffers are read
     * in place; direct buffers are copied through a scratch array ({@link #scratchBytes()}, allocated once
     * per engine), so no per-call allocation happens either way.
     */
    @Override
    public final void update(ByteBuffer buffer) {
        int position = buffer.position();
        int remaining = buffer.limit() - position;
        if (buffer.hasArray()) {
            register = process(register, buffer.array(), buffer.arrayOffset() + position, remaining);
            buffer.position(position + remaining);
            return;
        }
        if (scratch == null) {
            scratch = new byte[scratchBytes()];
        }
        while (remaining > 0) {
            int n = Math.min(remaining, scratch.length);
            buffer.get(scratch, 0, n);
            register = process(register, scratch, 0, n);
            remaining -= n;
        }
    }

    /** Size of the copy buffer for direct {@code ByteBuffer}s: 4 KiB, more for engines that gain from long runs. */
    int scratchBytes() {
        return 4096;
    }

    /** The CRC of the bytes so far: the register in normal form, reflected if refOut, XOR xorOut. */
    @Override
    public final long getValue() {
        long normal = reflected ? Crc.reflect(register, width) : register >>> (64 - width);
        long out = spec.refOut() ? Crc.reflect(normal, width) : normal;
        return out ^ spec.xorOut();
    }

    @Override
    public final void reset() {
        register = initialRegister;
    }

    /** The model this engine computes. */
    public final CrcSpec spec() {
        return spec;
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + spec.name() + "]";
    }
}
