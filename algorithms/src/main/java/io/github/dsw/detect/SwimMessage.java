package io.github.dsw.detect;

import java.util.List;

/**
 * Messages of SWIM (Das, Gupta and Motivala, DSN 2002): the failure detector's ping, ping-req and ack
 * (§3.1), each carrying membership {@link Update}s piggybacked for dissemination (§4.1).
 */
public sealed interface SwimMessage {

    /** The membership updates this message carries. */
    List<Update> updates();

    /** Direct probe: answer with an {@link Ack} carrying the same {@code seq}. */
    record Ping(long seq, List<Update> updates) implements SwimMessage {
        public Ping {
            updates = List.copyOf(updates);
        }
    }

    /** Indirect probe: "ping {@code target} for me and forward its ack with {@code seq}" (§3.1). */
    record PingReq(long seq, int target, List<Update> updates) implements SwimMessage {
        public PingReq {
            updates = List.copyOf(updates);
        }
    }

    /** Answer to a ping, or an ack forwarded by the member that pinged on a requester's behalf. */
    record Ack(long seq, List<Update> updates) implements SwimMessage {
        public Ack {
            updates = List.copyOf(updates);
        }
    }

    /** What a membership update says (§4.2): alive, suspected, or confirmed faulty. */
    enum Kind { ALIVE, SUSPECT, CONFIRM }

    /** {@code member} is in state {@code kind} at incarnation {@code incarnation}. */
    record Update(int member, Kind kind, long incarnation) {
        public Update {
            if (kind == null) {
                throw new IllegalArgumentException("kind must not be null");
            }
        }
    }
}
