package io.github.dsw.register;

import static io.github.dsw.runtime.CodecLaws.anyInt;
import static io.github.dsw.runtime.CodecLaws.anyLong;
import static io.github.dsw.runtime.CodecLaws.fn;
import static io.github.dsw.runtime.CodecLaws.nullableLong;
import static io.github.dsw.runtime.CodecLaws.nullableString;
import static io.github.dsw.runtime.CodecLaws.opValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.dsw.register.AbdMessage.Query;
import io.github.dsw.register.AbdMessage.QueryReply;
import io.github.dsw.register.AbdMessage.Store;
import io.github.dsw.register.AbdMessage.StoreAck;
import io.github.dsw.register.AbdMessage.Tag;
import io.github.dsw.register.PrimaryBackupMessage.Heartbeat;
import io.github.dsw.register.PrimaryBackupMessage.Replicate;
import io.github.dsw.runtime.Codec;
import io.github.dsw.runtime.CodecLaws.Generators;
import io.github.dsw.runtime.CodecLaws;
import io.github.dsw.runtime.Node;
import io.github.dsw.runtime.Transcoded;
import io.github.dsw.sim.ClientProtocol;
import io.github.dsw.sim.Nemesis;
import io.github.dsw.sim.SimConfig;
import io.github.dsw.sim.Simulator;
import io.github.dsw.sim.Workload;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;

/** Round trips and bad-bytes laws of {@link RegisterCodec}, on random instances of every record type. */
class RegisterCodecTest {

    static Tag tag(Random r) {
        return r.nextInt(6) == 0 ? Tag.ZERO : new Tag(anyLong(r), anyInt(r), anyLong(r));
    }

    static final Generators<AbdMessage> ABD = new Generators<AbdMessage>()
            .add(AbdMessage.Request.class, r -> new AbdMessage.Request(anyLong(r), fn(r), nullableString(r), nullableLong(r)))
            .add(AbdMessage.Reply.class, r -> new AbdMessage.Reply(anyLong(r), r.nextBoolean(), nullableLong(r)))
            .add(Query.class, r -> new Query(anyLong(r), nullableString(r)))
            .add(QueryReply.class, r -> new QueryReply(anyLong(r), tag(r), nullableLong(r)))
            .add(Store.class, r -> new Store(anyLong(r), nullableString(r), tag(r), nullableLong(r)))
            .add(StoreAck.class, r -> new StoreAck(anyLong(r)));

    static final Generators<PrimaryBackupMessage> PRIMARY_BACKUP = new Generators<PrimaryBackupMessage>()
            .add(PrimaryBackupMessage.Request.class, r -> {
                var f = fn(r);
                return new PrimaryBackupMessage.Request(anyLong(r), f, nullableString(r), opValue(r, f));
            })
            .add(PrimaryBackupMessage.Reply.class, r -> new PrimaryBackupMessage.Reply(anyLong(r), r.nextBoolean(), nullableLong(r), anyInt(r)))
            .add(Replicate.class, r -> new Replicate(nullableString(r), nullableLong(r)))
            .add(Heartbeat.class, r -> new Heartbeat());

    static final Generators<Object> DURABLE = new Generators<>()
            .add(AbdNode.Stored.class, r -> new AbdNode.Stored(tag(r), nullableLong(r)));

    @Test
    void everyMessageTypeHasAGenerator() {
        CodecLaws.coversPermittedSubclasses(AbdMessage.class, ABD);
        CodecLaws.coversPermittedSubclasses(PrimaryBackupMessage.class, PRIMARY_BACKUP);
        CodecLaws.arrayRecordsCompareContent(ABD.types());
        CodecLaws.arrayRecordsCompareContent(PRIMARY_BACKUP.types());
        CodecLaws.arrayRecordsCompareContent(DURABLE.types());
    }

    @Test
    void abdMessagesRoundTrip() {
        assertEquals(6 * 3000, CodecLaws.roundTrips(RegisterCodec.ABD_MESSAGES, ABD));
    }

    @Test
    void primaryBackupMessagesRoundTrip() {
        assertEquals(4 * 3000, CodecLaws.roundTrips(RegisterCodec.PRIMARY_BACKUP_MESSAGES, PRIMARY_BACKUP));
    }

    @Test
    void durableValuesRoundTrip() {
        assertEquals(3000, CodecLaws.roundTrips(RegisterCodec.DURABLE, DURABLE));
    }

    private static <T> void badBytes(Codec<T> codec, Generators<T> gens, long seed) {
        List<byte[]> s = CodecLaws.samples(codec, gens);
        CodecLaws.rejectsTruncation(codec, s);
        CodecLaws.rejectsUnknownVersion(codec, s);
        CodecLaws.rejectsUnknownTag(codec, s, 0);
        CodecLaws.rejectsUnknownTag(codec, s, 99);
        CodecLaws.rejectsTrailingBytes(codec, s);
        CodecLaws.corruptionIsDetectedOrExact(codec, s, seed);
    }

    private static <M> String run(long seed, IntFunction<Node<M>> servers, ClientProtocol<M> client, Workload.Spec spec) {
        Simulator<M> sim = new Simulator<>(SimConfig.defaults(seed, 3), servers);
        Workload<M> workload = new Workload<>(spec, client, 150);
        workload.attach(sim, 3);
        Nemesis.random(sim, EnumSet.of(Nemesis.Kind.CRASH, Nemesis.Kind.PARTITION, Nemesis.Kind.DUPLICATE), 0, 2_000_000_000L,
                50_000_000, 30_000_000);
        sim.runUntil(60_000_000_000L, workload::done);
        assertTrue(workload.done(), "seed=" + seed + ": the workload completes");
        return "seed=" + seed + " trace " + sim.trace().hash() + " (" + sim.trace().events() + " events), history "
                + workload.history().events();
    }

    /** ABD and primary-backup clusters behave identically when every message and stored value is a decoded copy. */
    @Test
    void simulatedRunsAreUnchangedOnDecodedCopies() {
        for (long seed = 1; seed <= 3; seed++) {
            long s = seed;
            var abd = Transcoded.assertSameRun(id -> new AbdNode(), RegisterCodec.ABD_MESSAGES, RegisterCodec.DURABLE,
                    f -> run(s, f, new RegisterRun.AbdClient(), Workload.Spec.register().withMix(0.5, 0.5)));
            assertTrue(abd.messages > 1000 && abd.durable > 50, "seed=" + seed + ": " + abd.messages + " messages, " + abd.durable + " writes");
            var pb = Transcoded.assertSameRun(id -> new PrimaryBackupNode(), RegisterCodec.PRIMARY_BACKUP_MESSAGES, RegisterCodec.DURABLE,
                    f -> run(s, f, new RegisterRun.PrimaryBackupClient(), Workload.Spec.register()));
            assertTrue(pb.messages > 500, "seed=" + seed + ": " + pb.messages + " messages");
        }
    }

    @Test
    void badBytesAreRejected() {
        badBytes(RegisterCodec.ABD_MESSAGES, ABD, 10);
        badBytes(RegisterCodec.PRIMARY_BACKUP_MESSAGES, PRIMARY_BACKUP, 11);
        badBytes(RegisterCodec.DURABLE, DURABLE, 12);
    }
}
