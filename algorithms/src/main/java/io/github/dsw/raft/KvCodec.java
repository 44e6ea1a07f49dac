package io.github.dsw.raft;

import io.github.dsw.check.HistoryEvent.Fn;
import io.github.dsw.check.OperationValue;
import io.github.dsw.raft.KvMessage.Peer;
import io.github.dsw.raft.KvMessage.Reply;
import io.github.dsw.raft.KvMessage.Request;
import io.github.dsw.runtime.Codec;
import io.github.dsw.runtime.WireReader;
import io.github.dsw.runtime.WireWriter;

/**
 * Binary codec of the replicated key-value store's {@link KvMessage}s. Frame and field encodings:
 * {@link Codec} and {@link WireWriter}. Messages, after the version byte 1:
 * <pre>
 * tag  record   fields
 *  1   Peer     a RaftMessage's tag and fields, exactly as in {@link RaftCodec} (without a second version byte)
 *  2   Request  long requestId, enum f, string key, op value, long firstUnanswered
 *  3   Reply    long requestId, boolean ok, nullable long value, int redirect, boolean retry
 *  4   Admin    long requestId, enum change type ({@link ConfChange.Type}), int node
 * </pre>
 * The key-value server's durable state needs no codec of its own: its log commands
 * ({@link KvStore.Command}) are encoded by {@link RaftCodec}'s log entries, and its map and session
 * table reach storage only as the bytes of a {@link Snapshot} ({@code KvStore.snapshot}).
 */
public final class KvCodec {

    public static final int PEER = 1;
    public static final int REQUEST = 2;
    public static final int REPLY = 3;
    public static final int ADMIN = 4;

    /** Every {@link KvMessage}. */
    public static final Codec<KvMessage> MESSAGES = Codec.framed("KvMessage", KvCodec::write, KvCodec::read);

    private KvCodec() {
    }

    private static void write(WireWriter out, KvMessage m) {
        switch (m) {
            case Peer p -> {
                out.writeTag(PEER);
                RaftCodec.writeMessage(out, WireWriter.required(p.message(), "Raft message"));
            }
            case Request r -> {
                out.writeTag(REQUEST);
                out.writeLong(r.requestId());
                out.writeEnum(r.f());
                out.writeString(r.key());
                OperationValue.write(out, r.value());
                out.writeLong(r.firstUnanswered());
            }
            case Reply r -> {
                out.writeTag(REPLY);
                out.writeLong(r.requestId());
                out.writeBoolean(r.ok());
                out.writeNullableLong(r.value());
                out.writeInt(r.redirect());
                out.writeBoolean(r.retry());
            }
            case KvMessage.Admin a -> {
                out.writeTag(ADMIN);
                out.writeLong(a.requestId());
                out.writeEnum(a.change().type());
                out.writeInt(a.change().node());
            }
        }
    }

    private static KvMessage read(WireReader in) {
        int tag = in.readTag();
        return switch (tag) {
            case PEER -> new Peer(RaftCodec.readMessage(in));
            case REQUEST -> new Request(in.readLong(), in.readEnum(Fn.class), in.readString(), OperationValue.read(in), in.readLong());
            case REPLY -> new Reply(in.readLong(), in.readBoolean(), in.readNullableLong(), in.readInt(), in.readBoolean());
            case ADMIN -> new KvMessage.Admin(in.readLong(), new ConfChange(in.readEnum(ConfChange.Type.class), in.readInt()));
            default -> throw in.unknownTag(tag, "KvMessage");
        };
    }
}
