package io.github.dsw.runtime;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes the fields of an encoding, in the order a {@link WireReader} reads them back. The field
 * encodings, which every codec's Javadoc refers to:
 * <ul>
 *   <li>{@code byte}, {@code tag}: one byte (0..255).
 *   <li>{@code boolean}: one byte, 0 or 1.
 *   <li>{@code long}, {@code int}: zigzag varint (protobuf's {@code sint64}): n is mapped to
 *       {@code (n << 1) ^ (n >> 63)}, then written 7 bits at a time, low bits first, the high bit of each
 *       byte set if more follow; 1 byte for -64..63, at most 10 bytes. An int is a long in int range.
 *   <li>{@code length}: an int >= 0 (a count of bytes or elements); -1 marks null where a field is nullable.
 *   <li>{@code string}: length of its UTF-8 bytes (-1 for null), then the bytes.
 *   <li>{@code bytes}: length, then the bytes.
 *   <li>{@code enum}: its ordinal as an int (-1 for null). Enum constants may only be appended.
 *   <li>{@code nullable x}: boolean "present", then x if present.
 *   <li>{@code list}: length, then each element.
 *   <li>{@code sorted map}: length, then each key and value in strictly increasing key order.
 *   <li>{@code int set}: length, then each element in strictly increasing order.
 *   <li>{@code op value} (the value of a register operation, {@link io.github.dsw.check.HistoryEvent}):
 *       tag 0 null; tag 1 a Long, then the long; tag 2 a {@code Cas}, then expected and update (longs).
 * </ul>
 */
public final class WireWriter {

    /** Writes one field (or element, or whole record) of type {@code T}. */
    @FunctionalInterface
    public interface Field<T> {
        void write(WireWriter out, T value);
    }

    /** This thread's reusable writer for {@link #encode} (null while it is in use, so nested encodings get their own). */
    private static final ThreadLocal<WireWriter[]> SCRATCH = ThreadLocal.withInitial(() -> new WireWriter[] {new WireWriter(1024)});

    /** Buffers larger than this are not kept for reuse (an InstallSnapshot chunk, a huge batch). */
    private static final int MAX_KEPT = 1 << 20;

    /**
     * The bytes {@code fields} writes for {@code value}, as a new array of exactly that length; the same as writing
     * them to a {@code new WireWriter()} and calling {@link #toByteArray}, but the buffer is this thread's reused one,
     * so an encoding does not grow a fresh buffer from a few bytes by doubling and copying.
     */
    public static <T> byte[] encode(T value, Field<? super T> fields) {
        WireWriter[] slot = SCRATCH.get();
        WireWriter out = slot[0];
        if (out == null) {
            out = new WireWriter(); // an encoding inside an encoding on this thread
            fields.write(out, value);
            return out.toByteArray();
        }
        slot[0] = null;
        try {
            out.reset(MAX_KEPT);
            fields.write(out, value);
            return out.toByteArray();
        } finally {
            slot[0] = out;
        }
    }

    /** Default initial capacity: a small message (a client request with a short key, a vote) fits without growing. */
    private static final int INITIAL = 64;

    private byte[] buf;
    private int size;

    public WireWriter() {
        this(INITIAL);
    }

    /** A writer whose buffer starts with {@code capacity} bytes (it still grows as needed). */
    public WireWriter(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be >= 1, got " + capacity);
        }
        buf = new byte[capacity];
    }

    /** The bytes written so far. */
    public byte[] toByteArray() {
        return Arrays.copyOf(buf, size);
    }

    /** Number of bytes written so far. */
    public int size() {
        return size;
    }

    /** The bytes written from offset {@code from} (a {@link #size()} taken earlier) to now, as a new array. */
    public byte[] copyFrom(int from) {
        if (from < 0 || from > size) {
            throw new IllegalArgumentException("from must be in 0.." + size + ", got " + from);
        }
        return Arrays.copyOfRange(buf, from, size);
    }

    /**
     * Forgets what was written, keeping the buffer for the next encoding (a writer reused by one thread); a buffer
     * grown beyond {@code maxKept} bytes is dropped instead, so that one huge message does not stay allocated.
     */
    public void reset(int maxKept) {
        size = 0;
        if (buf.length > maxKept) {
            buf = new byte[INITIAL];
        }
    }

    /**
     * Appends {@code encoded} as it is, with no length: bytes that this class wrote earlier for a sequence of
     * fields (e.g. {@link #copyFrom}), so that a value encoded once can be repeated without encoding it again.
     */
    public void writeEncoded(byte[] encoded) {
        ensure(encoded.length);
        System.arraycopy(encoded, 0, buf, size, encoded.length);
        size += encoded.length;
    }

    public void writeByte(int b) {
        if (size == buf.length) {
            buf = Arrays.copyOf(buf, buf.length * 2);
        }
        buf[size++] = (byte) b;
    }

    /** Room for {@code n} more bytes (doubling, as {@link #writeByte} grows). */
    private void ensure(int n) {
        if (buf.length - size < n) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + n));
        }
    }

    public void writeTag(int tag) {
        if (tag < 0 || tag > 255) {
            throw new IllegalArgumentException("tag must be 0..255, got " + tag);
        }
        writeByte(tag);
    }

    public void writeBoolean(boolean b) {
        writeByte(b ? 1 : 0);
    }

    public void writeLong(long n) {
        long z = (n << 1) ^ (n >> 63);
        while ((z & ~0x7FL) != 0) {
            writeByte((int) (z & 0x7F) | 0x80);
            z >>>= 7;
        }
        writeByte((int) z);
    }

    public void writeInt(int n) {
        writeLong(n);
    }

    private void writeRaw(byte[] bytes) {
        writeInt(bytes.length);
        ensure(bytes.length);
        System.arraycopy(bytes, 0, buf, size, bytes.length); // one copy, not a call per byte (the cluster's hot path)
        size += bytes.length;
    }

    /** Null or a string; throws {@link CodecException} for a string that is not valid Unicode (a lone surrogate). */
    public void writeString(String s) {
        if (s == null) {
            writeInt(-1);
            return;
        }
        if (!hasSurrogate(s)) {
            // no surrogate, so nothing unencodable: String.getBytes gives exactly the strict encoder's bytes,
            // without building an encoder and two buffers per string
            writeRaw(s.getBytes(StandardCharsets.UTF_8));
            return;
        }
        try {
            ByteBuffer b = StandardCharsets.UTF_8.newEncoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .encode(CharBuffer.wrap(s));
            byte[] bytes = new byte[b.remaining()];
            b.get(bytes);
            writeRaw(bytes);
        } catch (CharacterCodingException e) {
            throw new CodecException("cannot encode a string that is not valid Unicode (a lone surrogate?): " + e.getMessage(), e);
        }
    }

    private static boolean hasSurrogate(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (Character.isSurrogate(s.charAt(i))) {
                return true;
            }
        }
        return false;
    }

    public void writeBytes(byte[] bytes) {
        writeRaw(required(bytes, "byte array"));
    }

    public void writeEnum(Enum<?> e) {
        writeInt(e == null ? -1 : e.ordinal());
    }

    public void writeNullableLong(Long n) {
        writeNullable(n, WireWriter::writeLong);
    }

    public <T> void writeNullable(T value, Field<? super T> field) {
        writeBoolean(value != null);
        if (value != null) {
            field.write(this, value);
        }
    }

    public <T> void writeList(List<T> list, Field<? super T> element) {
        writeInt(required(list, "list").size());
        for (T t : list) {
            element.write(this, t);
        }
    }

    /** A map in key order (whatever the map's own iteration order). */
    public <K extends Comparable<K>, V> void writeSortedMap(Map<K, V> map, Field<? super K> key, Field<? super V> value) {
        TreeMap<K, V> sorted = new TreeMap<>(required(map, "map"));
        writeInt(sorted.size());
        for (Map.Entry<K, V> e : sorted.entrySet()) {
            key.write(this, e.getKey());
            value.write(this, e.getValue());
        }
    }

    /** A set of ints in increasing order (whatever the set's own iteration order). */
    public void writeIntSet(Collection<Integer> set) {
        int[] sorted = required(set, "set").stream().mapToInt(Integer::intValue).sorted().toArray();
        writeInt(sorted.length);
        for (int i : sorted) {
            writeInt(i);
        }
    }

    /** {@code value}, or a {@link CodecException} naming {@code what} if it is null. */
    public static <T> T required(T value, String what) {
        if (value == null) {
            throw new CodecException("cannot encode a null " + what);
        }
        return value;
    }
}
