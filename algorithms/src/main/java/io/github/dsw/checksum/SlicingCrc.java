package io.github.dsw.checksum;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Slicing-by-4/8/16 (M. E. Kounavis, F. L. Berry, "A Systematic Approach to Building High Performance,
 * Software-based, CRC Generators", ISCC 2005): several bytes per step, one independent lookup per byte.
 *
 * <p>Derivation, reflected orientation (the normal one is the mirror image, with big-endian loads and the
 * register left-aligned). CRC is linear over GF(2): processing a block from register {@code r} gives the
 * same result as processing the block XORed with {@code r} (laid over its first bytes, LSB first) from a
 * zero register. So for an {@code n}-byte block, {@code x = r ^ block}, and the result is the XOR, over
 * every byte position {@code j}, of "byte {@code x_j} followed by {@code n-1-j} zero bytes, from zero".
 * That contribution depends on one byte only, so it is a 256-entry table {@code T_{n-1-j}}, where
 * {@code T_0} is Sarwate's table and {@code T_k[i] = (T_{k-1}[i] >>> 8) ^ T_0[T_{k-1}[i] & 0xff]}
 * (one more zero byte). The {@code n} lookups are independent, so the CPU overlaps them, whereas
 * Sarwate's loop waits for each lookup before the next. Widths below 64 work unchanged: the register
 * occupies the first {@code width/8} bytes of the block and the rest of the block XORs with zeros; for
 * slicing-by-4 a register wider than 32 bits keeps its unconsumed high part, shifted down by 32.
 * Cost: {@code n} lookups and XORs per {@code n} bytes with {@code n} tables of 256 longs (2 KiB each).
 */
final class SlicingCrc extends CrcEngine {

    private static final VarHandle LE_LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle BE_LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle LE_INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle BE_INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);

    private final int slices;
    private final long[][] t;       // t[k][i]: byte i followed by k zero bytes
    private final long[] t0;

    SlicingCrc(CrcSpec spec, int slices) {
        super(spec);
        if (slices != 4 && slices != 8 && slices != 16) {
            throw new IllegalArgumentException("slices must be 4, 8 or 16, got " + slices);
        }
        this.slices = slices;
        this.t = Crc.sliceTables(spec, slices);
        this.t0 = t[0];
    }

    int slices() {
        return slices;
    }

    @Override
    long process(long r, byte[] b, int off, int len) {
        int i = off;
        int end = off + len;
        int blockEnd = end - slices + 1;
        if (reflected) {
            switch (slices) {
                case 4 -> {
                    for (; i < blockEnd; i += 4) {
                        long x = r ^ ((int) LE_INT.get(b, i) & 0xffffffffL);
                        r = (x >>> 32) ^ t[3][(int) x & 0xff] ^ t[2][(int) (x >>> 8) & 0xff]
                                ^ t[1][(int) (x >>> 16) & 0xff] ^ t0[(int) (x >>> 24) & 0xff];
                    }
                }
                case 8 -> {
                    for (; i < blockEnd; i += 8) {
                        long x = r ^ (long) LE_LONG.get(b, i);
                        r = eightReflected(x, 0);
                    }
                }
                default -> {
                    for (; i < blockEnd; i += 16) {
                        long x = r ^ (long) LE_LONG.get(b, i);
                        long y = (long) LE_LONG.get(b, i + 8);
                        r = eightReflected(x, 8) ^ eightReflected(y, 0);
                    }
                }
            }
        } else {
            switch (slices) {
                case 4 -> {
                    for (; i < blockEnd; i += 4) {
                        long x = r ^ ((long) (int) BE_INT.get(b, i) << 32);
                        r = (x << 32) ^ t[3][(int) (x >>> 56)] ^ t[2][(int) (x >>> 48) & 0xff]
                                ^ t[1][(int) (x >>> 40) & 0xff] ^ t0[(int) (x >>> 32) & 0xff];
                    }
                }
                case 8 -> {
                    for (; i < blockEnd; i += 8) {
                        long x = r ^ (long) BE_LONG.get(b, i);
                        r = eightNormal(x, 0);
                    }
                }
                default -> {
                    for (; i < blockEnd; i += 16) {
                        long x = r ^ (long) BE_LONG.get(b, i);
                        long y = (long) BE_LONG.get(b, i + 8);
                        r = eightNormal(x, 8) ^ eightNormal(y, 0);
                    }
                }
            }
        }
        // The tail (fewer than `slices` bytes) one byte at a time.
        return TableCrc.step(r, b, i, end - i, reflected, t0);
    }

    /** Eight bytes of {@code x} (first byte = low byte), followed by {@code zeros} further zero bytes. */
    private long eightReflected(long x, int zeros) {
        return t[zeros + 7][(int) x & 0xff] ^ t[zeros + 6][(int) (x >>> 8) & 0xff]
                ^ t[zeros + 5][(int) (x >>> 16) & 0xff] ^ t[zeros + 4][(int) (x >>> 24) & 0xff]
                ^ t[zeros + 3][(int) (x >>> 32) & 0xff] ^ t[zeros + 2][(int) (x >>> 40) & 0xff]
                ^ t[zeros + 1][(int) (x >>> 48) & 0xff] ^ t[zeros][(int) (x >>> 56)];
    }

    /** Eight bytes of {@code x} (first byte = high byte), followed by {@code zeros} further zero bytes. */
    private long eightNormal(long x, int zeros) {
        return t[zeros + 7][(int) (x >>> 56)] ^ t[zeros + 6][(int) (x >>> 48) & 0xff]
                ^ t[zeros + 5][(int) (x >>> 40) & 0xff] ^ t[zeros + 4][(int) (x >>> 32) & 0xff]
                ^ t[zeros + 3][(int) (x >>> 24) & 0xff] ^ t[zeros + 2][(int) (x >>> 16) & 0xff]
                ^ t[zeros + 1][(int) (x >>> 8) & 0xff] ^ t[zeros][(int) x & 0xff];
    }
}
