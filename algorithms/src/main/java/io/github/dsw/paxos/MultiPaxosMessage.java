package io.github.dsw.paxos;

import io.github.dsw.check.HistoryEvent.Fn;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Messages of Multi-Paxos ("Paxos Made Simple", section 3): phase 1 once for every slot from a point on,
 * phase 2 per slot, commit notices, heartbeats and catch-up, plus the client's request and reply. The
 * value of a slot is a batch: a list of client commands, empty for a no-op.
 */
public sealed interface MultiPaxosMessage {

    /** A client operation (value: null, a Long or a Cas). */
    record ClientRequest(long requestId, Fn f, String key, Object value) implements MultiPaxosMessage {
    }

    /** The answer to a client; {@code ok} false means the operation did not take effect (a failed cas). */
    record ClientReply(long requestId, boolean ok, Long value) implements MultiPaxosMessage {
    }

    /** A server that is not the leader passes a client command on to the leader it believes in. */
    record Forward(Command command) implements MultiPaxosMessage {
    }

    /** Phase 1a for every slot at or above {@code fromSlot}. */
    record Prepare(Ballot ballot, long fromSlot) implements MultiPaxosMessage {
    }

    /** A proposal an acceptor accepted in one slot. */
    record PValue(Ballot ballot, List<Command> commands) {
    }

    /** Phase 1b: the promise, with every proposal accepted at or above the requested slot. */
    record Promise(Ballot ballot, Map<Long, PValue> accepted) implements MultiPaxosMessage {
        public Promise {
            accepted = bySlot(accepted);
        }
    }

    /** A refusal: the acceptor promised {@code promised}, above {@code ballot}. */
    record Nack(Ballot ballot, Ballot promised) implements MultiPaxosMessage {
    }

    /** Phase 2a for one slot. */
    record Accept(Ballot ballot, long slot, List<Command> commands) implements MultiPaxosMessage {
    }

    /** Phase 2b, to the leader, once durable. */
    record Accepted(Ballot ballot, long slot) implements MultiPaxosMessage {
    }

    /** The leader tells the learners that {@code commands} are chosen in {@code slot}. */
    record Commit(long slot, List<Command> commands) implements MultiPaxosMessage {
    }

    /** The leader is alive; every slot below {@code commitIndex} is chosen and known to it. */
    record Heartbeat(Ballot ballot, long commitIndex) implements MultiPaxosMessage {
    }

    /** A learner behind the leader asks for the chosen commands from {@code fromSlot} on. */
    record CatchUpRequest(long fromSlot) implements MultiPaxosMessage {
    }

    /** Chosen batches by slot. */
    record CatchUp(Map<Long, List<Command>> chosen) implements MultiPaxosMessage {
        public CatchUp {
            chosen = bySlot(chosen);
        }
    }

    /**
     * An immutable copy ordered by slot. Never {@code Map.copyOf}: its iteration order is randomised per
     * JVM, and these maps are printed in the trace and applied in iteration order, so a seed would stop
     * replaying from one JVM to the next.
     */
    private static <V> SortedMap<Long, V> bySlot(Map<Long, V> m) {
        return Collections.unmodifiableSortedMap(new TreeMap<>(m));
    }
}
