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
import io.github.dsw.runtime.CodecLaws.Generators;
import io.github.dsw.runtime.CodecLaws;
import io.github.dsw.runtime.Node;
import io.github.dsw.runtime.Transcoded;
import io.github.dsw.sim.Nemesis;
import io.github.dsw.sim.SimConfig;
import io.github.dsw.sim.Simulator;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.IntFunction;
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

    static KvStore.Command kvCommand(Random r) {
        Fn f = fn(r);
        return new KvStore.Command(anyInt(r), anyLong(r), f, nullableString(r), opValue(r, f), anyLong(r));
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

    private static String run(long seed, IntFunction<Node<RaftMessage>> servers) {
        Simulator<RaftMessage> sim = new Simulator<>(SimConfig.defaults(seed, 3), servers);
        for (int k = 0; k < 150; k++) {
            int i = k;
            sim.schedule(20_000_000L * (k + 1), () -> {
                for (int id = 0; id < 3; id++) {
                    if (sim.isUp(id) && Transcoded.unwrap(sim.node(id)) instanceof RaftHost<?, ?> srv) {
                        // the command types a log cluster's users propose: Long, String, Integer
                        srv.propose(switch (i % 3) {
                            case 0 -> (long) i;
                            case 1 -> "cmd-" + i;
                            default -> i;
                        });
                    }
                }
            });
        }
        Nemesis.random(sim, EnumSet.of(Nemesis.Kind.CRASH, Nemesis.Kind.PARTITION, Nemesis.Kind.DUPLICATE), 0, 3_000_000_000L,
                60_000_000, 200_000_000);
        sim.runUntil(5_000_000_000L);
        StringBuilder applied = new StringBuilder();
        for (int id = 0; id < 3; id++) {
            if (sim.isUp(id) && Transcoded.unwrap(sim.node(id)) instanceof RaftHost<?, ?> srv) {
                applied.append(" server ").append(id).append(" applied ").append(((AppliedLog) srv.stateMachine()).applied());
            }
        }
        return "seed=" + seed + " trace " + sim.trace().hash() + " (" + sim.trace().events() + " events)" + applied;
    }

    /**
     * Raft servers that compact their log every 4 entries, under crashes and partitions, behave identically
     * when every message and durable value is a decoded copy; the runs exercise every durable type and
     * the snapshot messages.
     */
    @Test
    void simulatedRunsAreUnchangedOnDecodedCopies() {
        Set<String> types = new TreeSet<>();
        for (long seed = 1; seed <= 4; seed++) {
            long s = seed;
            var counts = Transcoded.assertSameRun(id -> RaftHost.ofLog(RaftConfig.builder(id, 3).electionTicks(10, 19).heartbeatTicks(2).build(), 10_000_000, 4),
                    RaftCodec.MESSAGES, RaftCodec.DURABLE, f -> run(s, f));
            assertTrue(counts.messages > 1000 && counts.durable > 100, "seed=" + seed + ": " + counts);
            types.addAll(counts.types);
        }
        assertTrue(types.containsAll(List.of("Long", "Integer", "LogEntry", "Snapshot", "RequestVote", "VoteResponse", "AppendEntries",
                "AppendResponse", "InstallSnapshot", "InstallSnapshotResponse")), types.toString());
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
