package io.github.dsw.bench.cluster;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * The byte form of a command for the two libraries that replicate opaque bytes (jgroups-raft, Ratis):
 * a tag byte (1 write, 2 read), the key's length (int) and UTF-8 bytes, then for a write the value
 * (its first 8 bytes the sequence number). {@link Store} is the state machine both apply it to.
 */
final class Command {
    static final byte WRITE = 1;
    static final byte READ = 2;

    private Command() {
    }

    /** A write of {@code seq} padded to {@code valueBytes} (at least 8). */
    static byte[] write(String key, long seq, int valueBytes) {
        byte[] k = key.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(1 + 4 + k.length + Math.max(8, valueBytes));
        b.put(WRITE).putInt(k.length).put(k).putLong(seq);
        return b.array();
    }

    static byte[] read(String key) {
        byte[] k = key.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(1 + 4 + k.length).put(READ).putInt(k.length).put(k).array();
    }

    /** The sequence number a read's reply carries (-1 for a missing key). */
    static long seqOf(byte[] reply) {
        return reply == null || reply.length < 8 ? -1 : ByteBuffer.wrap(reply).getLong();
    }

    /** A key-value map of byte values; {@code apply} returns a read's value (null if absent) or null for a write. */
    static final class Store {
        private final Map<String, byte[]> data = new HashMap<>();

        synchronized byte[] apply(byte[] buf, int off, int len) {
            ByteBuffer b = ByteBuffer.wrap(buf, off, len);
            byte tag = b.get();
            byte[] k = new byte[b.getInt()];
            b.get(k);
            String key = new String(k, StandardCharsets.UTF_8);
            if (tag == WRITE) {
                byte[] v = new byte[b.remaining()];
                b.get(v);
                data.put(key, v);
                return null;
            }
            if (tag == READ) {
                return data.get(key);
            }
            throw new IllegalArgumentException("unknown command tag " + tag);
        }

        synchronized int size() {
            return data.size();
        }

        /** A snapshot: the entry count, then key (UTF) and value (length, bytes) in key order. */
        synchronized void writeTo(java.io.DataOutput out) throws java.io.IOException {
            java.util.TreeMap<String, byte[]> sorted = new java.util.TreeMap<>(data);
            out.writeInt(sorted.size());
            for (Map.Entry<String, byte[]> e : sorted.entrySet()) {
                out.writeUTF(e.getKey());
                out.writeInt(e.getValue().length);
                out.write(e.getValue());
            }
        }

        /** Replaces the map by a snapshot {@link #writeTo} wrote. */
        synchronized void readFrom(java.io.DataInput in) throws java.io.IOException {
            data.clear();
            int n = in.readInt();
            for (int i = 0; i < n; i++) {
                String k = in.readUTF();
                byte[] v = new byte[in.readInt()];
                in.readFully(v);
                data.put(k, v);
            }
        }
    }
}
