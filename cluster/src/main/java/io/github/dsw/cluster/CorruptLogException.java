package io.github.dsw.cluster;

import java.nio.file.Path;

/**
 * A durable file holds a record that is complete but wrong (a CRC mismatch, an impossible length, a
 * damaged file header), or a file that must be complete is not: recovery refuses to start rather than
 * return a wrong value or silently drop an acknowledged write. Names the file and the byte offset.
 */
public final class CorruptLogException extends RuntimeException {
    private final Path file;
    private final long offset;

    public CorruptLogException(Path file, long offset, String problem) {
        super(file + " at byte " + offset + ": " + problem + " (refusing to recover; the data folder needs a repair or a copy from another replica)");
        this.file = file;
        this.offset = offset;
    }

    public Path file() {
        return file;
    }

    public long offset() {
        return offset;
    }
}
