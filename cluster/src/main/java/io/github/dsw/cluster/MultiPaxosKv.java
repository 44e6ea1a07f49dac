package io.github.dsw.cluster;

import io.github.dsw.check.HistoryEvent.Fn;
import io.github.dsw.paxos.MultiPaxosCodec;
import io.github.dsw.paxos.MultiPaxosMessage;
import io.github.dsw.paxos.MultiPaxosNode;
import io.github.dsw.paxos.Quorums;
import io.github.dsw.runtime.Codec;
import io.github.dsw.runtime.Node;

/**
 * Chapter 6's Multi-Paxos key-value store ({@link MultiPaxosNode}, Lamport, "Paxos Made Simple", 2001,
 * section 3) as the cluster runs it: majority quorums, a window of 16 slots and batches of up to 16
 * commands, the node's own 10 ms tick and 60-120 ms election timeout. A server never answers "retry":
 * it forwards a request to the leader it believes in and re-forwards every tick until the request is
 * applied, and the state machine suppresses a request id applied before, so a client may send the same
 * request to another server after a timeout.
 *
 * <p>Durable state is the acceptor's promise, its accepted proposals (one key per slot, never garbage
 * here: the node has no log compaction) and the proposer's round.
 */
public final class MultiPaxosKv implements KvProtocol<MultiPaxosMessage> {

    public static final String NAME = "multi-paxos-kv";
    /** The name Maelstrom users know it by ({@code ./dsw node --maelstrom paxos-kv}). */
    public static final String ALIAS = "paxos-kv";
    public static final MultiPaxosKv PROTOCOL = new MultiPaxosKv();

    static final int WINDOW = 16;
    static final int BATCH = 16;

    private MultiPaxosKv() {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Node<MultiPaxosMessage> node(int id, int servers) {
        return new MultiPaxosNode(Quorums.majority(servers), WINDOW, BATCH);
    }

    @Override
    public Codec<MultiPaxosMessage> codec() {
        return MultiPaxosCodec.MESSAGES;
    }

    @Override
    public Codec<Object> durableCodec() {
        return MultiPaxosCodec.DURABLE;
    }

    @Override
    public DiskStorage.Retention retention() {
        return DiskStorage.Retention.ALL;
    }

    @Override
    public String status(Node<MultiPaxosMessage> node) {
        MultiPaxosNode p = (MultiPaxosNode) node;
        return "multi-paxos: " + (p.isLeader() ? "leader" : "not leader") + ", applied slots " + p.applied() + ", commands "
                + p.stateMachine().applied() + ", duplicates suppressed " + p.stateMachine().duplicates();
    }

    @Override
    public boolean supportsCas() {
        return true;
    }

    @Override
    public boolean retriesAreSafe() {
        return true;
    }

    @Override
    public MultiPaxosMessage request(long requestId, Fn f, String key, Object value) {
        return new MultiPaxosMessage.ClientRequest(requestId, f, key, value);
    }

    @Override
    public Answer answer(MultiPaxosMessage message) {
        return message instanceof MultiPaxosMessage.ClientReply r ? new Answer(r.requestId(), r.ok() ? Kind.OK : Kind.FAIL, r.value(), -1) : null;
    }

    @Override
    public Long localValue(Node<MultiPaxosMessage> node, String key) {
        return ((MultiPaxosNode) node).stateMachine().get(key);
    }
}
