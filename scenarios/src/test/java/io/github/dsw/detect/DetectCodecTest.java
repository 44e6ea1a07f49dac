package io.github.dsw.detect;

import static io.github.dsw.runtime.CodecLaws.anyInt;
import static io.github.dsw.runtime.CodecLaws.anyLong;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.dsw.runtime.Codec;
import io.github.dsw.runtime.CodecLaws;
import io.github.dsw.runtime.CodecLaws.Generators;
import io.github.dsw.runtime.Transcoded;
import io.github.dsw.sim.Latency;
import io.github.dsw.sim.LinkModel;
import io.github.dsw.sim.SimConfig;
import io.github.dsw.sim.Simulator;
import io.github.dsw.sim.Trace;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Round trips and bad-bytes laws of {@link DetectCodec}, and a SWIM run unchanged on decoded copies. */
class DetectCodecTest {

    static SwimMessage.Update update(Random r) {
        return new SwimMessage.Update(anyInt(r), SwimMessage.Kind.values()[r.nextInt(3)], anyLong(r));
    }

    static final Generators<HeartbeatMessage> HEARTBEATS = new Generators<HeartbeatMessage>()
            .add(HeartbeatMessage.Heartbeat.class, r -> new HeartbeatMessage.Heartbeat(anyLong(r)));

    static final Generators<SwimMessage> SWIM = new Generators<SwimMessage>()
            .add(SwimMessage.Ping.class, r -> new SwimMessage.Ping(anyLong(r), CodecLaws.listOf(r, 8, DetectCodecTest::update)))
            .add(SwimMessage.PingReq.class, r -> new SwimMessage.PingReq(anyLong(r), anyInt(r), CodecLaws.listOf(r, 8, DetectCodecTest::update)))
            .add(SwimMessage.Ack.class, r -> new SwimMessage.Ack(anyLong(r), CodecLaws.listOf(r, 8, DetectCodecTest::update)));

    static final Generators<Object> DURABLE = new Generators<>().add(Long.class, r -> anyLong(r));

    @Test
    void everyMessageTypeHasAGenerator() {
        CodecLaws.coversPermittedSubclasses(HeartbeatMessage.class, HEARTBEATS);
        CodecLaws.coversPermittedSubclasses(SwimMessage.class, SWIM);
    }

    @Test
    void messagesAndDurableValuesRoundTrip() {
        assertEquals(3000, CodecLaws.roundTrips(DetectCodec.HEARTBEAT_MESSAGES, HEARTBEATS));
        assertEquals(3 * 3000, CodecLaws.roundTrips(DetectCodec.SWIM_MESSAGES, SWIM));
        assertEquals(3000, CodecLaws.roundTrips(DetectCodec.DURABLE, DURABLE));
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

    @Test
    void badBytesAreRejected() {
        badBytes(DetectCodec.HEARTBEAT_MESSAGES, HEARTBEATS, 20);
        badBytes(DetectCodec.SWIM_MESSAGES, SWIM, 21);
        badBytes(DetectCodec.DURABLE, DURABLE, 22);
    }

    /** A SWIM group with a crash, a restart and a pause behaves identically when every message and write is a decoded copy. */
    @Test
    void swimRunsAreUnchangedOnDecodedCopies() {
        for (long seed = 1; seed <= 2; seed++) {
            long s = seed;
            var counts = Transcoded.assertSameRun(id -> new SwimNode(SwimNode.Config.defaults()), DetectCodec.SWIM_MESSAGES,
                    DetectCodec.DURABLE, factory -> {
                        SimConfig c = new SimConfig(s, 6, LinkModel.reliable(new Latency.LogNormal(5_000_000, 0.5)).withLoss(0.05),
                                LinkModel.reliable(new Latency.Constant(500_000)), 100_000, Trace.Level.HASH, false);
                        Simulator<SwimMessage> sim = new Simulator<>(c, factory);
                        sim.schedule(10_000_000_000L, () -> sim.crash(2));
                        sim.schedule(30_000_000_000L, () -> sim.restart(2));
                        sim.schedule(40_000_000_000L, () -> sim.pause(4, 3_000_000_000L));
                        sim.runUntil(60_000_000_000L);
                        return "seed=" + s + " trace " + sim.trace().hash() + " (" + sim.trace().events() + " events)";
                    });
            assertTrue(counts.messages > 500 && counts.durable >= 7, "seed=" + seed + ": " + counts.messages + " messages, "
                    + counts.durable + " writes");
        }
    }
}
