package io.github.dsw.zab;

import static io.github.dsw.runtime.CodecLaws.anyInt;
import static io.github.dsw.runtime.CodecLaws.anyLong;
import static io.github.dsw.runtime.CodecLaws.fn;
import static io.github.dsw.runtime.CodecLaws.listOf;
import static io.github.dsw.runtime.CodecLaws.natural;
import static io.github.dsw.runtime.CodecLaws.nullableLong;
import static io.github.dsw.runtime.CodecLaws.nullableString;
import static io.github.dsw.runtime.CodecLaws.opValue;
import static io.github.dsw.runtime.CodecLaws.string;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.dsw.check.HistoryEvent.Fn;
import io.github.dsw.check.LinearizabilityChecker;
import io.github.dsw.raft.KvStore;
import io.github.dsw.runtime.CodecException;
import io.github.dsw.runtime.CodecLaws;
import io.github.dsw.runtime.CodecLaws.Generators;
import io.github.dsw.runtime.Node;
import io.github.dsw.runtime.Transcoded;
import io.github.dsw.sim.Nemesis;
import io.github.dsw.sim.SimConfig;
import io.github.dsw.sim.Simulator;
import io.github.dsw.sim.Workload;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;

/**
 * Round trips and bad-bytes laws of {@link ZabCodec} on random instances of every record type, and the check on the
 * values a real run makes: a simulated Zab ensemble under crashes, partitions and duplication behaves identically when
 * every message and durable value is a decoded copy (same trace hash, same history). Zxids are checked against
 * ZooKeeper's packing (epoch in the high 32 bits) independently of {@link Zxid#packed}.
 */
class ZabCodecTest {

    static Zxid zxid(Random r) {
        return switch (r.nextInt(4)) {
            case 0 -> Zxid.ZERO;
            case 1 -> new Zxid(0xffff_ffffL, 0xffff_ffffL);
            default -> new Zxid(r.nextInt(1000), natural(r) & 0xffff_ffffL);
        };
    }

    static Object command(Random r) {
        return switch (r.nextInt(4)) {
            case 0 -> null;
            case 1 -> anyLong(r);
            case 2 -> string(r);
            default -> {
                Fn f = fn(r);
                yield new KvStore.Command(anyInt(r), anyLong(r), f, nullableString(r), opValue(r, f), anyLong(r));
            }
        };
    }

    static Txn txn(Random r) {
        Zxid z = zxid(r);
        return new Txn(z.equals(Zxid.ZERO) ? new Zxid(0, 1) : z, command(r));
    }

    static ZabSnapshot snapshot(Random r) {
        byte[] state = new byte[r.nextInt(40)];
        r.nextBytes(state);
        return new ZabSnapshot(1 + (anyLong(r) & Long.MAX_VALUE) % Long.MAX_VALUE, zxid(r), state);
    }

    static ZabMessage.Vote vote(Random r) {
        return new ZabMessage.Vote(anyInt(r), zxid(r), anyLong(r));
    }

    static final Generators<ZabMessage> MESSAGES = new Generators<ZabMessage>()
            .add(ZabMessage.Notification.class, r -> new ZabMessage.Notification(vote(r), anyLong(r),
                    ZabMessage.ServerState.values()[r.nextInt(3)]))
            .add(ZabMessage.CEpoch.class, r -> new ZabMessage.CEpoch(anyLong(r)))
            .add(ZabMessage.NewEpoch.class, r -> new ZabMessage.NewEpoch(anyLong(r)))
            .add(ZabMessage.AckEpoch.class, r -> new ZabMessage.AckEpoch(anyLong(r), anyLong(r), zxid(r)))
            .add(ZabMessage.NewLeader.class, r -> new ZabMessage.NewLeader(anyLong(r), ZabMessage.SyncMode.values()[r.nextInt(3)], zxid(r),
                    listOf(r, 5, ZabCodecTest::txn), zxid(r)))
            .add(ZabMessage.NewLeaderSnapshot.class, r -> new ZabMessage.NewLeaderSnapshot(anyLong(r), snapshot(r),
                    listOf(r, 5, ZabCodecTest::txn), zxid(r)))
            .add(ZabMessage.AckNewLeader.class, r -> new ZabMessage.AckNewLeader(anyLong(r), zxid(r)))
            .add(ZabMessage.UpToDate.class, r -> new ZabMessage.UpToDate(anyLong(r), zxid(r)))
            .add(ZabMessage.Proposal.class, r -> new ZabMessage.Proposal(anyLong(r), txn(r)))
            .add(ZabMessage.ProposalBatch.class, r -> new ZabMessage.ProposalBatch(anyLong(r), listOf(r, 5, ZabCodecTest::txn)))
            .add(ZabMessage.Ack.class, r -> new ZabMessage.Ack(anyLong(r), zxid(r)))
            .add(ZabMessage.Commit.class, r -> new ZabMessage.Commit(anyLong(r), zxid(r)))
            .add(ZabMessage.Ping.class, r -> new ZabMessage.Ping(anyLong(r), zxid(r)))
            .add(ZabMessage.PingAck.class, r -> new ZabMessage.PingAck(anyLong(r)))
            .add(ZabMessage.Forward.class, r -> new ZabMessage.Forward(command(r)))
            .add(ZabMessage.Request.class, r -> {
                Fn f = fn(r);
                return new ZabMessage.Request(anyLong(r), f, nullableString(r), opValue(r, f), anyLong(r));
            })
            .add(ZabMessage.Reply.class, r -> new ZabMessage.Reply(anyLong(r), r.nextBoolean(), nullableLong(r), r.nextBoolean()));

    static final Generators<Object> DURABLE = new Generators<>()
            .add(Long.class, r -> anyLong(r))
            .add(ZabNode.AcceptedEpoch.class, r -> new ZabNode.AcceptedEpoch(anyLong(r), anyInt(r)))
            .add(Txn.class, ZabCodecTest::txn)
            .add(ZabSnapshot.class, ZabCodecTest::snapshot)
            .add(ZabNode.LogBase.class, r -> new ZabNode.LogBase(anyLong(r), zxid(r)));

    @Test
    void everyMessageTypeHasAGenerator() {
        CodecLaws.coversPermittedSubclasses(ZabMessage.class, MESSAGES);
        CodecLaws.arrayRecordsCompareContent(MESSAGES.types());
        CodecLaws.arrayRecordsCompareContent(DURABLE.types());
    }

    @Test
    void messagesRoundTrip() {
        assertEquals(17 * CodecLaws.SEEDS.length * CodecLaws.PER_SEED, CodecLaws.roundTrips(ZabCodec.MESSAGES, MESSAGES));
    }

    @Test
    void durableValuesRoundTrip() {
        assertEquals(5 * CodecLaws.SEEDS.length * CodecLaws.PER_SEED, CodecLaws.roundTrips(ZabCodec.DURABLE, DURABLE));
    }

    @Test
    void zxidIsZooKeepersPackedLong() {
        // ZooKeeper's ZxidUtils: zxid = (epoch << 32) | (counter & 0xffffffffL); bytes 2..9 of an Ack are that long
        byte[] b = ZabCodec.MESSAGES.encode(new ZabMessage.PingAck(5));
        byte[] a = ZabCodec.MESSAGES.encode(new ZabMessage.Commit(5, new Zxid(3, 7)));
        assertTrue(a.length > b.length, "the zxid takes bytes of its own");
        assertEquals(new ZabMessage.Commit(5, new Zxid(3, 7)), ZabCodec.MESSAGES.decode(a));
        assertEquals(3L * (1L << 32) + 7, new Zxid(3, 7).packed());
    }

    @Test
    void anUnknownCommandTypeIsRefusedByName() {
        CodecException e = assertThrows(CodecException.class, () -> ZabCodec.MESSAGES.encode(new ZabMessage.Forward(3.5)));
        assertTrue(e.getMessage().contains("java.lang.Double"), e.getMessage());
    }

    @Test
    void badBytesAreRejected() {
        List<byte[]> m = CodecLaws.samples(ZabCodec.MESSAGES, MESSAGES);
        List<byte[]> d = CodecLaws.samples(ZabCodec.DURABLE, DURABLE);
        for (var c : List.of(ZabCodec.MESSAGES, ZabCodec.DURABLE)) {
            List<byte[]> s = c == ZabCodec.MESSAGES ? m : d;
            CodecLaws.rejectsTruncation(c, s);
            CodecLaws.rejectsUnknownVersion(c, s);
            CodecLaws.rejectsUnknownTag(c, s, 0);
            CodecLaws.rejectsUnknownTag(c, s, 99);
            CodecLaws.rejectsTrailingBytes(c, s);
        }
        CodecLaws.corruptionIsDetectedOrExact(ZabCodec.MESSAGES, m, 5);
        CodecLaws.corruptionIsDetectedOrExact(ZabCodec.DURABLE, d, 6);
    }

    private static String run(long seed, IntFunction<Node<ZabMessage>> servers) {
        Simulator<ZabMessage> sim = new Simulator<>(SimConfig.defaults(seed, 3), servers);
        Workload<ZabMessage> workload = new Workload<>(ZabKvRun.SPEC, new ZabKvRun.Client(), 150).withRetries(ZabKvRun.ATTEMPT_NS,
                ZabKvRun.BACKOFF_NS);
        workload.attach(sim, 3);
        Nemesis.random(sim, EnumSet.of(Nemesis.Kind.CRASH, Nemesis.Kind.PARTITION, Nemesis.Kind.DUPLICATE), 0, 3_000_000_000L, 80_000_000,
                200_000_000);
        sim.runUntil(ZabKvRun.HORIZON_NS, workload::done);
        assertTrue(workload.done(), "seed=" + seed + ": the workload completes");
        assertTrue(new LinearizabilityChecker().checkKv(workload.history()).linearizable(), "seed=" + seed);
        return "seed=" + seed + " trace " + sim.trace().hash() + " (" + sim.trace().events() + " events), history " + workload.history().events();
    }

    /** A Zab key-value ensemble (batching on for odd seeds, snapshots every 3 deliveries for seeds 3 and 4) runs identically when every message and durable value is a decoded copy. */
    @Test
    void simulatedRunsAreUnchangedOnDecodedCopies() {
        for (long seed = 1; seed <= 4; seed++) {
            long s = seed;
            int batch = seed % 2 == 1 ? 8 : 1;
            int snapshotEvery = seed >= 3 ? 3 : 0;
            var counts = Transcoded.assertSameRun(id -> new ZabKvServer(ZabKvRun.TICK_NS, ZabKvServer.ReadMode.SYNC, Mutation.NONE, batch,
                            ZabNode.DEFAULT_WINDOW, snapshotEvery),
                    ZabCodec.MESSAGES, ZabCodec.DURABLE, f -> run(s, f));
            assertTrue(counts.messages > 1000 && counts.durable > 100, "seed=" + seed + ": " + counts);
            assertTrue(counts.types.containsAll(List.of("Notification", "NewLeader", "Proposal", "Ack", "Txn")), "seed=" + seed + ": " + counts);
            if (snapshotEvery > 0) {
                assertTrue(counts.types.contains("ZabSnapshot"), "seed=" + seed + ": snapshots were written: " + counts);
            }
        }
    }
}
