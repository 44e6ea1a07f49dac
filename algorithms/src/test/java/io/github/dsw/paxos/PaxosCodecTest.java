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
import io.github.dsw.runtime.CodecLaws;
import io.github.dsw.runtime.CodecLaws.Generators;
import java.util.List;
import java.util.Random;
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
