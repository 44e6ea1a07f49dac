package io.github.dsw.paxos;

import static io.github.dsw.runtime.CodecLaws.anyLong;
import static io.github.dsw.runtime.CodecLaws.natural;
import static io.github.dsw.runtime.CodecLaws.nullableLong;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.dsw.paxos.PaxosMessage.Accept;
import io.github.dsw.paxos.PaxosMessage.Accepted;
import io.github.dsw.paxos.PaxosMessage.Chosen;
import io.github.dsw.paxos.PaxosMessage.Decided;
import io.github.dsw.paxos.PaxosMessage.Nack;
import io.github.dsw.paxos.PaxosMessage.Prepare;
import io.github.dsw.paxos.PaxosMessage.Promise;
import io.github.dsw.paxos.PaxosMessage.Propose;
import io.github.dsw.runtime.CodecException;
import io.github.dsw.runtime.CodecLaws.Generators;
import io.github.dsw.runtime.CodecLaws;
import io.github.dsw.runtime.Context;
import io.github.dsw.runtime.Node;
import io.github.dsw.runtime.Transcoded;
import io.github.dsw.sim.Nemesis;
import io.github.dsw.sim.SimConfig;
import io.github.dsw.sim.Simulator;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;

/** Round trips and bad-bytes laws of {@link PaxosCodec}, on random instances of every record type. */
class PaxosCodecTest {

    static Ballot ballot(Random r) {
        return r.nextInt(8) == 0 ? Ballot.ZERO : new Ballot(natural(r), r.nextInt(12) - 1);
    }

    static final Generators<PaxosMessage> MESSAGES = new Generators<PaxosMessage>()
            .add(Propose.class, r -> new Propose(anyLong(r)))
            .add(Decided.class, r -> new Decided(anyLong(r)))
            .add(Prepare.class, r -> new Prepare(ballot(r)))
            .add(Promise.class, r -> new Promise(ballot(r), ballot(r), nullableLong(r)))
            .add(Nack.class, r -> new Nack(ballot(r), ballot(r)))
            .add(Accept.class, r -> new Accept(ballot(r), anyLong(r)))
            .add(Accepted.class, r -> new Accepted(ballot(r), anyLong(r)))
            .add(Chosen.class, r -> new Chosen(anyLong(r)));

    static final Generators<Object> DURABLE = new Generators<>()
            .add(Acceptor.State.class, r -> new Acceptor.State(ballot(r), ballot(r), nullableLong(r)))
            .add(Long.class, r -> natural(r));

    @Test
    void everyMessageTypeHasAGenerator() {
        CodecLaws.coversPermittedSubclasses(PaxosMessage.class, MESSAGES);
        CodecLaws.arrayRecordsCompareContent(MESSAGES.types());
        CodecLaws.arrayRecordsCompareContent(DURABLE.types());
    }

    @Test
    void messagesRoundTrip() {
        assertEquals(8 * 3000, CodecLaws.roundTrips(PaxosCodec.MESSAGES, MESSAGES));
    }

    @Test
    void durableValuesRoundTrip() {
        assertEquals(2 * 3000, CodecLaws.roundTrips(PaxosCodec.DURABLE, DURABLE));
    }

    @Test
    void badBytesAreRejected() {
        List<byte[]> m = CodecLaws.samples(PaxosCodec.MESSAGES, MESSAGES);
        List<byte[]> d = CodecLaws.samples(PaxosCodec.DURABLE, DURABLE);
        for (var c : List.of(PaxosCodec.MESSAGES, PaxosCodec.DURABLE)) {
            List<byte[]> s = c == PaxosCodec.MESSAGES ? m : d;
            CodecLaws.rejectsTruncation(c, s);
            CodecLaws.rejectsUnknownVersion(c, s);
            CodecLaws.rejectsUnknownTag(c, s, 0);
            CodecLaws.rejectsUnknownTag(c, s, 99);
            CodecLaws.rejectsTrailingBytes(c, s);
        }
        CodecLaws.corruptionIsDetectedOrExact(PaxosCodec.MESSAGES, m, 3);
        CodecLaws.corruptionIsDetectedOrExact(PaxosCodec.DURABLE, d, 4);
    }

    /** A client that wants {@code 100 + index} chosen: asks every server until one tells it the decision. */
    private record Client(int index, Long[] decided) implements Node<PaxosMessage> {
        @Override
        public void start(Context<PaxosMessage> ctx) {
            ctx.setTimer(ctx.random().nextLong(5_000_000), "ask");
        }

        @Override
        public void receive(Context<PaxosMessage> ctx, int from, PaxosMessage message) {
            if (message instanceof Decided d) {
                decided[index] = d.value();
            }
        }

        @Override
        public void timer(Context<PaxosMessage> ctx, Object tag) {
            if (decided[index] == null) {
                for (int server = 0; server < ctx.servers(); server++) {
                    ctx.send(server, new Propose(100 + index));
                }
                ctx.setTimer(20_000_000, tag);
            }
        }
    }

    private static String run(long seed, IntFunction<Node<PaxosMessage>> servers) {
        Simulator<PaxosMessage> sim = new Simulator<>(SimConfig.defaults(seed, 3), servers);
        Long[] decided = new Long[3];
        for (int c = 0; c < decided.length; c++) {
            sim.addClient(new Client(c, decided));
        }
        Nemesis.random(sim, EnumSet.of(Nemesis.Kind.CRASH, Nemesis.Kind.DUPLICATE), 0, 100_000_000, 5_000_000, 15_000_000);
        sim.runUntil(10_000_000_000L, () -> Arrays.stream(decided).allMatch(v -> v != null));
        assertTrue(Arrays.stream(decided).allMatch(v -> v != null), "seed=" + seed + ": every client learns the decision");
        return "seed=" + seed + " trace " + sim.trace().hash() + " (" + sim.trace().events() + " events), decided " + Arrays.toString(decided);
    }

    /** Single-decree Paxos under crashes behaves identically when every message and durable value is a decoded copy. */
    @Test
    void simulatedRunsAreUnchangedOnDecodedCopies() {
        for (long seed = 1; seed <= 5; seed++) {
            long s = seed;
            var counts = Transcoded.assertSameRun(id -> new PaxosNode(Quorums.majority(3)), PaxosCodec.MESSAGES, PaxosCodec.DURABLE,
                    f -> run(s, f));
            assertTrue(counts.messages > 20 && counts.durable > 3, "seed=" + seed + ": " + counts.messages + " messages, "
                    + counts.durable + " writes");
        }
    }

    @Test
    void aBallotTheRecordRefusesIsACodecException() {
        byte[] b = PaxosCodec.MESSAGES.encode(new Prepare(new Ballot(5, 1)));
        b[3] = 3; // proposer zigzag 3 = -2, below -1
        CodecException e = assertThrows(CodecException.class, () -> PaxosCodec.MESSAGES.decode(b));
        assertTrue(e.getMessage().contains("proposer must be >= -1"), e.getMessage());
    }

    @Test
    void aValueWithoutEncodingIsRefused() {
        CodecException e = assertThrows(CodecException.class, () -> PaxosCodec.DURABLE.encode("a string"));
        assertTrue(e.getMessage().contains("java.lang.String"), e.getMessage());
    }
}
