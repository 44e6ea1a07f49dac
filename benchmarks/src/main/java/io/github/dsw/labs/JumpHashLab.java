package io.github.dsw.labs;

/**
 * Lab {@code jump-hash}: Lamping and Veach's jump consistent hash (chapter 2), "A Fast, Minimal Memory,
 * Consistent Hash Algorithm", 2014, Figure 1. The grader checks the buckets against the paper's algorithm,
 * that growing from n to n + 1 buckets moves keys only into the new bucket, the balance of the split, and
 * the argument check.
 */
public interface JumpHashLab {

    /** A bucket in {@code [0, buckets)} for {@code key}; {@link IllegalArgumentException} if {@code buckets < 1}. */
    int bucket(long key, int buckets);
}
