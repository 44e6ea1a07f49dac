package io.github.dsw.zab;

/**
 * One transaction of a history: its zxid and the state change it carries ({@code value}, immutable; the key-value
 * store's {@code KvStore.Command}). Zab delivers these in zxid order (the paper's ⟨v, z⟩ pairs).
 */
public record Txn(Zxid zxid, Object value) {
    public Txn {
        if (zxid == null || zxid.equals(Zxid.ZERO)) {
            throw new IllegalArgumentException("a transaction needs a zxid above ZERO, got " + zxid);
        }
    }
}
