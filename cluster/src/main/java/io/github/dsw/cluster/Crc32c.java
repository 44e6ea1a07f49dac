package io.github.dsw.cluster;

import java.util.zip.CRC32C;

/**
 * CRC-32C (Castagnoli; the catalogue's CRC-32/ISCSI, chapter 1) of a byte range, as every record on disk
 * and every frame on the wire carries it. It uses {@link java.util.zip.CRC32C}, whose HotSpot intrinsic
 * chapter 1 recommends for production use; {@code Crc32cTest} checks it against chapter 1's own engine
 * ({@code io.github.dsw.checksum.Crc}) built from the catalogue entry, so the two agree bit for bit.
 *
 * <p>CRC-32C detects every error burst of up to 32 bits and every odd number of flipped bits in a
 * record (chapter 1's {@code ErrorDetection}); that is what lets recovery tell a damaged record from a
 * good one, and a receiver drop a frame a buggy peer or a broken link corrupted.
 */
public final class Crc32c {
    private Crc32c() {
    }

    /** The CRC-32C of {@code b[off .. off+len)} as an unsigned 32-bit value in an int. */
    public static int of(byte[] b, int off, int len) {
        CRC32C c = new CRC32C();
        c.update(b, off, len);
        return (int) c.getValue();
    }

    /** The CRC-32C of the whole array. */
    public static int of(byte[] b) {
        return of(b, 0, b.length);
    }
}
