package io.github.dsw.runtime;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Reads back what a {@link WireWriter} wrote (its Javadoc gives each field's encoding). Every read checks
 * the bytes and throws {@link CodecException} naming the family being decoded, the byte offset and the
 * problem: truncated, negative length, a boolean that is not 0 or 1, an overlong varint, an int out of
 * range, malformed UTF-8, an unknown enum ordinal or tag, map keys out of order, trailing bytes.
 */
public final class WireReader {

    /** Reads one field (or element, or whole record) of type {@code T}. */
    @FunctionalInterface
    public interface Field<T> {
        T read(WireReader in);
    }

    private final byte[] bytes;
    private final String family;
    private int pos;

    /**
     * @param bytes  the encoding (not copied: do not change it while reading)
     * @param family what is being decoded, for error messages
     */
    public WireReader(byte[] bytes, String family) {
        if (bytes == null || family == null) {
            throw new IllegalArgumentException("bytes and family must not be null");
        }
        this.bytes = bytes;
        this.family = family;
    }

    /** Offset of the next byte to read. */
    public int position() {
        return pos;
    }

    /** A {@link CodecException} about the bytes at {@code at}. */
    public CodecException error(int at, String problem) {
        return new CodecException(family + ": " + problem + " at byte " + at);
    }

    /** The exception for a tag {@code tag} that no record of {@code of} has (the tag byte was just read). */
    public CodecException unknownTag(int tag, String of) {
        return error(pos - 1, "unknown tag " + tag + " for " + of);
    }

    /** One byte, 0..255. */
    public int readByte() {
        if (pos >= bytes.length) {
            throw new CodecException(family + ": truncated at byte " + pos + " (" + bytes.length + " bytes, 1 more needed)");
        }
        return bytes[pos++] & 0xFF;
    }

    public int readTag() {
        return readByte();
    }

    public boolean readBoolean() {
        int at = pos;
        int b = readByte();
        if (b > 1) {
            throw error(at, "invalid boolean " + b + " (expected 0 or 1)");
        }
        return b == 1;
    }

    public long readLong() {
        int at = pos;
        long z = 0;
        for (int shift = 0; ; shift += 7) {
            int b = readByte();
            if (shift == 63 && b > 1) {
                throw error(at, "varint longer than 64 bits");
            }
            if (shift > 0 && b == 0) {
                throw error(at, "overlong varint (a trailing zero byte)"); // one encoding per value
            }
            z |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return (z >>> 1) ^ -(z & 1);
            }
        }
    }

    public int readInt() {
        int at = pos;
        long n = readLong();
        if (n != (int) n) {
            throw error(at, "int out of range: " + n);
        }
        return (int) n;
    }

    /** A length >= 0 that fits in the remaining bytes (each counted item takes at least one byte). */
    private int readLength(boolean nullable) {
        int at = pos;
        int n = readInt();
        if (n == -1 && nullable) {
            return -1;
        }
        if (n < 0) {
            throw error(at, "negative length " + n);
        }
        if (n > bytes.length - pos) {
            throw new CodecException(family + ": truncated at byte " + pos + " (length " + n + " read at byte " + at
                    + ", only " + (bytes.length - pos) + " bytes remain)");
        }
        return n;
    }

    private byte[] readRaw(int n) {
        byte[] b = new byte[n];
        System.arraycopy(bytes, pos, b, 0, n);
        pos += n;
        return b;
    }

    public String readString() {
        int n = readLength(true);
        if (n < 0) {
            return null;
        }
        int at = pos;
        // ASCII is valid UTF-8 with one byte per char: the strict decoder would give the same string. The JDK's ASCII
        // decoding checks the bytes with one vectorised scan and replaces any byte >= 0x80 by U+FFFD, so no U+FFFD in
        // the result means every byte was ASCII (and on such a compact string the search for U+FFFD is immediate)
        String ascii = new String(bytes, pos, n, StandardCharsets.US_ASCII);
        if (ascii.indexOf('\uFFFD') < 0) {
            pos += n;
            return ascii;
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(readRaw(n)))
                    .toString();
        } catch (CharacterCodingException e) {
            throw error(at, "malformed UTF-8 in a string of " + n + " bytes");
        }
    }

    public byte[] readBytes() {
        return readRaw(readLength(false));
    }

    public <E extends Enum<E>> E readEnum(Class<E> type) {
        int at = pos;
        int ordinal = readInt();
        E[] values = type.getEnumConstants();
        if (ordinal == -1) {
            return null;
        }
        if (ordinal < 0 || ordinal >= values.length) {
            throw error(at, "unknown " + type.getSimpleName() + " ordinal " + ordinal + " (expected -1.." + (values.length - 1) + ")");
        }
        return values[ordinal];
    }

    public Long readNullableLong() {
        return readNullable(WireReader::readLong);
    }

    public <T> T readNullable(Field<T> field) {
        return readBoolean() ? field.read(this) : null;
    }

    /** An unmodifiable list (elements may be null if the element field allows it). */
    public <T> List<T> readList(Field<T> element) {
        int n = readLength(false);
        List<T> list = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            list.add(element.read(this));
        }
        return Collections.unmodifiableList(list);
    }

    /** An unmodifiable sorted map; keys must come in strictly increasing order (one encoding per map). */
    public <K extends Comparable<K>, V> SortedMap<K, V> readSortedMap(Field<K> key, Field<V> value) {
        int n = readLength(false);
        TreeMap<K, V> map = new TreeMap<>();
        for (int i = 0; i < n; i++) {
            int at = pos;
            K k = key.read(this);
            if (!map.isEmpty() && map.lastKey().compareTo(k) >= 0) {
                throw error(at, "map key " + k + " not above the previous key " + map.lastKey());
            }
            map.put(k, value.read(this));
        }
        return Collections.unmodifiableSortedMap(map);
    }

    /** An unmodifiable sorted set of ints in strictly increasing order. */
    public SortedSet<Integer> readIntSet() {
        int n = readLength(false);
        TreeSet<Integer> set = new TreeSet<>();
        for (int i = 0; i < n; i++) {
            int at = pos;
            int v = readInt();
            if (!set.isEmpty() && set.last() >= v) {
                throw error(at, "set element " + v + " not above the previous element " + set.last());
            }
            set.add(v);
        }
        return Collections.unmodifiableSortedSet(set);
    }

    /** Checks that every byte was read. */
    public void finish() {
        if (pos != bytes.length) {
            throw error(pos, (bytes.length - pos) + " trailing bytes after a complete " + family);
        }
    }
}
