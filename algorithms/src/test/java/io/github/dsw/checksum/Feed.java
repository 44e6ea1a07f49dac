package io.github.dsw.checksum;

import java.nio.ByteBuffer;
import java.util.Random;
import java.util.zip.Checksum;

/** Test helper: feeds bytes to a {@link Checksum} in random pieces through one of its entry points. */
enum Feed {
    ARRAY, HEAP_BUFFER, DIRECT_BUFFER, SINGLE_BYTES;

    /** Feeds all of {@code data} to {@code c} in random pieces drawn from {@code random}. */
    void all(Checksum c, byte[] data, Random random) {
        int i = 0;
        while (i < data.length) {
            int n = Math.min(data.length - i, random.nextInt(3) == 0 ? random.nextInt(4) : random.nextInt(300));
            piece(c, data, i, n);
            i += n;
        }
    }

    void piece(Checksum c, byte[] data, int off, int len) {
        switch (this) {
            case ARRAY -> c.update(data, off, len);
            case HEAP_BUFFER -> {
                // a slice with a non-zero array offset, position and limit, to exercise the offsets
                byte[] padded = new byte[len + 7];
                System.arraycopy(data, off, padded, 3, len);
                ByteBuffer b = ByteBuffer.wrap(padded, 1, len + 4).slice();
                b.position(2).limit(2 + len);
                c.update(b);
                if (b.hasRemaining()) {
                    throw new AssertionError("update(ByteBuffer) left " + b.remaining() + " bytes");
                }
            }
            case DIRECT_BUFFER -> {
                ByteBuffer b = ByteBuffer.allocateDirect(len + 5);
                b.position(5);
                b.put(data, off, len);
                b.position(5);
                c.update(b);
                if (b.hasRemaining()) {
                    throw new AssertionError("update(ByteBuffer) left " + b.remaining() + " bytes");
                }
            }
            case SINGLE_BYTES -> {
                for (int k = off; k < off + len; k++) {
                    c.update(data[k]);
                }
            }
        }
    }
}
