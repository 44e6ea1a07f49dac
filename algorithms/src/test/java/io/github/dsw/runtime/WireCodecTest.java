package io.github.dsw.runtime;

import io.github.dsw.check.OperationValue;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.dsw.check.HistoryEvent.Cas;
import io.github.dsw.check.HistoryEvent.Fn;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** The field encodings of {@link WireWriter} and the checks of {@link WireReader}, one field at a time. */
class WireCodecTest {

    private static byte[] written(Consumer<WireWriter> body) {
        WireWriter out = new WireWriter();
        body.accept(out);
        return out.toByteArray();
    }

    private static <T> T read(byte[] bytes, Function<WireReader, T> field) {
        WireReader in = new WireReader(bytes, "test");
        T value = field.apply(in);
        in.finish();
        return value;
    }

    private static String rejection(byte[] bytes, Function<WireReader, ?> field) {
        return assertThrows(CodecException.class, () -> read(bytes, field)).getMessage();
    }

    @Test
    void zigzagVarintsMatchProtobufSint64() {
        // protobuf's documented zigzag table: 0 -> 0, -1 -> 1, 1 -> 2, -2 -> 3, 2147483647 -> 4294967294
        assertArrayEquals(new byte[] {0}, written(o -> o.writeLong(0)));
        assertArrayEquals(new byte[] {1}, written(o -> o.writeLong(-1)));
        assertArrayEquals(new byte[] {2}, written(o -> o.writeLong(1)));
        assertArrayEquals(new byte[] {3}, written(o -> o.writeLong(-2)));
        assertArrayEquals(new byte[] {(byte) 0xFE, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x0F}, written(o -> o.writeLong(Integer.MAX_VALUE)));
        assertEquals(10, written(o -> o.writeLong(Long.MIN_VALUE)).length);
    }

    @Test
    void longsRoundTripIncludingEdges() {
        Random r = new Random(5);
        for (int i = 0; i < 100_000; i++) {
            long n = i < 4 ? new long[] {Long.MIN_VALUE, Long.MAX_VALUE, 0, -1}[i] : r.nextLong() >> r.nextInt(64);
            assertEquals(n, read(written(o -> o.writeLong(n)), WireReader::readLong), "seed=5 #" + i);
        }
    }

    @Test
    void overlongAndOversizedVarintsAreRejected() {
        assertTrue(rejection(new byte[] {(byte) 0x80, 0}, WireReader::readLong).contains("overlong varint (a trailing zero byte) at byte 0"));
        byte[] eleven = {-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, 1};
        assertTrue(rejection(eleven, WireReader::readLong).contains("varint longer than 64 bits at byte 0"));
        byte[] big = written(o -> o.writeLong(1L << 40));
        assertTrue(rejection(big, WireReader::readInt).contains("int out of range: 1099511627776 at byte 0"));
    }

    @Test
    void booleansAreZeroOrOne() {
        assertTrue(rejection(new byte[] {2}, WireReader::readBoolean).contains("invalid boolean 2 (expected 0 or 1) at byte 0"));
    }

    @Test
    void stringsAreStrictUtf8() {
        for (String s : new String[] {"", "abc", "ключ", "😀", "a\u0000b"}) {
            assertEquals(s, read(written(o -> o.writeString(s)), WireReader::readString));
        }
        assertNull(read(written(o -> o.writeString(null)), WireReader::readString));
        assertTrue(rejection(new byte[] {2, (byte) 0xC0, (byte) 0x80}, WireReader::readString).contains("malformed UTF-8"));
        CodecException e = assertThrows(CodecException.class, () -> written(o -> o.writeString("\uD800")));
        assertTrue(e.getMessage().contains("not valid Unicode"), e.getMessage());
    }

    @Test
    void lengthsAreCheckedBeforeAllocating() {
        assertTrue(rejection(new byte[] {5}, WireReader::readBytes).contains("negative length -3 at byte 0"));
        assertTrue(rejection(new byte[] {1}, WireReader::readBytes).contains("negative length -1 at byte 0")); // null only for strings
        assertTrue(rejection(new byte[] {3}, WireReader::readString).contains("negative length -2 at byte 0"));
        String huge = rejection(written(o -> o.writeInt(Integer.MAX_VALUE)), WireReader::readBytes);
        assertTrue(huge.contains("truncated at byte 5 (length 2147483647 read at byte 0, only 0 bytes remain)"), huge);
    }

    @Test
    void enumsAreOrdinalsWithMinusOneForNull() {
        assertEquals(Fn.CAS, read(written(o -> o.writeEnum(Fn.CAS)), in -> in.readEnum(Fn.class)));
        assertNull(read(written(o -> o.writeEnum(null)), in -> in.readEnum(Fn.class)));
        assertTrue(rejection(written(o -> o.writeInt(3)), in -> in.readEnum(Fn.class)).contains("unknown Fn ordinal 3 (expected -1..2) at byte 0"));
    }

    @Test
    void mapsAreWrittenInKeyOrderAndReadOnlyInKeyOrder() {
        Map<Long, String> m = Map.of(3L, "c", 1L, "a", 2L, "b");
        byte[] b = written(o -> o.writeSortedMap(m, WireWriter::writeLong, WireWriter::writeString));
        assertEquals(new TreeMap<>(m), read(b, in -> in.readSortedMap(WireReader::readLong, WireReader::readString)));
        byte[] unordered = written(o -> {
            o.writeInt(2);
            o.writeLong(2);
            o.writeString("b");
            o.writeLong(1);
            o.writeString("a");
        });
        assertTrue(rejection(unordered, in -> in.readSortedMap(WireReader::readLong, WireReader::readString))
                .contains("map key 1 not above the previous key 2 at byte 4"));
        byte[] duplicate = written(o -> {
            o.writeInt(2);
            o.writeInt(7);
            o.writeInt(7);
        });
        assertTrue(rejection(duplicate, WireReader::readIntSet).contains("set element 7 not above the previous element 7 at byte 2"));
    }

    @Test
    void opValuesAreNullLongOrCas() {
        for (Object v : new Object[] {null, 5L, new Cas(1, 2), Cas.fromNil(7)}) {
            assertEquals(v, read(written(o -> OperationValue.write(o, v)), OperationValue::read));
        }
        assertTrue(rejection(new byte[] {9}, OperationValue::read).contains("unknown tag 9 for an operation's value at byte 0"));
        CodecException e = assertThrows(CodecException.class, () -> written(o -> OperationValue.write(o, "x")));
        assertTrue(e.getMessage().contains("java.lang.String"), e.getMessage());
    }

    @Test
    void listsKeepOrderAndNullsAreMarked() {
        List<Long> l = java.util.Arrays.asList(1L, null, -7L);
        byte[] b = written(o -> o.writeList(l, (w, x) -> w.writeNullable(x, WireWriter::writeLong)));
        assertEquals(l, read(b, in -> in.readList(r -> r.readNullable(WireReader::readLong))));
    }

    @Test
    void theFrameRejectsNullAndEmptyInput() {
        Codec<Long> c = Codec.framed("Counter", (o, n) -> {
            o.writeTag(1);
            o.writeLong(n);
        }, in -> {
            int t = in.readTag();
            if (t != 1) {
                throw in.unknownTag(t, "Counter");
            }
            return in.readLong();
        });
        assertEquals(42L, c.decode(c.encode(42L)));
        assertArrayEquals(new byte[] {1, 1, 84}, c.encode(42L));
        assertTrue(assertThrows(CodecException.class, () -> c.decode(new byte[0])).getMessage().contains("Counter: truncated at byte 0"));
        assertTrue(assertThrows(CodecException.class, () -> c.decode(null)).getMessage().contains("null bytes"));
        assertTrue(assertThrows(CodecException.class, () -> c.encode(null)).getMessage().contains("null Counter"));
    }
}
