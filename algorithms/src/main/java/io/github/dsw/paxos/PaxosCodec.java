package io.github.dsw.paxos;

import io.github.dsw.paxos.PaxosMessage.Accept;
import io.github.dsw.paxos.PaxosMessage.Accepted;
import io.github.dsw.paxos.PaxosMessage.Chosen;
import io.github.dsw.paxos.PaxosMessage.Decided;
import io.github.dsw.paxos.PaxosMessage.Nack;
import io.github.dsw.paxos.PaxosMessage.Prepare;
import io.github.dsw.paxos.PaxosMessage.Promise;
import io.github.dsw.paxos.PaxosMessage.Propose;
import io.github.dsw.runtime.Codec;
import io.github.dsw.runtime.CodecException;
import io.github.dsw.runtime.WireReader;
import io.github.dsw.runtime.WireWriter;

/**
 * Binary codecs of single-decree Paxos: its {@link PaxosMessage}s and the durable values of its
 * acceptor and proposer. Frame and field encodings: {@link Codec} and {@link WireWriter}.
 *
 * <p>A ballot is written as {@code long round, int proposer}. Messages, after the version byte 1:
 * <pre>
 * tag  record     fields
 *  1   Propose    long value
 *  2   Decided    long value
 *  3   Prepare    ballot
 *  4   Promise    ballot, ballot acceptedBallot, nullable long acceptedValue
 *  5   Nack       ballot, ballot promised
 *  6   Accept     ballot, long value
 *  7   Accepted   ballot, long value
 *  8   Chosen     long value
 * </pre>
 * Durable values ({@link #DURABLE}): what the acceptor keeps under {@link Acceptor#KEY} and the
 * proposer's last round under its round key:
 * <pre>
 * tag  value            fields
 *  1   Acceptor.State   ballot promised, ballot acceptedBallot, nullable long acceptedValue
 *  2   Long (round)     long
 * </pre>
 */
public final class PaxosCodec {

    public static final int PROPOSE = 1;
    public static final int DECIDED = 2;
    public static final int PREPARE = 3;
    public static final int PROMISE = 4;
    public static final int NACK = 5;
    public static final int ACCEPT = 6;
    public static final int ACCEPTED = 7;
    public static final int CHOSEN = 8;

    public static final int ACCEPTOR_STATE = 1;
    public static final int ROUND = 2;

    /** Every {@link PaxosMessage}. */
    public static final Codec<PaxosMessage> MESSAGES = Codec.framed("PaxosMessage", PaxosCodec::write, PaxosCodec::read);

    /** The durable values: an {@link Acceptor.State} or a proposer's round (a Long). */
    public static final Codec<Object> DURABLE = Codec.framed("Paxos durable value", PaxosCodec::writeDurable, PaxosCodec::readDurable);

    private PaxosCodec() {
    }

    static void writeBallot(WireWriter out, Ballot b) {
        WireWriter.required(b, "ballot");
        out.writeLong(b.round());
        out.writeInt(b.proposer());
    }

    static Ballot readBallot(WireReader in) {
        return new Ballot(in.readLong(), in.readInt());
    }

    private static void write(WireWriter out, PaxosMessage m) {
        switch (m) {
            case Propose p -> {
                out.writeTag(PROPOSE);
                out.writeLong(p.value());
            }
            case Decided d -> {
                out.writeTag(DECIDED);
                out.writeLong(d.value());
            }
            case Prepare p -> {
                out.writeTag(PREPARE);
                writeBallot(out, p.ballot());
            }
            case Promise p -> {
                out.writeTag(PROMISE);
                writeBallot(out, p.ballot());
                writeBallot(out, p.acceptedBallot());
                out.writeNullableLong(p.acceptedValue());
            }
            case Nack n -> {
                out.writeTag(NACK);
                writeBallot(out, n.ballot());
                writeBallot(out, n.promised());
            }
            case Accept a -> {
                out.writeTag(ACCEPT);
                writeBallot(out, a.ballot());
                out.writeLong(a.value());
            }
            case Accepted a -> {
                out.writeTag(ACCEPTED);
                writeBallot(out, a.ballot());
                out.writeLong(a.value());
            }
            case Chosen c -> {
                out.writeTag(CHOSEN);
                out.writeLong(c.value());
            }
        }
    }

    private static PaxosMessage read(WireReader in) {
        int tag = in.readTag();
        return switch (tag) {
            case PROPOSE -> new Propose(in.readLong());
            case DECIDED -> new Decided(in.readLong());
            case PREPARE -> new Prepare(readBallot(in));
            case PROMISE -> new Promise(readBallot(in), readBallot(in), in.readNullableLong());
            case NACK -> new Nack(readBallot(in), readBallot(in));
            case ACCEPT -> new Accept(readBallot(in), in.readLong());
            case ACCEPTED -> new Accepted(readBallot(in), in.readLong());
            case CHOSEN -> new Chosen(in.readLong());
            default -> throw in.unknownTag(tag, "PaxosMessage");
        };
    }

    private static void writeDurable(WireWriter out, Object value) {
        switch (value) {
            case Acceptor.State s -> {
                out.writeTag(ACCEPTOR_STATE);
                writeBallot(out, s.promised());
                writeBallot(out, s.acceptedBallot());
                out.writeNullableLong(s.acceptedValue());
            }
            case Long round -> {
                out.writeTag(ROUND);
                out.writeLong(round);
            }
            default -> throw new CodecException("no Paxos durable encoding for a " + value.getClass().getName() + ": " + value);
        }
    }

    private static Object readDurable(WireReader in) {
        int tag = in.readTag();
        return switch (tag) {
            case ACCEPTOR_STATE -> new Acceptor.State(readBallot(in), readBallot(in), in.readNullableLong());
            case ROUND -> in.readLong();
            default -> throw in.unknownTag(tag, "Paxos durable value");
        };
    }
}
