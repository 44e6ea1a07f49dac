package io.github.dsw.raft;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.dsw.check.HistoryEvent.Cas;
import io.github.dsw.check.HistoryEvent.Fn;
import io.github.dsw.raft.RaftMessage.AppendEntries;
import io.github.dsw.runtime.Codec;
import io.github.dsw.runtime.CodecException;
import io.github.dsw.runtime.WireWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The performance shortcuts of the replication path must not change a byte: {@link RaftCodec} remembers the
 * encodings of log entries by identity (a leader sends the same entry objects to every follower), and
 * {@link Codec#encode} writes into a reused per-thread buffer ({@link WireWriter#encode}). The expected bytes
 * come from encodings that cannot use either shortcut: equal copies of the entries (other objects), written
 * field by field into a fresh {@link WireWriter}.
 */
class EncodedEntriesTest {

    private static final long SEED = 14;

    /** A random command of every type the codec knows. */
    private static Object command(Random r) {
        return switch (r.nextInt(6)) {
            case 0 -> null;
            case 1 -> r.nextLong();
            case 2 -> r.nextInt();
            case 3 -> "cmd-" + r.nextInt(1000) + "-\u00e9\u4e2d\ud83d\ude00"; // 2-, 3- and 4-byte UTF-8
            case 4 -> new ConfChange(ConfChange.Type.values()[r.nextInt(ConfChange.Type.values().length)], r.nextInt(7));
            default -> new KvStore.Command(r.nextInt(100), r.nextInt(1000), Fn.values()[r.nextInt(Fn.values().length)],
                    "k" + r.nextInt(50) + "/" + "x".repeat(r.nextInt(300)),
                    switch (r.nextInt(3)) {
                        case 0 -> null;
                        case 1 -> r.nextLong();
                        default -> new Cas(r.nextBoolean() ? null : r.nextLong(), r.nextLong());
                    }, r.nextInt(1000));
        };
    }

    /** The same entries as new objects (records with equal components). */
    private static List<LogEntry> copies(List<LogEntry> entries) {
        List<LogEntry> out = new ArrayList<>();
        for (LogEntry e : entries) {
            Object c = e.command();
            Object copy = switch (c) {
                case null -> null;
                case Long n -> Long.valueOf(n.longValue()); // boxed values of the same content (identity does not matter)
                case String s -> new String(s);
                case KvStore.Command k -> new KvStore.Command(k.client(), k.requestId(), k.f(), new String(k.key()), k.value(),
                        k.firstUnanswered());
                default -> c;
            };
            out.add(new LogEntry(e.term(), copy));
        }
        return out;
    }

    @Test
    void aLeadersMessagesToSeveralFollowersEncodeAsIfEachHadItsOwnEntries() {
        Random r = new Random(SEED);
        for (int round = 0; round < 300; round++) {
            List<LogEntry> entries = new ArrayList<>();
            for (int i = r.nextInt(70); i > 0; i--) {
                entries.add(new LogEntry(1 + r.nextInt(5), command(r)));
            }
            for (int follower = 0; follower < 3; follower++) {
                long prev = r.nextInt(10_000);
                AppendEntries shared = new AppendEntries(5, prev, 4, entries, prev - 3, follower);
                AppendEntries own = new AppendEntries(5, prev, 4, copies(entries), prev - 3, follower);
                byte[] expected = RaftCodec.MESSAGES.encode(own);
                assertArrayEquals(expected, RaftCodec.MESSAGES.encode(shared), "seed=" + SEED + " round " + round + " follower " + follower);
                assertEquals(own, RaftCodec.MESSAGES.decode(RaftCodec.MESSAGES.encode(shared)), "seed=" + SEED + " round " + round);
                // the durable encoding of each entry (a leader also writes them to its disk) shares the cache
                for (int i = 0; i < entries.size(); i++) {
                    assertArrayEquals(RaftCodec.DURABLE.encode(own.entries().get(i)), RaftCodec.DURABLE.encode(entries.get(i)),
                            "seed=" + SEED + " round " + round + " entry " + i);
                }
            }
        }
    }

    @Test
    void manyEntriesCollidingInTheCacheStillEncodeTheirOwnBytes() {
        // far more entries than the cache has slots: colliding entries evict each other, none may take another's bytes
        Random r = new Random(SEED + 1);
        List<LogEntry> entries = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            entries.add(new LogEntry(1 + i, command(r)));
        }
        List<LogEntry> own = copies(entries);
        for (int pass = 0; pass < 2; pass++) {
            for (int i = 0; i < entries.size(); i++) {
                assertArrayEquals(RaftCodec.DURABLE.encode(own.get(i)), RaftCodec.DURABLE.encode(entries.get(i)),
                        "seed=" + (SEED + 1) + " pass " + pass + " entry " + i);
            }
        }
    }

    @Test
    void theReusedBufferGivesTheBytesOfAFreshWriterAlsoNestedAndAfterAFailure() {
        WireWriter.Field<String> fields = (out, s) -> {
            out.writeString(s);
            out.writeLong(s.length());
        };
        // nested: a field that encodes another value with the same helper while the outer encoding is half written
        WireWriter.Field<String> nesting = (out, s) -> {
            out.writeTag(9);
            out.writeBytes(WireWriter.encode(s + s, fields));
            fields.write(out, s);
        };
        Random r = new Random(SEED + 2);
        for (int i = 0; i < 200; i++) {
            String s = "v".repeat(r.nextInt(5000)); // sometimes beyond the buffer's first size, so it grows
            WireWriter fresh = new WireWriter();
            fresh.writeTag(9);
            WireWriter inner = new WireWriter();
            fields.write(inner, s + s);
            fresh.writeBytes(inner.toByteArray());
            fields.write(fresh, s);
            assertArrayEquals(fresh.toByteArray(), WireWriter.encode(s, nesting), "seed=" + (SEED + 2) + " #" + i);
        }
        // a failed encoding (a lone surrogate) leaves nothing behind for the next one
        assertThrows(CodecException.class, () -> WireWriter.encode("abc\ud800", fields));
        WireWriter fresh = new WireWriter();
        fields.write(fresh, "ok");
        assertArrayEquals(fresh.toByteArray(), WireWriter.encode("ok", fields));
    }
}
