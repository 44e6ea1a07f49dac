package io.github.dsw.raft;

/**
 * Flow control for one follower in replicate state (etcd's {@code tracker.Inflights}): the last index of
 * each AppendEntries with entries sent and not yet acknowledged, oldest first, in a ring of fixed
 * capacity ({@code maxInflight}). The leader sends no more entries while the window is {@link #full}, so
 * entries proposed meanwhile accumulate and leave in one batch when an answer {@link #freeTo frees} a slot.
 *
 * <p>Cost: O(1) per add, O(slots freed) per {@link #freeTo}; memory O(capacity).
 */
final class Inflights {

    private final long[] lastIndexes; // a ring: lastIndexes[(start + k) % capacity] is the k-th oldest
    private int start;
    private int count;

    Inflights(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be >= 1, got " + capacity);
        }
        this.lastIndexes = new long[capacity];
    }

    /** Records an AppendEntries whose last entry is {@code lastIndex}; the window must not be full. */
    void add(long lastIndex) {
        if (full()) {
            throw new IllegalStateException("inflight window full (" + count + " messages): cannot add " + lastIndex);
        }
        lastIndexes[(start + count) % lastIndexes.length] = lastIndex;
        count++;
    }

    /** Frees the slots of the messages whose entries are all acknowledged (last index <= {@code match}). */
    void freeTo(long match) {
        while (count > 0 && lastIndexes[start] <= match) {
            freeFirstOne();
        }
    }

    /** Frees the oldest slot, acknowledged or not (for a window that an answer lost would otherwise block). */
    void freeFirstOne() {
        if (count == 0) {
            throw new IllegalStateException("inflight window empty: nothing to free");
        }
        start = (start + 1) % lastIndexes.length;
        count--;
    }

    boolean full() {
        return count == lastIndexes.length;
    }

    int count() {
        return count;
    }

    void reset() {
        count = 0;
    }
}
