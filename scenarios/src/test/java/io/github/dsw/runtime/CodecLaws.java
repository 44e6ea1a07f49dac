package io.github.dsw.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.github.dsw.check.HistoryEvent.Cas;
import io.github.dsw.check.HistoryEvent.Fn;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The laws every {@link Codec} must obey, checked on random instances from a per-family generator, and
 * the random pieces those generators share. A failure names the seed, the type and the instance number;
 * the same seed regenerates the same instances.
 */
public final class CodecLaws {

    /** Seeds of the random instances (each type gets {@link #PER_SEED} instances per seed). */
    public static final long[] SEEDS = {1, 7, 20_260_101};
    public static final int PER_SEED = 1000;

    private CodecLaws() {
    }

    /** A generator of random instances of one family, by record type. */
    public static final class Generators<T> {
        private final Map<Class<?>, Function<Random, ? extends T>> byType = new LinkedHashMap<>();

        public <R extends T> Generators<T> add(Class<R> type, Function<Random, R> generator) {
            byType.put(type, generator);
            return this;
        }

        public Set<Class<?>> types() {
            return byType.keySet();
        }

        public Map<Class<?>, Function<Random, ? extends T>> byType() {
            return byType;
        }
    }

    /** Every permitted subclass of {@code sealed} has a generator (so a new record fails until it has a codec). */
    public static void coversPermittedSubclasses(Class<?> sealed, Generators<?> gens) {
        assertTrue(sealed.isSealed(), sealed + " is sealed");
        for (Class<?> c : sealed.getPermittedSubclasses()) {
            assertTrue(gens.types().contains(c), "no generator (and so no round-trip test) for " + c.getName());
        }
    }

    /**
     * decode(encode(x)) equals x, field by field (arrays by content), and re-encodes to the same bytes,
     * for {@link #PER_SEED} instances per seed and type. Returns how many instances were checked.
     */
    public static <T> int roundTrips(Codec<T> codec, Generators<T> gens) {
        int checked = 0;
        for (var e : gens.byType().entrySet()) {
            for (long seed : SEEDS) {
                Random r = new Random(seed);
                for (int i = 0; i < PER_SEED; i++) {
                    T x = e.getValue().apply(r);
                    long s = seed;
                    int n = i;
                    Supplier<String> where = () -> "seed=" + s + " type=" + e.getKey().getSimpleName() + " instance #" + n + ": " + x;
                    assertEquals(e.getKey(), x.getClass(), where);
                    byte[] bytes = codec.encode(x);
                    T y;
                    try {
                        y = codec.decode(bytes);
                    } catch (CodecException ex) {
                        throw new AssertionError(where.get() + " did not decode: " + ex.getMessage(), ex);
                    }
                    assertEquals(x, y, where);
                    assertTrue(sameContent(x, y), () -> where.get() + ": decoded differs in content: " + y);
                    assertArrayEquals(bytes, codec.encode(y), () -> where.get() + ": re-encoding differs");
                    checked++;
                }
            }
        }
        return checked;
    }

    /** One valid encoding of each type (seed 1, the first instance), for the bad-bytes laws. */
    public static <T> List<byte[]> samples(Codec<T> codec, Generators<T> gens) {
        List<byte[]> out = new ArrayList<>();
        for (var g : gens.byType().values()) {
            Random r = new Random(1);
            for (int i = 0; i < 5; i++) {
                out.add(codec.encode(g.apply(r)));
            }
        }
        return out;
    }

    /** Every strict prefix of every sample is rejected as truncated. */
    public static void rejectsTruncation(Codec<?> codec, List<byte[]> samples) {
        for (byte[] full : samples) {
            for (int n = 0; n < full.length; n++) {
                byte[] prefix = Arrays.copyOf(full, n);
                CodecException e = assertThrows(CodecException.class, () -> codec.decode(prefix),
                        "prefix of " + n + " of " + Arrays.toString(full));
                assertTrue(e.getMessage().contains("truncated at byte"), e.getMessage());
            }
        }
    }

    /** A version byte other than 1 is rejected, naming it. */
    public static void rejectsUnknownVersion(Codec<?> codec, List<byte[]> samples) {
        for (byte[] full : samples) {
            for (int v : new int[] {0, 2, 255}) {
                byte[] b = full.clone();
                b[0] = (byte) v;
                CodecException e = assertThrows(CodecException.class, () -> codec.decode(b));
                assertTrue(e.getMessage().contains("unknown version " + v + " (expected 1)"), e.getMessage());
            }
        }
    }

    /** A tag no record has is rejected, naming it. */
    public static void rejectsUnknownTag(Codec<?> codec, List<byte[]> samples, int unusedTag) {
        for (byte[] full : samples) {
            byte[] b = full.clone();
            b[1] = (byte) unusedTag;
            CodecException e = assertThrows(CodecException.class, () -> codec.decode(b));
            assertTrue(e.getMessage().contains("unknown tag " + unusedTag + " for"), e.getMessage());
        }
    }

    /** Bytes after a complete encoding are rejected. */
    public static void rejectsTrailingBytes(Codec<?> codec, List<byte[]> samples) {
        for (byte[] full : samples) {
            for (int extra : new int[] {1, 3}) {
                byte[] b = Arrays.copyOf(full, full.length + extra);
                CodecException e = assertThrows(CodecException.class, () -> codec.decode(b));
                assertTrue(e.getMessage().contains(extra + " trailing bytes"), e.getMessage());
            }
        }
    }

    /**
     * Random corruptions (flipped bits, changed or inserted or deleted bytes) either throw
     * {@link CodecException} or decode to a value whose encoding is exactly the corrupted bytes: the
     * encoding is canonical, so a decoder that accepts bytes returns the one value they stand for, never
     * a wrong one. Any other exception fails.
     */
    public static <T> void corruptionIsDetectedOrExact(Codec<T> codec, List<byte[]> samples, long seed) {
        Random r = new Random(seed);
        for (byte[] full : samples) {
            for (int k = 0; k < 200; k++) {
                byte[] b = corrupt(full, r);
                T v;
                try {
                    v = codec.decode(b);
                } catch (CodecException e) {
                    continue;
                } catch (RuntimeException e) {
                    throw new AssertionError("seed=" + seed + ": " + Arrays.toString(b) + " threw " + e, e);
                }
                assertArrayEquals(b, codec.encode(v), "seed=" + seed + ": decoded " + v + " from bytes that are not its encoding");
            }
        }
    }

    private static byte[] corrupt(byte[] full, Random r) {
        byte[] b = full.clone();
        int at = 1 + r.nextInt(Math.max(1, b.length - 1));
        switch (r.nextInt(4)) {
            case 0 -> {
                if (at < b.length) {
                    b[at] ^= (byte) (1 << r.nextInt(8));
                }
            }
            case 1 -> {
                if (at < b.length) {
                    b[at] = (byte) r.nextInt(256);
                }
            }
            case 2 -> {
                byte[] c = new byte[b.length + 1];
                System.arraycopy(b, 0, c, 0, at);
                c[at] = (byte) r.nextInt(256);
                System.arraycopy(b, at, c, at + 1, b.length - at);
                b = c;
            }
            default -> {
                if (at < b.length) {
                    byte[] c = new byte[b.length - 1];
                    System.arraycopy(b, 0, c, 0, at);
                    System.arraycopy(b, at + 1, c, at, b.length - at - 1);
                    b = c;
                }
            }
        }
        return b;
    }

    /**
     * Structural equality that does not trust the records' own equals: record components one by one,
     * arrays by content, lists and maps element by element.
     */
    public static boolean sameContent(Object a, Object b) {
        if (a == null || b == null) {
            return a == b;
        }
        if (a.getClass() != b.getClass() && !(a instanceof List && b instanceof List) && !(a instanceof Map && b instanceof Map)
                && !(a instanceof Set && b instanceof Set)) {
            return false;
        }
        if (a instanceof byte[] x) {
            return Arrays.equals(x, (byte[]) b);
        }
        if (a.getClass().isArray()) {
            throw new IllegalArgumentException("unexpected array type " + a.getClass());
        }
        if (a.getClass().isRecord()) {
            for (RecordComponent c : a.getClass().getRecordComponents()) {
                try {
                    Method m = c.getAccessor();
                    m.setAccessible(true);
                    if (!sameContent(m.invoke(a), m.invoke(b))) {
                        return false;
                    }
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException(e);
                }
            }
            return true;
        }
        if (a instanceof List<?> x) {
            List<?> y = (List<?>) b;
            if (x.size() != y.size()) {
                return false;
            }
            for (int i = 0; i < x.size(); i++) {
                if (!sameContent(x.get(i), y.get(i))) {
                    return false;
                }
            }
            return true;
        }
        if (a instanceof Map<?, ?> x) {
            Map<?, ?> y = (Map<?, ?>) b;
            if (!x.keySet().equals(y.keySet())) {
                return false;
            }
            for (Object k : x.keySet()) {
                if (!sameContent(x.get(k), y.get(k))) {
                    return false;
                }
            }
            return true;
        }
        return a.equals(b);
    }

    /** Every record type of {@code types} with an array component overrides equals (else equality is identity). */
    public static void arrayRecordsCompareContent(Iterable<Class<?>> types) {
        for (Class<?> t : types) {
            if (!t.isRecord()) {
                continue;
            }
            boolean hasArray = Arrays.stream(t.getRecordComponents()).anyMatch(c -> c.getType().isArray());
            if (hasArray) {
                try {
                    t.getDeclaredMethod("equals", Object.class);
                    t.getDeclaredMethod("hashCode");
                } catch (NoSuchMethodException e) {
                    fail(t.getName() + " has an array component but the record's equals compares it by identity");
                }
            }
        }
    }

    // ------------------------------------------------------------------ random pieces

    /** A long, often small, sometimes an edge value. */
    public static long anyLong(Random r) {
        return switch (r.nextInt(6)) {
            case 0 -> r.nextInt(128) - 64;
            case 1 -> r.nextInt(100_000);
            case 2 -> new long[] {Long.MIN_VALUE, Long.MAX_VALUE, -1, 0, 1, Integer.MAX_VALUE, Integer.MIN_VALUE}[r.nextInt(7)];
            default -> r.nextLong() >> r.nextInt(64);
        };
    }

    /** A long >= 0, often small. */
    public static long natural(Random r) {
        return r.nextInt(4) == 0 ? r.nextLong() >>> (1 + r.nextInt(63)) : r.nextInt(1000);
    }

    /** An int, often small, sometimes an edge value. */
    public static int anyInt(Random r) {
        return switch (r.nextInt(4)) {
            case 0 -> r.nextInt(16) - 1;
            case 1 -> new int[] {Integer.MIN_VALUE, Integer.MAX_VALUE, -1, 0}[r.nextInt(4)];
            default -> r.nextInt() >> r.nextInt(32);
        };
    }

    public static Long nullableLong(Random r) {
        return r.nextInt(4) == 0 ? null : anyLong(r);
    }

    private static final String[] WORDS = {"", "k", "key-17", "ключ", "鍵", "😀x", "a\u0000b", "x".repeat(200)};

    /** A string (ASCII, non-Latin, an astral character, a NUL, long, empty), never null. */
    public static String string(Random r) {
        if (r.nextBoolean()) {
            return WORDS[r.nextInt(WORDS.length)];
        }
        StringBuilder sb = new StringBuilder();
        for (int i = r.nextInt(12); i > 0; i--) {
            sb.appendCodePoint(r.nextInt(5) == 0 ? 0x80 + r.nextInt(0xD000) : 'a' + r.nextInt(26));
        }
        return sb.toString();
    }

    /** A string or, rarely, null. */
    public static String nullableString(Random r) {
        return r.nextInt(10) == 0 ? null : string(r);
    }

    public static byte[] bytes(Random r) {
        byte[] b = new byte[r.nextInt(4) == 0 ? 0 : r.nextInt(300)];
        r.nextBytes(b);
        return b;
    }

    public static Fn fn(Random r) {
        return Fn.values()[r.nextInt(Fn.values().length)];
    }

    /** A register operation's value that fits {@code f}: null for a read, a Long for a write, a Cas for a cas. */
    public static Object opValue(Random r, Fn f) {
        return switch (f) {
            case READ -> null;
            case WRITE -> anyLong(r);
            case CAS -> new Cas(anyLong(r), anyLong(r));
        };
    }

    /** A sorted set of small ids. */
    public static TreeSet<Integer> ids(Random r, int max) {
        TreeSet<Integer> s = new TreeSet<>();
        for (int i = r.nextInt(max); i > 0; i--) {
            s.add(r.nextInt(64));
        }
        return s;
    }

    /** A list of 0 to {@code max} generated elements. */
    public static <T> List<T> listOf(Random r, int max, Function<Random, T> element) {
        List<T> l = new ArrayList<>();
        for (int i = r.nextInt(max + 1); i > 0; i--) {
            l.add(element.apply(r));
        }
        return l;
    }
}
