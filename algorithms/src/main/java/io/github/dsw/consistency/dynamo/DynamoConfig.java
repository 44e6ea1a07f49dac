package io.github.dsw.consistency.dynamo;

/**
 * The settings of a Dynamo-style store: each key is stored on the {@code n} servers of its preference list
 * (its home position on the ring and the next {@code n - 1}), a read waits for {@code r} answers and a write
 * for {@code w} acknowledgements (DeCandia et al., SOSP 2007, section 4.5).
 *
 * @param n            replicas per key
 * @param r            read quorum
 * @param w            write quorum
 * @param resolution   how versions are reconciled (last-writer-wins or version vectors)
 * @param sloppy       sloppy quorum: a replica that has not answered after {@code fallbackNs} is replaced by the
 *                     next server on the ring, which keeps the write as a hint (hinted handoff)
 * @param readRepair   whether the coordinator writes the reconciled versions back to replicas that answered stale
 * @param fallbackNs   how long to wait for a preference-list replica before asking a stand-in
 * @param opTimeoutNs  the coordinator gives up (answers not ok) after this long
 * @param retryNs      unanswered replica messages are resent this often (loss)
 * @param handoffNs    a node holding hints tries to hand them off this often
 */
public record DynamoConfig(int n, int r, int w, Resolution resolution, boolean sloppy, boolean readRepair, long fallbackNs,
                           long opTimeoutNs, long retryNs, long handoffNs) {

    public DynamoConfig {
        if (n < 1 || r < 1 || w < 1 || r > n || w > n) {
            throw new IllegalArgumentException("need 1 <= r, w <= n, got n=" + n + " r=" + r + " w=" + w);
        }
        if (resolution == null || fallbackNs <= 0 || opTimeoutNs <= 0 || retryNs <= 0 || handoffNs <= 0) {
            throw new IllegalArgumentException("resolution must be given and every delay > 0");
        }
    }

    /** N=3, R=W=2, version vectors, sloppy quorum, read repair; stand-in after 10 ms, give up after 200 ms. */
    public static DynamoConfig defaults() {
        return new DynamoConfig(3, 2, 2, Resolution.VERSION_VECTORS, true, true, 10_000_000, 200_000_000, 20_000_000, 50_000_000);
    }

    public DynamoConfig withQuorums(int nn, int rr, int ww) {
        return new DynamoConfig(nn, rr, ww, resolution, sloppy, readRepair, fallbackNs, opTimeoutNs, retryNs, handoffNs);
    }

    public DynamoConfig withResolution(Resolution res) {
        return new DynamoConfig(n, r, w, res, sloppy, readRepair, fallbackNs, opTimeoutNs, retryNs, handoffNs);
    }

    public DynamoConfig withSloppy(boolean s) {
        return new DynamoConfig(n, r, w, resolution, s, readRepair, fallbackNs, opTimeoutNs, retryNs, handoffNs);
    }

    public DynamoConfig withReadRepair(boolean rr) {
        return new DynamoConfig(n, r, w, resolution, sloppy, rr, fallbackNs, opTimeoutNs, retryNs, handoffNs);
    }
}
