package io.github.dsw.zab;

/**
 * A transaction identifier: the epoch of the primary that proposed it and a counter within that epoch, compared
 * epoch first (Junqueira, Reed and Serafini, "Zab: High-performance broadcast for primary-backup systems", DSN
 * 2011, section IV: "zxid = ⟨e, c⟩"). ZooKeeper packs the pair into one long, the epoch in the high 32 bits and
 * the counter in the low 32 ({@link #packed}); a primary's first proposal has counter 1, and {@link #ZERO} stands
 * for the empty history.
 *
 * @param epoch   the primary's epoch, >= 0
 * @param counter position among that primary's proposals, >= 0 (0 only in {@link #ZERO} and "nothing of this epoch")
 */
public record Zxid(long epoch, long counter) implements Comparable<Zxid> {

    /** Before every transaction: the last zxid of an empty history. */
    public static final Zxid ZERO = new Zxid(0, 0);

    public Zxid {
        if (epoch < 0 || counter < 0 || epoch > 0xffff_ffffL || counter > 0xffff_ffffL) {
            throw new IllegalArgumentException("epoch and counter must be in 0..2^32-1, got " + epoch + ", " + counter);
        }
    }

    /** ZooKeeper's encoding: epoch in the high 32 bits, counter in the low 32 (so longs compare as zxids do). */
    public long packed() {
        return epoch << 32 | counter;
    }

    @Override
    public int compareTo(Zxid o) {
        return epoch != o.epoch ? Long.compare(epoch, o.epoch) : Long.compare(counter, o.counter);
    }

    public boolean after(Zxid o) {
        return compareTo(o) > 0;
    }

    @Override
    public String toString() {
        return "0x" + Long.toHexString(packed());
    }
}
