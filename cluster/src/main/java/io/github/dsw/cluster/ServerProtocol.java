package io.github.dsw.cluster;

import io.github.dsw.runtime.Codec;
import io.github.dsw.runtime.Node;
import java.util.List;

/**
 * What a node process needs of a protocol ({@link NodeMain}, {@link LocalCluster}, {@code ./dsw cluster}): its
 * pure {@link Node}, its wire and durable codecs, its durable garbage and a status line. The key-value
 * protocols ({@link KvProtocol}) add the client side the shared KV client, harness and Maelstrom host use;
 * the lock service ({@link RaftLock}) has its own client ({@link LockClient}).
 *
 * @param <M> the protocol's message type
 */
public interface ServerProtocol<M> {

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

    /** Every protocol a node process runs: the key-value stores, then the lock service. */
    static List<String> names() {
        return java.util.stream.Stream.concat(KvProtocol.NAMES.stream(), java.util.stream.Stream.of(RaftLock.NAME)).toList();
    }

    /**
     * The protocol called {@code name}: {@link RaftLock#NAME} or one of {@link KvProtocol#byName}'s.
     *
     * @throws IllegalArgumentException an unknown name, naming the known ones
     */
    static ServerProtocol<?> byName(String name) {
        if (RaftLock.NAME.equals(name)) {
            return RaftLock.PROTOCOL;
        }
        try {
            return KvProtocol.byName(name);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown protocol '" + name + "' (known: " + String.join(", ", names()) + ")");
        }
    }
}
