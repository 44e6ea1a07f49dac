package io.github.dsw.zab;

import java.util.Arrays;

/**
 * A snapshot of the host's state after the first {@code index} transactions of the history, the last of which is
 * {@code zxid}: consistent (taken at one delivered transaction, between two deliveries), where ZooKeeper's snapshots
 * are fuzzy (taken while transactions apply, then made consistent by replaying the log from before the snapshot
 * started). {@code state} is the host's encoding, opaque to Zab (the KV store's {@code KvStore.snapshot()}).
 */
public record ZabSnapshot(long index, Zxid zxid, byte[] state) {

    public ZabSnapshot {
        if (index < 1 || zxid == null || state == null) {
            throw new IllegalArgumentException("need index >= 1, a zxid and a state, got " + index + ", " + zxid + ", " + state);
        }
        state = state.clone();
    }

    @Override
    public byte[] state() {
        return state.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ZabSnapshot s && s.index == index && s.zxid.equals(zxid) && Arrays.equals(s.state, state);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(index) * 31 + zxid.hashCode() * 17 + Arrays.hashCode(state);
    }

    @Override
    public String toString() {
        return "ZabSnapshot[index=" + index + ", zxid=" + zxid + ", " + state.length + " bytes]";
    }
}
