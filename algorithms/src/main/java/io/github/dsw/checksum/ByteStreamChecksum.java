package io.github.dsw.checksum;

import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.zip.Checksum;

/**
 * The {@link Checksum} plumbing shared by the sum-based checksums: single bytes and buffers are routed to
 * one {@link #consume} method. Heap buffers are read in place, direct buffers through a reusable 4 KiB
 * scratch array.
 */
abstract sealed class ByteStreamChecksum implements Checksum permits Adler32, Fletcher16, Fletcher32, InternetChecksum {

    private byte[] scratch;

    /** Adds {@code len} bytes of {@code b} from {@code off}; bounds are already checked. */
    abstract void consume(byte[] b, int off, int len);

    @Override
    public final void update(int b) {
        consume(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public final void update(byte[] b, int off, int len) {
        Objects.checkFromIndexSize(off, len, b.length);
        consume(b, off, len);
    }

    @Override
    public final void update(ByteBuffer buffer) {
        int position = buffer.position();
        int remaining = buffer.limit() - position;
        if (buffer.hasArray()) {
            consume(buffer.array(), buffer.arrayOffset() + position, remaining);
            buffer.position(position + remaining);
            return;
        }
        if (scratch == null) {
            scratch = new byte[4096];
        }
        while (remaining > 0) {
            int n = Math.min(remaining, scratch.length);
            buffer.get(scratch, 0, n);
            consume(scratch, 0, n);
            remaining -= n;
        }
    }
}
