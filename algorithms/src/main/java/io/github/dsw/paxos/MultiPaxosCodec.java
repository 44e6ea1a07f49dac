package io.github.dsw.paxos;

import io.github.dsw.check.HistoryEvent.Fn;
import io.github.dsw.check.OperationValue;
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
import io.github.dsw.runtime.Codec;
import io.github.dsw.runtime.CodecException;
import io.github.dsw.runtime.WireReader;
import io.github.dsw.runtime.WireWriter;
import java.util.List;

/**
 * Binary codecs of Multi-Paxos: its {@link MultiPaxosMessage}s and the durable values of
 * {@link MultiPaxosNode}. Frame and field encodings: {@link Codec} and {@link WireWriter}.
 *
 * <p>A ballot is {@code long round, int proposer}; a command ({@link Command}) is
 * {@code long requestId, enum f, string key, op value}; a batch is a list of commands; a pvalue is
 * {@code ballot, batch}. Messages, after the version byte 1:
 * <pre>
 * tag  record          fields
 *  1   ClientRequest   long requestId, enum f, string key, op value
 *  2   ClientReply     long requestId, boolean ok, nullable long value
 *  3   Forward         command
 *  4   Prepare         ballot, long fromSlot
 *  5   Promise         ballot, sorted map long slot -> pvalue
 *  6   Nack            ballot, ballot promised
 *  7   Accept          ballot, long slot, batch
 *  8   Accepted        ballot, long slot
 *  9   Commit          long slot, batch
 * 10   Heartbeat       ballot, long commitIndex
 * 11   CatchUpRequest  long fromSlot
 * 12   CatchUp         sorted map long slot -> batch
 * </pre>
 * Durable values ({@link #DURABLE}): the promised ballot, the pvalue accepted in a slot, and the longs
 * (the highest accepted slot, the last round tried):
 * <pre>
 * tag  value    fields
 *  1   Ballot   ballot
 *  2   PValue   ballot, batch
 *  3   Long     long
 * </pre>
 */
public final class MultiPaxosCodec {

    public static final int CLIENT_REQUEST = 1;
    public static final int CLIENT_REPLY = 2;
    public static final int FORWARD = 3;
    public static final int PREPARE = 4;
    public static final int PROMISE = 5;
    public static final int NACK = 6;
    public static final int ACCEPT = 7;
    public static final int ACCEPTED = 8;
    public static final int COMMIT = 9;
    public static final int HEARTBEAT = 10;
    public static final int CATCH_UP_REQUEST = 11;
    public static final int CATCH_UP = 12;

    public static final int BALLOT = 1;
    public static final int PVALUE = 2;
    public static final int LONG = 3;

    /** Every {@link MultiPaxosMessage}. */
    public static final Codec<MultiPaxosMessage> MESSAGES =
            Codec.framed("MultiPaxosMessage", MultiPaxosCodec::write, MultiPaxosCodec::read);

    /** The durable values: a {@link Ballot}, a {@link PValue} or a Long. */
    public static final Codec<Object> DURABLE =
            Codec.framed("Multi-Paxos durable value", MultiPaxosCodec::writeDurable, MultiPaxosCodec::readDurable);

    private MultiPaxosCodec() {
    }

    private static void writeCommand(WireWriter out, Command c) {
        WireWriter.required(c, "command");
        out.writeLong(c.requestId());
        out.writeEnum(c.f());
        out.writeString(c.key());
        OperationValue.write(out, c.value());
    }

    private static Command readCommand(WireReader in) {
        return new Command(in.readLong(), in.readEnum(Fn.class), in.readString(), OperationValue.read(in));
    }

    private static void writeBatch(WireWriter out, List<Command> batch) {
        out.writeList(batch, MultiPaxosCodec::writeCommand);
    }

    private static List<Command> readBatch(WireReader in) {
        return in.readList(MultiPaxosCodec::readCommand);
    }

    private static void writePValue(WireWriter out, PValue v) {
        WireWriter.required(v, "pvalue");
        PaxosCodec.writeBallot(out, v.ballot());
        writeBatch(out, v.commands());
    }

    private static PValue readPValue(WireReader in) {
        return new PValue(PaxosCodec.readBallot(in), readBatch(in));
    }

    private static void write(WireWriter out, MultiPaxosMessage m) {
        switch (m) {
            case ClientRequest r -> {
                out.writeTag(CLIENT_REQUEST);
                out.writeLong(r.requestId());
                out.writeEnum(r.f());
                out.writeString(r.key());
                OperationValue.write(out, r.value());
            }
            case ClientReply r -> {
                out.writeTag(CLIENT_REPLY);
                out.writeLong(r.requestId());
                out.writeBoolean(r.ok());
                out.writeNullableLong(r.value());
            }
            case Forward f -> {
                out.writeTag(FORWARD);
                writeCommand(out, f.command());
            }
            case Prepare p -> {
                out.writeTag(PREPARE);
                PaxosCodec.writeBallot(out, p.ballot());
                out.writeLong(p.fromSlot());
            }
            case Promise p -> {
                out.writeTag(PROMISE);
                PaxosCodec.writeBallot(out, p.ballot());
                out.writeSortedMap(p.accepted(), WireWriter::writeLong, MultiPaxosCodec::writePValue);
            }
            case Nack n -> {
                out.writeTag(NACK);
                PaxosCodec.writeBallot(out, n.ballot());
                PaxosCodec.writeBallot(out, n.promised());
            }
            case Accept a -> {
                out.writeTag(ACCEPT);
                PaxosCodec.writeBallot(out, a.ballot());
                out.writeLong(a.slot());
                writeBatch(out, a.commands());
            }
            case Accepted a -> {
                out.writeTag(ACCEPTED);
                PaxosCodec.writeBallot(out, a.ballot());
                out.writeLong(a.slot());
            }
            case Commit c -> {
                out.writeTag(COMMIT);
                out.writeLong(c.slot());
                writeBatch(out, c.commands());
            }
            case Heartbeat h -> {
                out.writeTag(HEARTBEAT);
                PaxosCodec.writeBallot(out, h.ballot());
                out.writeLong(h.commitIndex());
            }
            case CatchUpRequest r -> {
                out.writeTag(CATCH_UP_REQUEST);
                out.writeLong(r.fromSlot());
            }
            case CatchUp c -> {
                out.writeTag(CATCH_UP);
                out.writeSortedMap(c.chosen(), WireWriter::writeLong, MultiPaxosCodec::writeBatch);
            }
        }
    }

    private static MultiPaxosMessage read(WireReader in) {
        int tag = in.readTag();
        return switch (tag) {
            case CLIENT_REQUEST -> new ClientRequest(in.readLong(), in.readEnum(Fn.class), in.readString(), OperationValue.read(in));
            case CLIENT_REPLY -> new ClientReply(in.readLong(), in.readBoolean(), in.readNullableLong());
            case FORWARD -> new Forward(readCommand(in));
            case PREPARE -> new Prepare(PaxosCodec.readBallot(in), in.readLong());
            case PROMISE -> new Promise(PaxosCodec.readBallot(in), in.readSortedMap(WireReader::readLong, MultiPaxosCodec::readPValue));
            case NACK -> new Nack(PaxosCodec.readBallot(in), PaxosCodec.readBallot(in));
            case ACCEPT -> new Accept(PaxosCodec.readBallot(in), in.readLong(), readBatch(in));
            case ACCEPTED -> new Accepted(PaxosCodec.readBallot(in), in.readLong());
            case COMMIT -> new Commit(in.readLong(), readBatch(in));
            case HEARTBEAT -> new Heartbeat(PaxosCodec.readBallot(in), in.readLong());
            case CATCH_UP_REQUEST -> new CatchUpRequest(in.readLong());
            case CATCH_UP -> new CatchUp(in.readSortedMap(WireReader::readLong, MultiPaxosCodec::readBatch));
            default -> throw in.unknownTag(tag, "MultiPaxosMessage");
        };
    }

    private static void writeDurable(WireWriter out, Object value) {
        switch (value) {
            case Ballot b -> {
                out.writeTag(BALLOT);
                PaxosCodec.writeBallot(out, b);
            }
            case PValue v -> {
                out.writeTag(PVALUE);
                writePValue(out, v);
            }
            case Long n -> {
                out.writeTag(LONG);
                out.writeLong(n);
            }
            default -> throw new CodecException("no Multi-Paxos durable encoding for a " + value.getClass().getName() + ": " + value);
        }
    }

    private static Object readDurable(WireReader in) {
        int tag = in.readTag();
        return switch (tag) {
            case BALLOT -> PaxosCodec.readBallot(in);
            case PVALUE -> readPValue(in);
            case LONG -> in.readLong();
            default -> throw in.unknownTag(tag, "Multi-Paxos durable value");
        };
    }
}
