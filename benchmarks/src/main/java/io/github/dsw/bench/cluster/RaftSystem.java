package io.github.dsw.bench.cluster;

import java.nio.file.Path;

/**
 * One Raft implementation started as a local cluster for {@link ClusterBench}: {@code nodes} servers in
 * this JVM, each with its own sockets on 127.0.0.1 (free ports), its own log (in memory or on disk with
 * fsync) and its own copy of a tiny key-value state machine.
 *
 * <p>The operation measured is the same for every system: one client writes its own key with a value
 * of {@code valueBytes} bytes whose first 8 bytes are a sequence number, and waits until the write is
 * committed by a majority and applied. {@link Client#read} returns the sequence number of the latest
 * value, so that a test can check a write really reached the replicated state.
 */
public interface RaftSystem extends AutoCloseable {

    /** Where the replicated log lives. */
    enum LogStorage {
        /** The log in the process's memory: no disk in the commit path. */
        MEMORY,
        /** The log in files under the run's folder, forced to the device before an entry counts as stored. */
        DISK;

        public static LogStorage parse(String s) {
            return switch (s) {
                case "memory" -> MEMORY;
                case "disk" -> DISK;
                default -> throw new IllegalArgumentException("--storage must be memory or disk, got '" + s + "'");
            };
        }
    }

    /** The name on the command line and in results: dsw-raft, jgroups-raft or ratis. */
    String name();

    /** Starts the servers and waits (up to 60 s) until a leader is elected. */
    void start(int nodes, LogStorage storage, int valueBytes, Path dir) throws Exception;

    /** A client with its own key; several may run at once, one per thread. */
    Client client(int id) throws Exception;

    /** Stops the current leader's server (for the replication test: the others must still have the data). */
    void stopLeader() throws Exception;

    /** How the system is set up, on one line (log class, transport, storage, fsync). */
    String describe();

    /** Stops every server; never throws. */
    @Override
    void close();

    /** A blocking client. */
    interface Client extends AutoCloseable {
        /** Writes {@code seq} (padded to the value size) under this client's key; returns once committed. */
        void write(long seq) throws Exception;

        /** The sequence number of the value under this client's key (-1 if none), read through the log or leader. */
        long read() throws Exception;

        @Override
        void close();
    }
}
