package io.github.dsw.raft;

import static io.github.dsw.runtime.CodecLaws.anyInt;
import static io.github.dsw.runtime.CodecLaws.anyLong;
import static io.github.dsw.runtime.CodecLaws.bytes;
import static io.github.dsw.runtime.CodecLaws.fn;
import static io.github.dsw.runtime.CodecLaws.ids;
import static io.github.dsw.runtime.CodecLaws.listOf;
import static io.github.dsw.runtime.CodecLaws.natural;
import static io.github.dsw.runtime.CodecLaws.nullableString;
import static io.github.dsw.runtime.CodecLaws.opValue;
import static io.github.dsw.runtime.CodecLaws.string;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.dsw.check.HistoryEvent.Fn;
import io.github.dsw.raft.RaftMessage.AppendEntries;
import io.github.dsw.raft.RaftMessage.AppendResponse;
import io.github.dsw.raft.RaftMessage.InstallSnapshot;
import io.github.dsw.raft.RaftMessage.InstallSnapshotResponse;
import io.github.dsw.raft.RaftMessage.RequestVote;
import io.github.dsw.raft.RaftMessage.TimeoutNow;
import io.github.dsw.raft.RaftMessage.VoteResponse;
import io.github.dsw.runtime.CodecException;
import io.github.dsw.runtime.CodecLaws;
import io.github.dsw.runtime.CodecLaws.Generators;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** Round trips and bad-bytes laws of {@link RaftCodec}, on random instances of every record type and log command. */
class RaftCodecTest {

    static Membership membership(Random r) {
        TreeSet<Integer> voters = ids(r, 6);
        voters.add(r.nextInt(64));
        TreeSet<Integer> learners = ids(r, 3);
        learners.removeAll(voters);
        return new Membership(voters, learners);
    }

    static SnapshotMeta meta(Random r) {
        if (r.nextInt(6) == 0) {
            return SnapshotMeta.NONE;
        }
        return new SnapshotMeta(1 + natural(r) / 2, 1 + natural(r) / 2, r.nextBoolean() ? null : membership(r));
    }

    static RaftKvServer.Command kvCommand(Random r) {
        Fn f = fn(r);
        return new RaftKvServer.Command(anyInt(r), anyLong(r), f, nullableString(r), opValue(r, f), anyLong(r));
    }

    /** Every command type of {@link RaftCodec}'s table: the no-op, Long, Integer, String, ConfChange, a key-value command. */
    static Object command(Random r) {
        return switch (r.nextInt(6)) {
            case 0 -> null;
            case 1 -> anyLong(r);
            case 2 -> anyInt(r);
            case 3 -> string(r);
            case 4 -> new ConfChange(ConfChange.Type.values()[r.nextInt(3)], r.nextInt(100));
            default -> kvCommand(r);
        };
    }

    static LogEntry entry(Random r) {
        return new LogEntry(1 + natural(r) / 2, command(r));
    }

    static final Generators<RaftMessage> MESSAGES = new Generators<RaftMessage>()
            .add(RequestVote.class, r -> new RequestVote(anyLong(r), anyLong(r), anyLong(r), r.nextBoolean(), r.nextBoolean()))
            .add(VoteResponse.class, r -> new VoteResponse(anyLong(r), r.nextBoolean(), r.nextBoolean()))
            .add(AppendEntries.class, r -> new AppendEntries(anyLong(r), anyLong(r), anyLong(r), listOf(r, 6, RaftCodecTest::entry),
                    anyLong(r), anyLong(r)))
            .add(AppendResponse.class, r -> new AppendResponse(anyLong(r), r.nextBoolean(), anyLong(r), anyLong(r), anyLong(r),
                    anyLong(r), anyLong(r)))
            .add(InstallSnapshot.class, r -> new InstallSnapshot(anyLong(r), meta(r), natural(r), bytes(r), r.nextBoolean(), anyLong(r)))
            .add(InstallSnapshotResponse.class, r -> new InstallSnapshotResponse(anyLong(r), meta(r), r.nextBoolean(), anyLong(r),
                    anyLong(r), anyLong(r)))
            .add(TimeoutNow.class, r -> new TimeoutNow(anyLong(r)));

    static final Generators<Object> DURABLE = new Generators<>()
            .add(Long.class, r -> anyLong(r))
            .add(Integer.class, r -> anyInt(r))
            .add(Snapshot.class, r -> new Snapshot(meta(r), bytes(r)))
            .add(LogEntry.class, RaftCodecTest::entry)
            .add(SnapshotMeta.class, RaftCodecTest::meta);

    @Test
    void everyMessageTypeHasAGenerator() {
        CodecLaws.coversPermittedSubclasses(RaftMessage.class, MESSAGES);
    }

    /** InstallSnapshot and Snapshot hold a byte[]: their records must compare it by content (they do). */
    @Test
    void recordsWithByteArraysCompareContent() {
        CodecLaws.arrayRecordsCompareContent(MESSAGES.types());
        CodecLaws.arrayRecordsCompareContent(DURABLE.types());
        byte[] data = {1, 2, 3};
        assertEquals(new Snapshot(SnapshotMeta.NONE, data), new Snapshot(SnapshotMeta.NONE, data.clone()));
    }

    @Test
    void messagesRoundTrip() {
        assertEquals(7 * 3000, CodecLaws.roundTrips(RaftCodec.MESSAGES, MESSAGES));
    }

    @Test
    void durableValuesRoundTrip() {
        assertEquals(5 * 3000, CodecLaws.roundTrips(RaftCodec.DURABLE, DURABLE));
    }

    @Test
    void everyLogCommandTypeRoundTrips() {
        Random r = new Random(11);
        TreeSet<String> seen = new TreeSet<>();
        for (int i = 0; i < 3000; i++) {
            LogEntry e = entry(r);
            seen.add(e.command() == null ? "null" : e.command().getClass().getSimpleName());
            assertEquals(e, RaftCodec.DURABLE.decode(RaftCodec.DURABLE.encode(e)), "seed=11 #" + i);
        }
        assertEquals(new TreeSet<>(List.of("null", "Long", "Integer", "String", "ConfChange", "Command")), seen);
    }

    @Test
    void badBytesAreRejected() {
        List<byte[]> m = CodecLaws.samples(RaftCodec.MESSAGES, MESSAGES);
        List<byte[]> d = CodecLaws.samples(RaftCodec.DURABLE, DURABLE);
        for (var c : List.of(RaftCodec.MESSAGES, RaftCodec.DURABLE)) {
            List<byte[]> s = c == RaftCodec.MESSAGES ? m : d;
            CodecLaws.rejectsTruncation(c, s);
            CodecLaws.rejectsUnknownVersion(c, s);
            CodecLaws.rejectsUnknownTag(c, s, 0);
            CodecLaws.rejectsUnknownTag(c, s, 99);
            CodecLaws.rejectsTrailingBytes(c, s);
        }
        CodecLaws.corruptionIsDetectedOrExact(RaftCodec.MESSAGES, m, 7);
        CodecLaws.corruptionIsDetectedOrExact(RaftCodec.DURABLE, d, 8);
    }

    @Test
    void aCommandOfAnotherTypeCannotBeEncoded() {
        CodecException e = assertThrows(CodecException.class, () -> RaftCodec.DURABLE.encode(new LogEntry(1, 2.5)));
        assertTrue(e.getMessage().contains("log command of type java.lang.Double"), e.getMessage());
    }

    @Test
    void anUnknownCommandTagIsNamed() {
        byte[] b = RaftCodec.DURABLE.encode(new LogEntry(1, null));
        b[b.length - 1] = 42;
        CodecException e = assertThrows(CodecException.class, () -> RaftCodec.DURABLE.decode(b));
        assertTrue(e.getMessage().contains("unknown tag 42 for a log command at byte 3"), e.getMessage());
    }

    @Test
    void aNegativeLengthIsNamed() {
        byte[] b = RaftCodec.DURABLE.encode(new Snapshot(SnapshotMeta.NONE, new byte[0]));
        // version, tag, index 0, term 0, no membership, then the data's length: 0 becomes zigzag 5 = -3
        assertEquals(6, b.length);
        b[5] = 5;
        CodecException e = assertThrows(CodecException.class, () -> RaftCodec.DURABLE.decode(b));
        assertTrue(e.getMessage().contains("negative length -3 at byte 5"), e.getMessage());
    }

    @Test
    void aMembershipTheRecordRefusesIsACodecException() {
        byte[] b = RaftCodec.DURABLE.encode(new SnapshotMeta(3, 2, new Membership(new TreeSet<>(List.of(1)), new TreeSet<>(List.of(2)))));
        b[b.length - 1] = 2; // the learner becomes 1, already a voter
        CodecException e = assertThrows(CodecException.class, () -> RaftCodec.DURABLE.decode(b));
        assertTrue(e.getMessage().contains("invalid field value"), e.getMessage());
    }
}
