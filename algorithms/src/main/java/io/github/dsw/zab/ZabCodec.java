package io.github.dsw.zab;

import io.github.dsw.check.HistoryEvent.Fn;
import io.github.dsw.check.OperationValue;
import io.github.dsw.raft.KvStore;
import io.github.dsw.runtime.Codec;
import io.github.dsw.runtime.CodecException;
import io.github.dsw.runtime.WireReader;
import io.github.dsw.runtime.WireWriter;
import io.github.dsw.zab.ZabMessage.Ack;
import io.github.dsw.zab.ZabMessage.AckEpoch;
import io.github.dsw.zab.ZabMessage.AckNewLeader;
import io.github.dsw.zab.ZabMessage.CEpoch;
import io.github.dsw.zab.ZabMessage.Commit;
import io.github.dsw.zab.ZabMessage.Forward;
import io.github.dsw.zab.ZabMessage.NewEpoch;
import io.github.dsw.zab.ZabMessage.NewLeader;
import io.github.dsw.zab.ZabMessage.Notification;
import io.github.dsw.zab.ZabMessage.Ping;
import io.github.dsw.zab.ZabMessage.PingAck;
import io.github.dsw.zab.ZabMessage.Proposal;
import io.github.dsw.zab.ZabMessage.ProposalBatch;
import io.github.dsw.zab.ZabMessage.Reply;
import io.github.dsw.zab.ZabMessage.Request;
import io.github.dsw.zab.ZabMessage.ServerState;
import io.github.dsw.zab.ZabMessage.SyncMode;
import io.github.dsw.zab.ZabMessage.UpToDate;
import io.github.dsw.zab.ZabMessage.Vote;

/**
 * Binary codecs of Zab: every {@link ZabMessage} and what {@link ZabNode} persists, for the cluster runtime (chapter
 * 8's TCP transport and disk storage). Frame and field encodings: {@link Codec} and {@link WireWriter}.
 *
 * <p>Shared pieces. A zxid is one long, ZooKeeper's packing ({@link Zxid#packed}: epoch in the high 32 bits,
 * counter in the low 32), so every long is a zxid; a vote is {@code int leader, zxid, long peerEpoch}; a
 * transaction ({@link Txn}) is {@code zxid, command}, and a command carries its own tag:
 * <pre>
 * tag  command           fields
 *  0   null
 *  1   Long              long
 *  2   String            string (not null)
 *  3   KvStore.Command   int client, long requestId, enum f, string key, op value, long firstUnanswered
 * </pre>
 * Messages, after the version byte 1:
 * <pre>
 * tag  record         fields
 *  1   Notification   vote, long electionEpoch, enum state
 *  2   CEpoch         long acceptedEpoch
 *  3   NewEpoch       long epoch
 *  4   AckEpoch       long epoch, long currentEpoch, zxid lastZxid
 *  5   NewLeader      long epoch, enum mode, zxid base, list of txn, zxid lastZxid
 *  6   AckNewLeader   long epoch, zxid lastZxid
 *  7   UpToDate       long epoch, zxid commitZxid
 *  8   Proposal       long epoch, txn
 *  9   Ack            long epoch, zxid
 * 10   Commit         long epoch, zxid
 * 11   Ping           long epoch, zxid commitZxid
 * 12   PingAck        long epoch
 * 13   Forward        command
 * 14   Request        long requestId, enum f, string key, op value, long firstUnanswered
 * 15   Reply          long requestId, boolean ok, nullable long value, boolean retry
 * 16   ProposalBatch  long epoch, list of txn
 * 17   NewLeaderSnapshot long epoch, snapshot, list of txn, zxid lastZxid
 * </pre>
 * A snapshot: long index, zxid, bytes state.
 * Durable values ({@link #DURABLE}), as {@link ZabNode} writes them: {@code zab.current} and {@code zab.length}
 * (Long), {@code zab.accepted} ({@link ZabNode.AcceptedEpoch}), {@code zab.h/<i>} ({@link Txn}), {@code zab.snap}
 * ({@link ZabSnapshot}) and {@code zab.base} ({@link ZabNode.LogBase}):
 * <pre>
 * tag  value           fields
 *  1   Long            long
 *  2   AcceptedEpoch   long epoch, int leader
 *  3   Txn             txn
 *  4   ZabSnapshot     snapshot
 *  5   LogBase         long index, zxid
 * </pre>
 */
public final class ZabCodec {

    public static final int NOTIFICATION = 1;
    public static final int CEPOCH = 2;
    public static final int NEW_EPOCH = 3;
    public static final int ACK_EPOCH = 4;
    public static final int NEW_LEADER = 5;
    public static final int ACK_NEW_LEADER = 6;
    public static final int UP_TO_DATE = 7;
    public static final int PROPOSAL = 8;
    public static final int ACK = 9;
    public static final int COMMIT = 10;
    public static final int PING = 11;
    public static final int PING_ACK = 12;
    public static final int FORWARD = 13;
    public static final int REQUEST = 14;
    public static final int REPLY = 15;
    public static final int PROPOSAL_BATCH = 16;
    public static final int NEW_LEADER_SNAPSHOT = 17;

    public static final int COMMAND_NULL = 0;
    public static final int COMMAND_LONG = 1;
    public static final int COMMAND_STRING = 2;
    public static final int COMMAND_KV = 3;

    public static final int LONG = 1;
    public static final int ACCEPTED_EPOCH = 2;
    public static final int TXN = 3;
    public static final int SNAPSHOT = 4;
    public static final int LOG_BASE = 5;

    /** Every {@link ZabMessage}. */
    public static final Codec<ZabMessage> MESSAGES = Codec.framed("ZabMessage", ZabCodec::writeMessage, ZabCodec::readMessage);

    /** What {@link ZabNode} persists: a Long, an {@link ZabNode.AcceptedEpoch} or a {@link Txn}. */
    public static final Codec<Object> DURABLE = Codec.framed("Zab durable value", ZabCodec::writeDurable, ZabCodec::readDurable);

    private ZabCodec() {
    }

    // ------------------------------------------------------------------ shared pieces

    private static void writeZxid(WireWriter out, Zxid z) {
        out.writeLong(WireWriter.required(z, "zxid").packed());
    }

    private static Zxid readZxid(WireReader in) {
        long p = in.readLong();
        return new Zxid(p >>> 32, p & 0xffff_ffffL);
    }

    private static void writeTxn(WireWriter out, Txn t) {
        WireWriter.required(t, "transaction");
        writeZxid(out, t.zxid());
        writeCommand(out, t.value());
    }

    private static Txn readTxn(WireReader in) {
        return new Txn(readZxid(in), readCommand(in));
    }

    private static void writeSnapshot(WireWriter out, ZabSnapshot z) {
        out.writeLong(z.index());
        writeZxid(out, z.zxid());
        out.writeBytes(z.state());
    }

    private static ZabSnapshot readSnapshot(WireReader in) {
        return new ZabSnapshot(in.readLong(), readZxid(in), in.readBytes());
    }

    private static void writeCommand(WireWriter out, Object command) {
        switch (command) {
            case null -> out.writeTag(COMMAND_NULL);
            case Long n -> {
                out.writeTag(COMMAND_LONG);
                out.writeLong(n);
            }
            case String s -> {
                out.writeTag(COMMAND_STRING);
                out.writeString(s);
            }
            case KvStore.Command c -> {
                out.writeTag(COMMAND_KV);
                out.writeInt(c.client());
                out.writeLong(c.requestId());
                out.writeEnum(c.f());
                out.writeString(c.key());
                OperationValue.write(out, c.value());
                out.writeLong(c.firstUnanswered());
            }
            default -> throw new CodecException("no encoding for a Zab command of type " + command.getClass().getName() + ": " + command);
        }
    }

    private static Object readCommand(WireReader in) {
        int tag = in.readTag();
        return switch (tag) {
            case COMMAND_NULL -> null;
            case COMMAND_LONG -> in.readLong();
            case COMMAND_STRING -> {
                int at = in.position();
                String s = in.readString();
                if (s == null) {
                    throw in.error(at, "null string command (null has its own tag)");
                }
                yield s;
            }
            case COMMAND_KV -> new KvStore.Command(in.readInt(), in.readLong(), in.readEnum(Fn.class), in.readString(), OperationValue.read(in),
                    in.readLong());
            default -> throw in.unknownTag(tag, "a Zab command");
        };
    }

    // ------------------------------------------------------------------ messages

    private static void writeMessage(WireWriter out, ZabMessage m) {
        switch (m) {
            case Notification n -> {
                out.writeTag(NOTIFICATION);
                Vote v = WireWriter.required(n.vote(), "vote");
                out.writeInt(v.leader());
                writeZxid(out, v.zxid());
                out.writeLong(v.peerEpoch());
                out.writeLong(n.electionEpoch());
                out.writeEnum(n.state());
            }
            case CEpoch c -> {
                out.writeTag(CEPOCH);
                out.writeLong(c.acceptedEpoch());
            }
            case NewEpoch n -> {
                out.writeTag(NEW_EPOCH);
                out.writeLong(n.epoch());
            }
            case AckEpoch a -> {
                out.writeTag(ACK_EPOCH);
                out.writeLong(a.epoch());
                out.writeLong(a.currentEpoch());
                writeZxid(out, a.lastZxid());
            }
            case NewLeader n -> {
                out.writeTag(NEW_LEADER);
                out.writeLong(n.epoch());
                out.writeEnum(n.mode());
                writeZxid(out, n.base());
                out.writeList(n.txns(), ZabCodec::writeTxn);
                writeZxid(out, n.lastZxid());
            }
            case ZabMessage.NewLeaderSnapshot n -> {
                out.writeTag(NEW_LEADER_SNAPSHOT);
                out.writeLong(n.epoch());
                writeSnapshot(out, n.snapshot());
                out.writeList(n.txns(), ZabCodec::writeTxn);
                writeZxid(out, n.lastZxid());
            }
            case AckNewLeader a -> {
                out.writeTag(ACK_NEW_LEADER);
                out.writeLong(a.epoch());
                writeZxid(out, a.lastZxid());
            }
            case UpToDate u -> {
                out.writeTag(UP_TO_DATE);
                out.writeLong(u.epoch());
                writeZxid(out, u.commitZxid());
            }
            case Proposal p -> {
                out.writeTag(PROPOSAL);
                out.writeLong(p.epoch());
                writeTxn(out, p.txn());
            }
            case ProposalBatch p -> {
                out.writeTag(PROPOSAL_BATCH);
                out.writeLong(p.epoch());
                out.writeList(p.txns(), ZabCodec::writeTxn);
            }
            case Ack a -> {
                out.writeTag(ACK);
                out.writeLong(a.epoch());
                writeZxid(out, a.zxid());
            }
            case Commit c -> {
                out.writeTag(COMMIT);
                out.writeLong(c.epoch());
                writeZxid(out, c.zxid());
            }
            case Ping p -> {
                out.writeTag(PING);
                out.writeLong(p.epoch());
                writeZxid(out, p.commitZxid());
            }
            case PingAck p -> {
                out.writeTag(PING_ACK);
                out.writeLong(p.epoch());
            }
            case Forward f -> {
                out.writeTag(FORWARD);
                writeCommand(out, f.value());
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
                out.writeBoolean(r.retry());
            }
        }
    }

    private static ZabMessage readMessage(WireReader in) {
        int tag = in.readTag();
        return switch (tag) {
            case NOTIFICATION -> {
                Vote v = new Vote(in.readInt(), readZxid(in), in.readLong());
                yield new Notification(v, in.readLong(), in.readEnum(ServerState.class));
            }
            case CEPOCH -> new CEpoch(in.readLong());
            case NEW_EPOCH -> new NewEpoch(in.readLong());
            case ACK_EPOCH -> new AckEpoch(in.readLong(), in.readLong(), readZxid(in));
            case NEW_LEADER -> new NewLeader(in.readLong(), in.readEnum(SyncMode.class), readZxid(in), in.readList(ZabCodec::readTxn), readZxid(in));
            case ACK_NEW_LEADER -> new AckNewLeader(in.readLong(), readZxid(in));
            case UP_TO_DATE -> new UpToDate(in.readLong(), readZxid(in));
            case PROPOSAL -> new Proposal(in.readLong(), readTxn(in));
            case PROPOSAL_BATCH -> new ProposalBatch(in.readLong(), in.readList(ZabCodec::readTxn));
            case NEW_LEADER_SNAPSHOT -> new ZabMessage.NewLeaderSnapshot(in.readLong(), readSnapshot(in), in.readList(ZabCodec::readTxn), readZxid(in));
            case ACK -> new Ack(in.readLong(), readZxid(in));
            case COMMIT -> new Commit(in.readLong(), readZxid(in));
            case PING -> new Ping(in.readLong(), readZxid(in));
            case PING_ACK -> new PingAck(in.readLong());
            case FORWARD -> new Forward(readCommand(in));
            case REQUEST -> new Request(in.readLong(), in.readEnum(Fn.class), in.readString(), OperationValue.read(in), in.readLong());
            case REPLY -> new Reply(in.readLong(), in.readBoolean(), in.readNullableLong(), in.readBoolean());
            default -> throw in.unknownTag(tag, "ZabMessage");
        };
    }

    // ------------------------------------------------------------------ durable values

    private static void writeDurable(WireWriter out, Object value) {
        switch (value) {
            case Long n -> {
                out.writeTag(LONG);
                out.writeLong(n);
            }
            case ZabNode.AcceptedEpoch a -> {
                out.writeTag(ACCEPTED_EPOCH);
                out.writeLong(a.epoch());
                out.writeInt(a.leader());
            }
            case Txn t -> {
                out.writeTag(TXN);
                writeTxn(out, t);
            }
            case ZabSnapshot z -> {
                out.writeTag(SNAPSHOT);
                writeSnapshot(out, z);
            }
            case ZabNode.LogBase b -> {
                out.writeTag(LOG_BASE);
                out.writeLong(b.index());
                writeZxid(out, b.zxid());
            }
            default -> throw new CodecException("no Zab durable encoding for a " + value.getClass().getName() + ": " + value);
        }
    }

    private static Object readDurable(WireReader in) {
        int tag = in.readTag();
        return switch (tag) {
            case LONG -> in.readLong();
            case ACCEPTED_EPOCH -> new ZabNode.AcceptedEpoch(in.readLong(), in.readInt());
            case TXN -> readTxn(in);
            case SNAPSHOT -> readSnapshot(in);
            case LOG_BASE -> new ZabNode.LogBase(in.readLong(), readZxid(in));
            default -> throw in.unknownTag(tag, "Zab durable value");
        };
    }
}
