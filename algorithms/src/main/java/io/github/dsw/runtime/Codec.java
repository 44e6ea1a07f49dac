package io.github.dsw.runtime;

/**
 * A versioned binary encoding of one family of values (a protocol's messages, or its durable state),
 * for a transport or a disk that needs bytes instead of objects.
 *
 * <p>Every encoding made with {@link #framed} has the same frame: byte 0 is the format
 * {@link #VERSION}, byte 1 the record tag (one stable number per record type of the family, written as
 * constants in each codec), then the record's fields in declaration order, written with
 * {@link WireWriter} (its Javadoc gives the encoding of each field type). Nothing follows the last field.
 *
 * <p>Contract: {@code decode(encode(x)).equals(x)} for every value the codec accepts; {@link #decode}
 * throws {@link CodecException} naming the problem (truncated at byte N, unknown version, unknown tag,
 * trailing bytes, negative length, a field the record's constructor refuses) and never returns a value
 * for bytes that are not exactly one encoding.
 *
 * @param <T> the family's type
 */
public interface Codec<T> {

    /** The only format version so far. */
    int VERSION = 1;

    /** The bytes of {@code value}; throws {@link CodecException} if the codec has no encoding for it. */
    byte[] encode(T value);

    /** The value encoded in {@code bytes}; throws {@link CodecException} if they are not exactly one encoding. */
    T decode(byte[] bytes);

    /**
     * The codec of the frame described above: {@code body} writes a value's tag and fields (after the
     * version byte), {@code reading} reads a tag and the fields it announces and builds the value. A record constructor's refusal ({@link IllegalArgumentException}) during decoding
     * becomes a {@link CodecException}, and so do leftover bytes.
     *
     * @param family the family's name, used in error messages ("RaftMessage")
     */
    static <T> Codec<T> framed(String family, WireWriter.Field<T> body, WireReader.Field<T> reading) {
        if (family == null || body == null || reading == null) {
            throw new IllegalArgumentException("family, body and reading must not be null, got " + family + ", " + body + ", " + reading);
        }
        WireWriter.Field<T> frame = (out, value) -> {
            out.writeByte(VERSION);
            body.write(out, value);
        };
        return new Codec<>() {
            @Override
            public byte[] encode(T value) {
                if (value == null) {
                    throw new CodecException("cannot encode a null " + family);
                }
                return WireWriter.encode(value, frame); // this thread's reused buffer, one copy out
            }

            @Override
            public T decode(byte[] bytes) {
                if (bytes == null) {
                    throw new CodecException("cannot decode null bytes as a " + family);
                }
                WireReader in = new WireReader(bytes, family);
                int version = in.readByte();
                if (version != VERSION) {
                    throw new CodecException(family + ": unknown version " + version + " (expected " + VERSION + ")");
                }
                T value;
                try {
                    value = reading.read(in);
                } catch (IllegalArgumentException | NullPointerException e) {
                    throw new CodecException(family + ": invalid field value before byte " + in.position() + ": " + e.getMessage(), e);
                }
                in.finish();
                return value;
            }

            @Override
            public String toString() {
                return "Codec[" + family + ", version " + VERSION + "]";
            }
        };
    }
}
