package io.github.dsw.register;

import io.github.dsw.check.HistoryEvent.Fn;
import io.github.dsw.check.OperationValue;
import io.github.dsw.register.AbdMessage.Query;
import io.github.dsw.register.AbdMessage.QueryReply;
import io.github.dsw.register.AbdMessage.Store;
import io.github.dsw.register.AbdMessage.StoreAck;
import io.github.dsw.register.AbdMessage.Tag;
import io.github.dsw.register.PrimaryBackupMessage.Heartbeat;
import io.github.dsw.register.PrimaryBackupMessage.Replicate;
import io.github.dsw.runtime.Codec;
import io.github.dsw.runtime.CodecException;
import io.github.dsw.runtime.WireReader;
import io.github.dsw.runtime.WireWriter;

/**
 * Binary codecs of the replicated registers: the messages of ABD ({@link AbdMessage}) and of naive
 * primary-backup ({@link PrimaryBackupMessage}), and the durable value of an ABD replica. Frame and
 * field encodings: {@link Codec} and {@link WireWriter}.
 *
 * <p>An ABD tag ({@link Tag}) is {@code long ts, int node, long op}. ABD messages, after the version byte 1:
 * <pre>
 * tag  record      fields
 *  1   Request     long requestId, enum f, string key, nullable long value
 *  2   Reply       long requestId, boolean ok, nullable long value
 *  3   Query       long op, string key
 *  4   QueryReply  long op, tag, nullable long value
 *  5   Store       long op, string key, tag, nullable long value
 *  6   StoreAck    long op
 * </pre>
 * Primary-backup messages, after the version byte 1:
 * <pre>
 * tag  record      fields
 *  1   Request     long requestId, enum f, string key, op value
 *  2   Reply       long requestId, boolean ok, nullable long value, int redirect
 *  3   Replicate   string key, nullable long value
 *  4   Heartbeat   (none)
 * </pre>
 * Durable values ({@link #DURABLE}): what an ABD replica persists per key; the primary-backup nodes
 * persist nothing (their loss of acknowledged writes is the lesson):
 * <pre>
 * tag  value            fields
 *  1   AbdNode.Stored   tag, nullable long value
 * </pre>
 */
public final class RegisterCodec {

    public static final int ABD_REQUEST = 1;
    public static final int ABD_REPLY = 2;
    public static final int ABD_QUERY = 3;
    public static final int ABD_QUERY_REPLY = 4;
    public static final int ABD_STORE = 5;
    public static final int ABD_STORE_ACK = 6;

    public static final int PB_REQUEST = 1;
    public static final int PB_REPLY = 2;
    public static final int PB_REPLICATE = 3;
    public static final int PB_HEARTBEAT = 4;

    public static final int ABD_STORED = 1;

    /** Every {@link AbdMessage}. */
    public static final Codec<AbdMessage> ABD_MESSAGES = Codec.framed("AbdMessage", RegisterCodec::writeAbd, RegisterCodec::readAbd);

    /** Every {@link PrimaryBackupMessage}. */
    public static final Codec<PrimaryBackupMessage> PRIMARY_BACKUP_MESSAGES =
            Codec.framed("PrimaryBackupMessage", RegisterCodec::writePrimaryBackup, RegisterCodec::readPrimaryBackup);

    /** The durable value of an ABD replica (its stored tag and value for one key). */
    public static final Codec<Object> DURABLE = Codec.framed("register durable value", RegisterCodec::writeDurable, RegisterCodec::readDurable);

    private RegisterCodec() {
    }

    private static void writeTag(WireWriter out, Tag t) {
        WireWriter.required(t, "ABD tag");
        out.writeLong(t.ts());
        out.writeInt(t.node());
        out.writeLong(t.op());
    }

    private static Tag readTag(WireReader in) {
        return new Tag(in.readLong(), in.readInt(), in.readLong());
    }

    private static void writeAbd(WireWriter out, AbdMessage m) {
        switch (m) {
            case AbdMessage.Request r -> {
                out.writeTag(ABD_REQUEST);
                out.writeLong(r.requestId());
                out.writeEnum(r.f());
                out.writeString(r.key());
                out.writeNullableLong(r.value());
            }
            case AbdMessage.Reply r -> {
                out.writeTag(ABD_REPLY);
                out.writeLong(r.requestId());
                out.writeBoolean(r.ok());
                out.writeNullableLong(r.value());
            }
            case Query q -> {
                out.writeTag(ABD_QUERY);
                out.writeLong(q.op());
                out.writeString(q.key());
            }
            case QueryReply q -> {
                out.writeTag(ABD_QUERY_REPLY);
                out.writeLong(q.op());
                writeTag(out, q.tag());
                out.writeNullableLong(q.value());
            }
            case Store s -> {
                out.writeTag(ABD_STORE);
                out.writeLong(s.op());
                out.writeString(s.key());
                writeTag(out, s.tag());
                out.writeNullableLong(s.value());
            }
            case StoreAck a -> {
                out.writeTag(ABD_STORE_ACK);
                out.writeLong(a.op());
            }
        }
    }

    private static AbdMessage readAbd(WireReader in) {
        int tag = in.readTag();
        return switch (tag) {
            case ABD_REQUEST -> new AbdMessage.Request(in.readLong(), in.readEnum(Fn.class), in.readString(), in.readNullableLong());
            case ABD_REPLY -> new AbdMessage.Reply(in.readLong(), in.readBoolean(), in.readNullableLong());
            case ABD_QUERY -> new Query(in.readLong(), in.readString());
            case ABD_QUERY_REPLY -> new QueryReply(in.readLong(), readTag(in), in.readNullableLong());
            case ABD_STORE -> new Store(in.readLong(), in.readString(), readTag(in), in.readNullableLong());
            case ABD_STORE_ACK -> new StoreAck(in.readLong());
            default -> throw in.unknownTag(tag, "AbdMessage");
        };
    }

    private static void writePrimaryBackup(WireWriter out, PrimaryBackupMessage m) {
        switch (m) {
            case PrimaryBackupMessage.Request r -> {
                out.writeTag(PB_REQUEST);
                out.writeLong(r.requestId());
                out.writeEnum(r.f());
                out.writeString(r.key());
                OperationValue.write(out, r.value());
            }
            case PrimaryBackupMessage.Reply r -> {
                out.writeTag(PB_REPLY);
                out.writeLong(r.requestId());
                out.writeBoolean(r.ok());
                out.writeNullableLong(r.value());
                out.writeInt(r.redirect());
            }
            case Replicate r -> {
                out.writeTag(PB_REPLICATE);
                out.writeString(r.key());
                out.writeNullableLong(r.value());
            }
            case Heartbeat h -> out.writeTag(PB_HEARTBEAT);
        }
    }

    private static PrimaryBackupMessage readPrimaryBackup(WireReader in) {
        int tag = in.readTag();
        return switch (tag) {
            case PB_REQUEST -> new PrimaryBackupMessage.Request(in.readLong(), in.readEnum(Fn.class), in.readString(), OperationValue.read(in));
            case PB_REPLY -> new PrimaryBackupMessage.Reply(in.readLong(), in.readBoolean(), in.readNullableLong(), in.readInt());
            case PB_REPLICATE -> new Replicate(in.readString(), in.readNullableLong());
            case PB_HEARTBEAT -> new Heartbeat();
            default -> throw in.unknownTag(tag, "PrimaryBackupMessage");
        };
    }

    private static void writeDurable(WireWriter out, Object value) {
        if (!(value instanceof AbdNode.Stored s)) {
            throw new CodecException("no register durable encoding for a " + value.getClass().getName() + ": " + value);
        }
        out.writeTag(ABD_STORED);
        writeTag(out, s.tag());
        out.writeNullableLong(s.value());
    }

    private static Object readDurable(WireReader in) {
        int tag = in.readTag();
        if (tag != ABD_STORED) {
            throw in.unknownTag(tag, "register durable value");
        }
        return new AbdNode.Stored(readTag(in), in.readNullableLong());
    }
}
