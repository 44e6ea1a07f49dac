package io.github.dsw.paxos;

import static io.github.dsw.runtime.CodecLaws.anyLong;
import static io.github.dsw.runtime.CodecLaws.fn;
import static io.github.dsw.runtime.CodecLaws.listOf;
import static io.github.dsw.runtime.CodecLaws.natural;
import static io.github.dsw.runtime.CodecLaws.nullableLong;
import static io.github.dsw.runtime.CodecLaws.nullableString;
import static io.github.dsw.runtime.CodecLaws.opValue;
import static io.github.dsw.runtime.CodecLaws.string;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.dsw.check.HistoryEvent.Fn;
import io.github.dsw.paxos.MultiPaxosMessage.Accept;
import io.github.dsw.paxos.MultiPaxosMessage.Accepted;
import io.github.dsw.paxos.MultiPaxosMessage.CatchUp;
import io.github.dsw.paxos.MultiPaxosMessage.CatchUpRequest;
import io.github.dsw.paxos.MultiPaxosMessage.ClientReply;
import io.github.dsw.paxos.MultiPaxosMessage.ClientRequest;
import io.github.dsw.paxos.MultiPaxosMessage.Commit;
import io.github.dsw.paxos.MultiPaxosMessage.Forward;
import io.github.dsw.paxos.MultiPaxosMessage.Heartbeat;
import io.github.dsw.paxos.MultiPaxosMessage.Nack;
import io.github.dsw.paxos.MultiPaxosMessage.PValue;
import io.github.dsw.paxos.MultiPaxosMessage.Prepare;
import io.github.dsw.paxos.MultiPaxosMessage.Promise;
import io.github.dsw.runtime.CodecLaws.Generators;
import io.github.dsw.runtime.CodecLaws;
import io.github.dsw.runtime.Node;
import io.github.dsw.runtime.Transcoded;
import io.github.dsw.sim.Nemesis;
import io.github.dsw.sim.SimConfig;
import io.github.dsw.sim.Simulator;
import io.github.dsw.sim.Workload;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;

/** Round trips and bad-bytes laws of {@link MultiPaxosCodec}, on random instances of every record type. */
class MultiPaxosCodecTest {

    static Command command(Random r) {
        Fn f = fn(r);
        return new Command(natural(r), f, string(r), opValue(r, f));
    }

    static List<Command> batch(Random r) {
        return listOf(r, 4, MultiPaxosCodecTest::command);
    }

    static PValue pvalue(Random r) {
        return new PValue(PaxosCodecTest.ballot(r), batch(r));
    }

    static <V> Map<Long, V> bySlot(Random r, java.util.function.Function<Random, V> value) {
        Map<Long, V> m = new HashMap<>(); // any map: the record sorts it, the codec writes it in key order
        for (int i = r.nextInt(5); i > 0; i--) {
            m.put(r.nextBoolean() ? (long) r.nextInt(50) : anyLong(r), value.apply(r));
        }
        return m;
    }

    static final Generators<MultiPaxosMessage> MESSAGES = new Generators<MultiPaxosMessage>()
            .add(ClientRequest.class, r -> {
                Fn f = fn(r);
                return new ClientRequest(anyLong(r), f, nullableString(r), opValue(r, f));
            })
            .add(ClientReply.class, r -> new ClientReply(anyLong(r), r.nextBoolean(), nullableLong(r)))
            .add(Forward.class, r -> new Forward(command(r)))
            .add(Prepare.class, r -> new Prepare(PaxosCodecTest.ballot(r), anyLong(r)))
            .add(Promise.class, r -> new Promise(PaxosCodecTest.ballot(r), bySlot(r, MultiPaxosCodecTest::pvalue)))
            .add(Nack.class, r -> new Nack(PaxosCodecTest.ballot(r), PaxosCodecTest.ballot(r)))
            .add(Accept.class, r -> new Accept(PaxosCodecTest.ballot(r), anyLong(r), batch(r)))
            .add(Accepted.class, r -> new Accepted(PaxosCodecTest.ballot(r), anyLong(r)))
            .add(Commit.class, r -> new Commit(anyLong(r), batch(r)))
            .add(Heartbeat.class, r -> new Heartbeat(PaxosCodecTest.ballot(r), anyLong(r)))
            .add(CatchUpRequest.class, r -> new CatchUpRequest(anyLong(r)))
            .add(CatchUp.class, r -> new CatchUp(bySlot(r, MultiPaxosCodecTest::batch)));

    static final Generators<Object> DURABLE = new Generators<>()
            .add(Ballot.class, PaxosCodecTest::ballot)
            .add(PValue.class, MultiPaxosCodecTest::pvalue)
            .add(Long.class, r -> anyLong(r));

    @Test
    void everyMessageTypeHasAGenerator() {
        CodecLaws.coversPermittedSubclasses(MultiPaxosMessage.class, MESSAGES);
        CodecLaws.arrayRecordsCompareContent(MESSAGES.types());
        CodecLaws.arrayRecordsCompareContent(DURABLE.types());
    }

    @Test
    void messagesRoundTrip() {
        assertEquals(12 * 3000, CodecLaws.roundTrips(MultiPaxosCodec.MESSAGES, MESSAGES));
    }

    @Test
    void durableValuesRoundTrip() {
        assertEquals(3 * 3000, CodecLaws.roundTrips(MultiPaxosCodec.DURABLE, DURABLE));
    }

    private static String run(long seed, IntFunction<Node<MultiPaxosMessage>> servers) {
        Simulator<MultiPaxosMessage> sim = new Simulator<>(SimConfig.defaults(seed, 3), servers);
        Workload<MultiPaxosMessage> workload = new Workload<>(PaxosKvRun.SPEC, new PaxosKvRun.Client(), 150);
        workload.attach(sim, 3);
        Nemesis.random(sim, EnumSet.of(Nemesis.Kind.CRASH, Nemesis.Kind.PARTITION, Nemesis.Kind.DUPLICATE), 0, 3_000_000_000L,
                50_000_000, 30_000_000);
        sim.runUntil(120_000_000_000L, workload::done);
        assertTrue(workload.done(), "seed=" + seed + ": the workload completes");
        return "seed=" + seed + " done " + workload.done() + ", trace " + sim.trace().hash() + " (" + sim.trace().events()
                + " events), history " + workload.history().events();
    }

    /** A Multi-Paxos key-value cluster behaves identically when every message and durable value is a decoded copy. */
    @Test
    void simulatedRunsAreUnchangedOnDecodedCopies() {
        for (long seed = 1; seed <= 3; seed++) {
            long s = seed;
            var counts = Transcoded.assertSameRun(id -> new MultiPaxosNode(Quorums.majority(3), 4, 2), MultiPaxosCodec.MESSAGES,
                    MultiPaxosCodec.DURABLE, f -> run(s, f));
            assertTrue(counts.messages > 1000 && counts.durable > 500, "seed=" + seed + ": " + counts.messages + " messages, "
                    + counts.durable + " writes");
        }
    }

    @Test
    void badBytesAreRejected() {
        List<byte[]> m = CodecLaws.samples(MultiPaxosCodec.MESSAGES, MESSAGES);
        List<byte[]> d = CodecLaws.samples(MultiPaxosCodec.DURABLE, DURABLE);
        for (var c : List.of(MultiPaxosCodec.MESSAGES, MultiPaxosCodec.DURABLE)) {
            List<byte[]> s = c == MultiPaxosCodec.MESSAGES ? m : d;
            CodecLaws.rejectsTruncation(c, s);
            CodecLaws.rejectsUnknownVersion(c, s);
            CodecLaws.rejectsUnknownTag(c, s, 0);
            CodecLaws.rejectsUnknownTag(c, s, 99);
            CodecLaws.rejectsTrailingBytes(c, s);
        }
        CodecLaws.corruptionIsDetectedOrExact(MultiPaxosCodec.MESSAGES, m, 5);
        CodecLaws.corruptionIsDetectedOrExact(MultiPaxosCodec.DURABLE, d, 6);
    }
}
