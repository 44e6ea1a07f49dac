package io.github.dsw.detect;

import io.github.dsw.detect.SwimMessage.Ack;
import io.github.dsw.detect.SwimMessage.Kind;
import io.github.dsw.detect.SwimMessage.Ping;
import io.github.dsw.detect.SwimMessage.PingReq;
import io.github.dsw.detect.SwimMessage.Update;
import io.github.dsw.runtime.Codec;
import io.github.dsw.runtime.CodecException;
import io.github.dsw.runtime.WireReader;
import io.github.dsw.runtime.WireWriter;

/**
 * Binary codecs of chapter 11's protocols. Frame and field encodings: {@link Codec} and {@link WireWriter}.
 * An update is {@code int member, enum kind, long incarnation}. After the version byte 1:
 * <pre>
 * HeartbeatMessage
 * tag  record      fields
 *  1   Heartbeat   long seq
 *
 * SwimMessage
 * tag  record      fields
 *  1   Ping        long seq, list of updates
 *  2   PingReq     long seq, int target, list of updates
 *  3   Ack         long seq, list of updates
 * </pre>
 * Durable values ({@link #DURABLE}): a SWIM member persists its incarnation number (a {@code Long});
 * heartbeat nodes persist nothing.
 * <pre>
 * tag  value        fields
 *  1   incarnation  long
 * </pre>
 */
public final class DetectCodec {

    public static final int HEARTBEAT = 1;

    public static final int PING = 1;
    public static final int PING_REQ = 2;
    public static final int ACK = 3;

    public static final int INCARNATION = 1;

    /** Every {@link HeartbeatMessage}. */
    public static final Codec<HeartbeatMessage> HEARTBEAT_MESSAGES =
            Codec.framed("HeartbeatMessage", DetectCodec::writeHeartbeat, DetectCodec::readHeartbeat);

    /** Every {@link SwimMessage}. */
    public static final Codec<SwimMessage> SWIM_MESSAGES = Codec.framed("SwimMessage", DetectCodec::writeSwim, DetectCodec::readSwim);

    /** The durable value of a SWIM member. */
    public static final Codec<Object> DURABLE = Codec.framed("detect durable value", DetectCodec::writeDurable, DetectCodec::readDurable);

    private DetectCodec() {
    }

    private static void writeHeartbeat(WireWriter out, HeartbeatMessage m) {
        switch (m) {
            case HeartbeatMessage.Heartbeat h -> {
                out.writeTag(HEARTBEAT);
                out.writeLong(h.seq());
            }
        }
    }

    private static HeartbeatMessage readHeartbeat(WireReader in) {
        int tag = in.readTag();
        if (tag != HEARTBEAT) {
            throw in.unknownTag(tag, "HeartbeatMessage");
        }
        return new HeartbeatMessage.Heartbeat(in.readLong());
    }

    private static void writeUpdate(WireWriter out, Update u) {
        WireWriter.required(u, "SWIM update");
        out.writeInt(u.member());
        out.writeEnum(WireWriter.required(u.kind(), "SWIM update kind"));
        out.writeLong(u.incarnation());
    }

    private static Update readUpdate(WireReader in) {
        return new Update(in.readInt(), in.readEnum(Kind.class), in.readLong());
    }

    private static void writeSwim(WireWriter out, SwimMessage m) {
        switch (m) {
            case Ping p -> {
                out.writeTag(PING);
                out.writeLong(p.seq());
                out.writeList(p.updates(), DetectCodec::writeUpdate);
            }
            case PingReq r -> {
                out.writeTag(PING_REQ);
                out.writeLong(r.seq());
                out.writeInt(r.target());
                out.writeList(r.updates(), DetectCodec::writeUpdate);
            }
            case Ack a -> {
                out.writeTag(ACK);
                out.writeLong(a.seq());
                out.writeList(a.updates(), DetectCodec::writeUpdate);
            }
        }
    }

    private static SwimMessage readSwim(WireReader in) {
        int tag = in.readTag();
        return switch (tag) {
            case PING -> new Ping(in.readLong(), in.readList(DetectCodec::readUpdate));
            case PING_REQ -> new PingReq(in.readLong(), in.readInt(), in.readList(DetectCodec::readUpdate));
            case ACK -> new Ack(in.readLong(), in.readList(DetectCodec::readUpdate));
            default -> throw in.unknownTag(tag, "SwimMessage");
        };
    }

    private static void writeDurable(WireWriter out, Object value) {
        if (!(value instanceof Long incarnation)) {
            throw new CodecException("no encoding for durable value " + value);
        }
        out.writeTag(INCARNATION);
        out.writeLong(incarnation);
    }

    private static Object readDurable(WireReader in) {
        int tag = in.readTag();
        if (tag != INCARNATION) {
            throw in.unknownTag(tag, "detect durable value");
        }
        return in.readLong();
    }
}
