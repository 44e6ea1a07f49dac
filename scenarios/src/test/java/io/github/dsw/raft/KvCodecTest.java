package io.github.dsw.raft;

import static io.github.dsw.runtime.CodecLaws.anyInt;
import static io.github.dsw.runtime.CodecLaws.anyLong;
import static io.github.dsw.runtime.CodecLaws.fn;
import static io.github.dsw.runtime.CodecLaws.nullableLong;
import static io.github.dsw.runtime.CodecLaws.nullableString;
import static io.github.dsw.runtime.CodecLaws.opValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.dsw.check.HistoryEvent.Fn;
import io.github.dsw.raft.KvMessage.Peer;
import io.github.dsw.raft.KvMessage.Reply;
import io.github.dsw.raft.KvMessage.Request;
import io.github.dsw.runtime.CodecException;
import io.github.dsw.runtime.CodecLaws.Generators;
import io.github.dsw.runtime.CodecLaws;
import io.github.dsw.runtime.Node;
import io.github.dsw.runtime.Transcoded;
import io.github.dsw.sim.Nemesis;
import io.github.dsw.sim.SimConfig;
import io.github.dsw.sim.Simulator;
import io.github.dsw.sim.Workload;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;

/** Round trips and bad-bytes laws of {@link KvCodec}, on random instances of every record type. */
class KvCodecTest {

    private static final List<Function<Random, ? extends RaftMessage>> RAFT = new ArrayList<>(RaftCodecTest.MESSAGES.byType().values());

    static final Generators<KvMessage> MESSAGES = new Generators<KvMessage>()
            .add(Peer.class, r -> new Peer(RAFT.get(r.nextInt(RAFT.size())).apply(r)))
            .add(Request.class, r -> {
                Fn f = fn(r);
                long requestId = anyLong(r);
                long firstUnanswered = r.nextBoolean() ? requestId : Math.min(requestId, anyLong(r));
                return new Request(requestId, f, nullableString(r), opValue(r, f), firstUnanswered);
            })
            .add(Reply.class, r -> {
                boolean retry = r.nextInt(3) == 0;
                return new Reply(anyLong(r), !retry && r.nextBoolean(), nullableLong(r), anyInt(r), retry);
            })
            .add(KvMessage.Admin.class, r -> new KvMessage.Admin(anyLong(r),
                    new ConfChange(ConfChange.Type.values()[r.nextInt(ConfChange.Type.values().length)], r.nextInt(Integer.MAX_VALUE))));

    @Test
    void everyMessageTypeHasAGenerator() {
        CodecLaws.coversPermittedSubclasses(KvMessage.class, MESSAGES);
        CodecLaws.arrayRecordsCompareContent(MESSAGES.types());
    }

    @Test
    void messagesRoundTrip() {
        assertEquals(4 * 3000, CodecLaws.roundTrips(KvCodec.MESSAGES, MESSAGES)); // Peer, Request, Reply, Admin
    }

    @Test
    void badBytesAreRejected() {
        List<byte[]> m = CodecLaws.samples(KvCodec.MESSAGES, MESSAGES);
        CodecLaws.rejectsTruncation(KvCodec.MESSAGES, m);
        CodecLaws.rejectsUnknownVersion(KvCodec.MESSAGES, m);
        CodecLaws.rejectsUnknownTag(KvCodec.MESSAGES, m, 0);
        CodecLaws.rejectsUnknownTag(KvCodec.MESSAGES, m, 99);
        CodecLaws.rejectsTrailingBytes(KvCodec.MESSAGES, m);
        CodecLaws.corruptionIsDetectedOrExact(KvCodec.MESSAGES, m, 9);
    }

    private static String run(long seed, IntFunction<Node<KvMessage>> servers) {
        Simulator<KvMessage> sim = new Simulator<>(SimConfig.defaults(seed, 3), servers);
        Workload<KvMessage> workload = new Workload<>(RaftKvRun.SPEC, new RaftKvRun.Client(), 150)
                .withRetries(RaftKvRun.ATTEMPT_NS, RaftKvRun.BACKOFF_NS);
        workload.attach(sim, 3);
        Nemesis.random(sim, EnumSet.of(Nemesis.Kind.CRASH, Nemesis.Kind.PARTITION, Nemesis.Kind.DUPLICATE), 0, 3_000_000_000L,
                50_000_000, 30_000_000);
        sim.runUntil(120_000_000_000L, workload::done);
        assertTrue(workload.done(), "seed=" + seed + ": the workload completes");
        return "seed=" + seed + " done " + workload.done() + ", trace " + sim.trace().hash() + " (" + sim.trace().events()
                + " events), history " + workload.history().events();
    }

    /**
     * A Raft key-value cluster that compacts its log every 5 entries (so snapshots are persisted and
     * installed) behaves identically when every message and durable value is a decoded copy.
     */
    @Test
    void simulatedRunsAreUnchangedOnDecodedCopies() {
        Set<String> types = new TreeSet<>();
        for (long seed = 1; seed <= 3; seed++) {
            long s = seed;
            IntFunction<Node<KvMessage>> plain = id -> KvService.server(RaftConfig.builder(id, 3).electionTicks(10, 19).heartbeatTicks(2).build(), 10_000_000,
                    KvService.ReadMode.LOG, 5);
            var counts = Transcoded.assertSameRun(plain, KvCodec.MESSAGES, RaftCodec.DURABLE, f -> run(s, f));
            assertTrue(counts.messages > 1000 && counts.durable > 500, "seed=" + seed + ": " + counts.messages + " messages, "
                    + counts.durable + " writes");
            types.addAll(counts.types);
        }
        // every durable type RaftStorage writes, and the snapshot messages, went through the codecs
        assertTrue(types.containsAll(List.of("Long", "Integer", "LogEntry", "Snapshot", "Peer", "Request", "Reply")), types.toString());
    }

    @Test
    void anUnknownRaftTagInsideAPeerIsNamed() {
        byte[] b = KvCodec.MESSAGES.encode(new Peer(new RaftMessage.TimeoutNow(3)));
        b[2] = 77;
        CodecException e = assertThrows(CodecException.class, () -> KvCodec.MESSAGES.decode(b));
        assertTrue(e.getMessage().contains("unknown tag 77 for RaftMessage at byte 2"), e.getMessage());
    }

    @Test
    void aReplyTheRecordRefusesIsACodecException() {
        byte[] b = KvCodec.MESSAGES.encode(Reply.retry(5, -1));
        b[3] = 1; // ok = true on a retry reply
        CodecException e = assertThrows(CodecException.class, () -> KvCodec.MESSAGES.decode(b));
        assertTrue(e.getMessage().contains("a retry reply cannot be ok"), e.getMessage());
    }
}
