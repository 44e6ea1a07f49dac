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
import io.github.dsw.runtime.CodecLaws;
import io.github.dsw.runtime.CodecLaws.Generators;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
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
            });

    @Test
    void everyMessageTypeHasAGenerator() {
        CodecLaws.coversPermittedSubclasses(KvMessage.class, MESSAGES);
        CodecLaws.arrayRecordsCompareContent(MESSAGES.types());
    }

    @Test
    void messagesRoundTrip() {
        assertEquals(3 * 3000, CodecLaws.roundTrips(KvCodec.MESSAGES, MESSAGES));
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
