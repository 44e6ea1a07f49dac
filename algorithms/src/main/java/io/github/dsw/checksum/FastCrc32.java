package io.github.dsw.checksum;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Slicing-by-16 specialised for widths up to 32 (CRC-32, CRC-32C and every narrower model): {@code int}
 * tables in one flat array and 8-byte loads. {@link FoldingCrc} (what {@link Crc#of} returns) uses it for
 * short inputs and for the tail it cannot fold.
 *
 * <p>It is {@link SlicingCrc} with {@code slices = 16} (same derivation: 16 independent lookups per 16
 * bytes, table {@code k} = "byte followed by {@code k} zero bytes"), specialised where it pays on the JVM:
 * <ul>
 *   <li>{@code int} entries: for width &le; 32 the register fits in 32 bits, so the 16 tables take 16 KiB
 *       instead of 32 KiB and stay in a 32 KiB L1 data cache next to the streamed input;</li>
 *   <li>one flat {@code int[4096]} indexed {@code (k << 8) | byte}: one array header and one bounds
 *       check pattern instead of 16 separate arrays behind a {@code long[][]};</li>
 *   <li>two {@code long} loads per 16 bytes through a {@link VarHandle} byte-array view, instead of 16
 *       single-byte loads and shifts (commons-codec's {@code PureJavaCrc32} assembles its words from
 *       bytes).</li>
 * </ul>
 * For normal (MSB-first) models the register is kept left-aligned in the {@code int}, the table entries
 * are the top 32 bits of the left-aligned {@code long} tables, and the loads are big-endian.
 * It is tested byte-for-byte against {@link TableCrc} and {@link BitwiseCrc} on every catalogue model of
 * width &le; 32.
 */
final class FastCrc32 extends CrcEngine {

    private static final VarHandle LE_LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle BE_LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    private final int[] t;          // t[(k << 8) | i]: byte i followed by k zero bytes, 32-bit register form
    private final long[] byteTable; // Sarwate table for the tail

    FastCrc32(CrcSpec spec) {
        super(spec);
        if (spec.width() > 32) {
            throw new IllegalArgumentException("FastCrc32 needs width <= 32, got " + spec.width() + " (spec " + spec.name() + ")");
        }
        long[][] tables = Crc.sliceTables(spec, 16);
        this.t = new int[16 * 256];
        for (int k = 0; k < 16; k++) {
            for (int i = 0; i < 256; i++) {
                t[(k << 8) | i] = reflected ? (int) tables[k][i] : (int) (tables[k][i] >>> 32);
            }
        }
        this.byteTable = tables[0];
    }

    @Override
    long process(long r, byte[] b, int off, int len) {
        int i = off;
        int end = off + len;
        int blockEnd = end - 15;
        int[] t = this.t;
        if (reflected) {
            int c = (int) r;
            for (; i < blockEnd; i += 16) {
                long x = (long) LE_LONG.get(b, i) ^ (c & 0xffffffffL);
                long y = (long) LE_LONG.get(b, i + 8);
                c = t[0xf00 | (int) x & 0xff] ^ t[0xe00 | (int) (x >>> 8) & 0xff]
                        ^ t[0xd00 | (int) (x >>> 16) & 0xff] ^ t[0xc00 | (int) (x >>> 24) & 0xff]
                        ^ t[0xb00 | (int) (x >>> 32) & 0xff] ^ t[0xa00 | (int) (x >>> 40) & 0xff]
                        ^ t[0x900 | (int) (x >>> 48) & 0xff] ^ t[0x800 | (int) (x >>> 56)]
                        ^ t[0x700 | (int) y & 0xff] ^ t[0x600 | (int) (y >>> 8) & 0xff]
                        ^ t[0x500 | (int) (y >>> 16) & 0xff] ^ t[0x400 | (int) (y >>> 24) & 0xff]
                        ^ t[0x300 | (int) (y >>> 32) & 0xff] ^ t[0x200 | (int) (y >>> 40) & 0xff]
                        ^ t[0x100 | (int) (y >>> 48) & 0xff] ^ t[(int) (y >>> 56)];
            }
            r = c & 0xffffffffL;
        } else {
            int c = (int) (r >>> 32);
            for (; i < blockEnd; i += 16) {
                long x = (long) BE_LONG.get(b, i) ^ ((long) c << 32);
                long y = (long) BE_LONG.get(b, i + 8);
                c = t[0xf00 | (int) (x >>> 56)] ^ t[0xe00 | (int) (x >>> 48) & 0xff]
                        ^ t[0xd00 | (int) (x >>> 40) & 0xff] ^ t[0xc00 | (int) (x >>> 32) & 0xff]
                        ^ t[0xb00 | (int) (x >>> 24) & 0xff] ^ t[0xa00 | (int) (x >>> 16) & 0xff]
                        ^ t[0x900 | (int) (x >>> 8) & 0xff] ^ t[0x800 | (int) x & 0xff]
                        ^ t[0x700 | (int) (y >>> 56)] ^ t[0x600 | (int) (y >>> 48) & 0xff]
                        ^ t[0x500 | (int) (y >>> 40) & 0xff] ^ t[0x400 | (int) (y >>> 32) & 0xff]
                        ^ t[0x300 | (int) (y >>> 24) & 0xff] ^ t[0x200 | (int) (y >>> 16) & 0xff]
                        ^ t[0x100 | (int) (y >>> 8) & 0xff] ^ t[(int) y & 0xff];
            }
            r = (long) c << 32;
        }
        return TableCrc.step(r, b, i, end - i, reflected, byteTable);
    }
}
