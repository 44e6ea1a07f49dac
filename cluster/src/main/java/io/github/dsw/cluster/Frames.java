package io.github.dsw.cluster;

import io.github.dsw.runtime.CodecException;
import io.github.dsw.runtime.WireReader;
import io.github.dsw.runtime.WireWriter;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Locale;

/**
 * The wire format between processes: a stream of frames over one TCP connection, each a
 * {@link LogRecords} record (length, CRC-32C of the length, CRC-32C of the payload, payload: the same
 * 12-byte header as on disk). The payload's first byte is its kind:
 * <pre>
 * kind  frame    rest of the payload
 *  1    HELLO    string "dsw", string protocol, enum role (PEER, CLIENT, ADMIN), int sender id: the first frame
 *                of every connection, in both directions for clients and admins (the dialled node answers with
 *                its own hello, or an ERROR and a close if the protocol differs)
 *  2    MESSAGE  the protocol codec's bytes of one message (e.g. KvCodec.MESSAGES)
 *  3    ADMIN    string command ("status", "block 1,2", "unblock")
 *  4    TEXT     string (an admin's answer)
 *  5    ERROR    string (why the connection is refused; the sender closes it)
 *  6    MUX      4-byte big-endian client id, then the codec's bytes of one message: a client connection that
 *                carries several clients' sessions ({@link ClientMux}); the node treats the message as one from
 *                that client id (at least the number of servers) and answers it with a MUX frame on the same
 *                connection
 * </pre>
 * A frame whose payload checksum fails is dropped and counted, never decoded; the stream stays in step
 * because the length was verified by its own checksum. A frame whose length checksum fails (or an
 * impossible length) leaves no way to find the next frame: the connection is closed and counted.
 */
public final class Frames {

    public static final int HELLO = 1;
    public static final int MESSAGE = 2;
    public static final int ADMIN = 3;
    public static final int TEXT = 4;
    public static final int ERROR = 5;
    public static final int MUX = 6;

    /** Largest frame accepted (an InstallSnapshot chunk or a batch of entries fits well below it). */
    public static final int MAX_FRAME = 64 << 20;

    /** Who opened a connection. */
    public enum Role { PEER, CLIENT, ADMIN }

    /** The first frame of a connection. */
    public record Hello(String protocol, Role role, int id) {
    }

    /** A frame read: its kind and the rest of its payload; {@code corrupt} when its payload checksum failed. */
    public record Frame(int kind, byte[] body, boolean corrupt) {
    }

    /** The connection is unusable: a damaged length, an impossible length. */
    public static final class BrokenStreamException extends IOException {
        public BrokenStreamException(String message) {
            super(message);
        }
    }

    private Frames() {
    }

    /** The bytes of a frame of {@code kind} carrying {@code body}. */
    public static byte[] frame(int kind, byte[] body) {
        // LogRecords.encode's layout built in place: one array, one copy of the body (this is on every message's path)
        int len = body.length + 1;
        if (len > LogRecords.MAX_PAYLOAD) {
            throw new IllegalArgumentException("a record payload must be at most " + LogRecords.MAX_PAYLOAD + " bytes, got " + len);
        }
        byte[] out = new byte[LogRecords.HEADER + len];
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(out);
        b.putInt(0, len);
        b.putInt(4, Crc32c.of(out, 0, 4));
        out[LogRecords.HEADER] = (byte) kind;
        System.arraycopy(body, 0, out, LogRecords.HEADER + 1, body.length);
        b.putInt(8, Crc32c.of(out, LogRecords.HEADER, len));
        return out;
    }

    /**
     * Writes the frame of {@code kind} carrying {@code body} (the bytes of {@link #frame}) without building it in
     * one array: the 13-byte head, then the body as it is (a buffered stream copies it once, into its buffer).
     *
     * @return the frame's length in bytes
     */
    public static int write(OutputStream out, int kind, byte[] body) throws IOException {
        int len = body.length + 1;
        if (len > LogRecords.MAX_PAYLOAD) {
            throw new IllegalArgumentException("a record payload must be at most " + LogRecords.MAX_PAYLOAD + " bytes, got " + len);
        }
        byte[] head = new byte[LogRecords.HEADER + 1];
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(head);
        b.putInt(0, len);
        b.putInt(4, Crc32c.of(head, 0, 4));
        head[LogRecords.HEADER] = (byte) kind;
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        crc.update(kind);
        crc.update(body, 0, body.length);
        b.putInt(8, (int) crc.getValue());
        out.write(head);
        out.write(body);
        return head.length + body.length;
    }

    /** A MUX frame: {@code message} (a codec's bytes) to or from client {@code clientId}. */
    public static byte[] mux(int clientId, byte[] message) {
        byte[] body = new byte[4 + message.length];
        java.nio.ByteBuffer.wrap(body).putInt(0, clientId);
        System.arraycopy(message, 0, body, 4, message.length);
        return frame(MUX, body);
    }

    public static byte[] hello(Hello h) {
        WireWriter w = new WireWriter();
        w.writeString("dsw");
        w.writeString(h.protocol());
        w.writeEnum(h.role());
        w.writeInt(h.id());
        return frame(HELLO, w.toByteArray());
    }

    public static Hello parseHello(byte[] body) {
        WireReader r = new WireReader(body, "hello");
        String magic = r.readString();
        if (!magic.equals("dsw")) {
            throw new CodecException("not a DS Workbench hello (magic '" + magic + "')");
        }
        Hello h = new Hello(r.readString(), r.readEnum(Role.class), r.readInt());
        r.finish();
        return h;
    }

    public static byte[] text(int kind, String s) {
        WireWriter w = new WireWriter();
        w.writeString(s);
        return frame(kind, w.toByteArray());
    }

    public static String parseText(byte[] body) {
        WireReader r = new WireReader(body, "text frame");
        String s = r.readString();
        r.finish();
        return s;
    }

    /** Writes one frame (the caller flushes). */
    public static void write(OutputStream out, byte[] frame) throws IOException {
        out.write(frame);
    }

    /**
     * Reads the next frame; null at a clean end of stream (between frames).
     *
     * @throws BrokenStreamException the length is damaged or impossible: close the connection
     * @throws EOFException          the stream ended inside a frame
     */
    public static Frame read(DataInputStream in) throws IOException {
        byte[] header = new byte[LogRecords.HEADER];
        int len = readHeader(in, header);
        if (len < 0) {
            return null;
        }
        // the kind byte, then the body straight into its own array (no payload array copied): the checksum covers both
        byte kind = in.readByte();
        byte[] body = new byte[len - 1];
        in.readFully(body);
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        crc.update(kind);
        crc.update(body, 0, body.length);
        boolean corrupt = (int) crc.getValue() != LogRecords.getInt(header, 8);
        return new Frame(kind, body, corrupt);
    }

    /**
     * Reads a frame's header into {@code header} ({@link LogRecords#HEADER} bytes) and checks it: the payload's length
     * (kind byte + body), or -1 at a clean end of stream. A length whose checksum fails or that is impossible breaks the
     * stream ({@link BrokenStreamException}); the payload's own checksum, {@code getInt(header, 8)}, is the caller's.
     */
    static int readHeader(DataInputStream in, byte[] header) throws IOException {
        int first = in.read();
        if (first < 0) {
            return -1;
        }
        header[0] = (byte) first;
        in.readFully(header, 1, LogRecords.HEADER - 1);
        return headerLength(header, 0);
    }

    /**
     * The payload's length given by the frame header at {@code a[p..p + HEADER)}, checked as {@link #readHeader} checks
     * it, for a reader that parses frames in its own buffer: a length whose checksum fails or that is impossible
     * breaks the stream ({@link BrokenStreamException}).
     */
    static int headerLength(byte[] a, int p) throws BrokenStreamException {
        int len = LogRecords.getInt(a, p);
        if (Crc32c.of(a, p, 4) != LogRecords.getInt(a, p + 4)) {
            throw new BrokenStreamException("frame length checksum mismatch");
        }
        if (len < 1 || len > MAX_FRAME) {
            throw new BrokenStreamException(String.format(Locale.ROOT, "impossible frame length %d (1..%d)", len, MAX_FRAME));
        }
        return len;
    }

    /** What a reader that parses frames in its own buffer ({@link #scan}) does with each complete frame. */
    interface FrameSink {
        /** The frame whose payload (kind byte, then body) is {@code a[payload, payload + len)}; {@code intact}: its checksum holds. */
        void frame(byte[] a, int payload, int len, boolean intact);
    }

    /**
     * Hands every complete frame in {@code a[p, end)} to {@code sink}, in order, each header checked as
     * {@link #readHeader} checks it, and returns where the first unfinished frame starts ({@code end} if none). The
     * frames before a broken header are handed out before {@link BrokenStreamException} is thrown.
     */
    static int scan(byte[] a, int p, int end, FrameSink sink) throws BrokenStreamException {
        while (end - p >= LogRecords.HEADER) {
            int len = headerLength(a, p);
            if (end - p < LogRecords.HEADER + len) {
                break;
            }
            int payload = p + LogRecords.HEADER;
            p = payload + len;
            sink.frame(a, payload, len, Crc32c.of(a, payload, len) == LogRecords.getInt(a, payload - 4));
        }
        return p;
    }

    /**
     * The buffer for the next read after {@link #scan} returned {@code p}: the unfinished frame {@code a[p, end)} moved
     * to its start ({@code end - p} bytes), in {@code a} itself unless the frame, once its header is in, needs more room.
     */
    static byte[] keepUnfinished(byte[] a, int p, int end) throws BrokenStreamException {
        int need = end - p >= LogRecords.HEADER ? LogRecords.HEADER + headerLength(a, p) : 0;
        byte[] next = need > a.length ? new byte[need] : a;
        if (next != a || p > 0) {
            System.arraycopy(a, p, next, 0, end - p);
        }
        return next;
    }
}
