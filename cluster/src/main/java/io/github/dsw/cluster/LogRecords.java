package io.github.dsw.cluster;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The record format of every durable file (log segments and snapshot files), and the scan that recovery
 * runs over one file. A record is
 * <pre>
 * offset  size  field
 *   0      4    length L of the payload (big-endian, 0 .. {@link #MAX_PAYLOAD})
 *   4      4    CRC-32C of bytes 0..3 (the length field alone)
 *   8      4    CRC-32C of the payload
 *  12      L    payload
 * </pre>
 * The length has a checksum of its own so that a damaged length is recognised as damage instead of being
 * followed to a wrong place (or read as "the file ends in the middle of this record", which would make a
 * flipped bit look like a torn write and drop a good record). A file starts with an 8-byte magic naming
 * its kind ({@link #SEGMENT_MAGIC}, {@link #SNAPSHOT_MAGIC}).
 *
 * <p>Recovery rules ({@link #scan}), after etcd's WAL and LevelDB's log reader:
 * <ul>
 *   <li><b>torn tail</b>: in the LAST segment only, an incomplete record at the end (the header or the
 *       payload cut short by the end of the file), or a tail of zero bytes (blocks a crash left
 *       allocated but unwritten), ends the scan: the records before it are the log, and the caller
 *       truncates the file there. Such a record was never acknowledged: the writer forces a record
 *       before anything that depends on it leaves the process;</li>
 *   <li><b>corruption</b>: a complete record whose length or payload checksum does not match, a damaged
 *       magic, or an incomplete record anywhere but the tail of the last segment is refused with a
 *       {@link CorruptLogException} naming the file and the offset. Recovering around it could return a
 *       wrong value or drop an acknowledged write.</li>
 * </ul>
 */
public final class LogRecords {

    /** Bytes before a record's payload. */
    public static final int HEADER = 12;

    /** The largest payload accepted (a length above it in a valid header is refused as corrupt). */
    public static final int MAX_PAYLOAD = 256 << 20;

    /** First 8 bytes of a log segment. */
    public static final byte[] SEGMENT_MAGIC = "DSWLOG01".getBytes(StandardCharsets.US_ASCII);

    /** First 8 bytes of a snapshot file. */
    public static final byte[] SNAPSHOT_MAGIC = "DSWSNP01".getBytes(StandardCharsets.US_ASCII);

    /**
     * What a scan found: the payloads in order, where the valid part of the file ends, and whether a torn
     * tail followed it (the file is longer than {@code validEnd}).
     */
    public record Scan(List<byte[]> records, List<Integer> offsets, long validEnd, boolean torn) {
    }

    private LogRecords() {
    }

    /** The bytes of one record holding {@code payload}. */
    public static byte[] encode(byte[] payload) {
        if (payload.length > MAX_PAYLOAD) {
            throw new IllegalArgumentException("a record payload must be at most " + MAX_PAYLOAD + " bytes, got " + payload.length);
        }
        ByteBuffer b = ByteBuffer.allocate(HEADER + payload.length);
        b.putInt(payload.length);
        b.putInt(Crc32c.of(b.array(), 0, 4));
        b.putInt(Crc32c.of(payload));
        b.put(payload);
        return b.array();
    }

    /**
     * Scans the whole content of {@code file}, which must start with {@code magic}. {@code last}: whether
     * this is the last file of its log, the only place a torn tail may be (a snapshot file is written to a
     * temporary name and renamed when complete, so it is never "last").
     */
    public static Scan scan(Path file, byte[] content, byte[] magic, boolean last) {
        int n = content.length;
        if (n < magic.length) {
            if (last && (isPrefix(content, magic) || allZero(content, 0, n))) {
                return new Scan(List.of(), List.of(), 0, n > 0); // created, magic not (fully) written: an empty log
            }
            throw new CorruptLogException(file, 0, "file of " + n + " bytes is too short for its " + magic.length + "-byte header");
        }
        if (!Arrays.equals(content, 0, magic.length, magic, 0, magic.length)) {
            if (last && allZero(content, 0, n)) {
                return new Scan(List.of(), List.of(), 0, true);
            }
            throw new CorruptLogException(file, 0, "not a " + new String(magic, StandardCharsets.US_ASCII) + " file (wrong magic)");
        }
        List<byte[]> records = new ArrayList<>();
        List<Integer> offsets = new ArrayList<>();
        int pos = magic.length;
        while (pos < n) {
            int remaining = n - pos;
            if (remaining < HEADER) {
                return torn(file, content, records, offsets, pos, last, "incomplete record header (" + remaining + " of " + HEADER + " bytes)");
            }
            int len = getInt(content, pos);
            if (Crc32c.of(content, pos, 4) != getInt(content, pos + 4)) {
                if (last && allZero(content, pos, n)) {
                    return new Scan(records, offsets, pos, true);
                }
                throw new CorruptLogException(file, pos, "record length checksum mismatch");
            }
            if (len < 0 || len > MAX_PAYLOAD) {
                throw new CorruptLogException(file, pos, "impossible record length " + len);
            }
            if (remaining - HEADER < len) {
                return torn(file, content, records, offsets, pos, last, "record of " + len + " bytes cut short at " + (remaining - HEADER));
            }
            if (Crc32c.of(content, pos + HEADER, len) != getInt(content, pos + 8)) {
                if (last && allZero(content, pos + HEADER, n)) {
                    return new Scan(records, offsets, pos, true); // header written, payload blocks never were
                }
                throw new CorruptLogException(file, pos, "record checksum mismatch (payload of " + len + " bytes)");
            }
            offsets.add(pos);
            records.add(Arrays.copyOfRange(content, pos + HEADER, pos + HEADER + len));
            pos += HEADER + len;
        }
        return new Scan(records, offsets, pos, false);
    }

    private static Scan torn(Path file, byte[] content, List<byte[]> records, List<Integer> offsets, int pos, boolean last, String problem) {
        if (!last) {
            throw new CorruptLogException(file, pos, problem + " in a file that is not the last of its log");
        }
        return new Scan(records, offsets, pos, true);
    }

    static int getInt(byte[] b, int at) {
        return ((b[at] & 0xff) << 24) | ((b[at + 1] & 0xff) << 16) | ((b[at + 2] & 0xff) << 8) | (b[at + 3] & 0xff);
    }

    private static boolean allZero(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return true;
    }

    private static boolean isPrefix(byte[] b, byte[] magic) {
        return Arrays.equals(b, 0, b.length, magic, 0, b.length);
    }
}
