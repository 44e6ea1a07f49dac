package io.github.dsw.cluster;

import io.github.dsw.check.HistoryEvent.Fn;
import io.github.dsw.runtime.Codec;
import io.github.dsw.runtime.Node;
import java.util.List;

/**
 * A replicated key-value protocol as the real runtime runs it: how to build its pure {@link Node}, its
 * wire and durable codecs, what of its durable state is garbage, a status line, and the client side of
 * its protocol (a request to send, what an answer means). One implementation per protocol the cluster
 * commands accept ({@link #byName}): {@link RaftKv} (chapter 7), {@link MultiPaxosKv} (chapter 6's
 * Multi-Paxos store), {@link AbdKv} (chapter 4's ABD register, per key) and {@link ZabKv} (chapter 13's
 * ZooKeeper-like store on Zab). Everything else (transport,
 * storage, processes, the client, the fault harness, Maelstrom's protocol) is shared.
 *
 * @param <M> the protocol's message type
 */
public interface KvProtocol<M> extends ServerProtocol<M> {

    /** What an answer from a server says about one request. */
    enum Kind {
        /** Done (a read's value in {@link Answer#value}). */
        OK,
        /** Definitely not done, and never will be (a cas whose expected value did not match; ABD's refused cas). */
        FAIL,
        /** Not served here; this copy will not take effect, try again ({@link Answer#redirect} names a server or is -1). */
        RETRY
    }

    /** A server's answer to request {@code requestId}. */
    record Answer(long requestId, Kind kind, Long value, int redirect) {
    }

    /** The protocol's name on the command line, in hellos and in data folders. */
    String name();

    /** Server {@code id} (0-based) of {@code servers}. */
    Node<M> node(int id, int servers);

    /** The wire codec (frames between servers and to clients). */
    Codec<M> codec();

    /** The codec of the values the node writes to its storage. */
    Codec<Object> durableCodec();

    /** What of the durable state is garbage at a checkpoint ({@link DiskStorage.Retention#ALL}: nothing). */
    DiskStorage.Retention retention();

    /** A one-line status of a running node. */
    String status(Node<M> node);

    /** True if the store offers compare-and-set (ABD's register does not). */
    boolean supportsCas();

    /**
     * True if a client that got no answer may send the same request to another server: the servers
     * suppress duplicates (Raft's sessions, Multi-Paxos's request ids). False for ABD, where every
     * coordinator executes what it is given: a second copy of a write could take effect after a later
     * write and undo it, so a write goes to one server only and is indeterminate when unanswered.
     */
    boolean retriesAreSafe();

    /**
     * The request a client sends. {@code requestId} must be unique per client and increase (Raft's
     * sessions) and unique in the cluster (Multi-Paxos suppresses duplicates by request id alone);
     * {@link KvClient} builds it as client id times 2^32 plus a counter.
     */
    M request(long requestId, Fn f, String key, Object value);

    /** The answer {@code message} carries, or null if it is not an answer to a client. */
    Answer answer(M message);

    /** The value {@code key} holds in this server's copy of the store (for Maelstrom's error 20 vs 22). */
    Long localValue(Node<M> node, String key);

    /** The protocols, by canonical name. */
    List<String> NAMES = List.of(RaftKv.NAME, MultiPaxosKv.NAME, AbdKv.NAME, ZabKv.NAME);

    /**
     * The protocol called {@code name} ({@code paxos-kv} is accepted for {@code multi-paxos-kv}).
     *
     * @throws IllegalArgumentException an unknown name, naming the known ones
     */
    static KvProtocol<?> byName(String name) {
        return switch (name) {
            case RaftKv.NAME -> RaftKv.PROTOCOL;
            case MultiPaxosKv.NAME, MultiPaxosKv.ALIAS -> MultiPaxosKv.PROTOCOL;
            case AbdKv.NAME -> AbdKv.PROTOCOL;
            case ZabKv.NAME -> ZabKv.PROTOCOL;
            default -> throw new IllegalArgumentException("unknown protocol '" + name + "' (known: " + String.join(", ", NAMES) + ")");
        };
    }
}
