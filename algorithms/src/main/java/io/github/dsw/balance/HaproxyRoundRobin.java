package io.github.dsw.balance;

/**
 * HAProxy's {@code balance roundrobin}, its default algorithm ("fast weighted round robin", lb_fwrr.c by Willy
 * Tarreau, 2009), reproduced so that the same weights give the same sequence of servers as HAProxy itself
 * (checked request by request against HAProxy 2.6 by {@code ./dsw lb-compare}, check {@code haproxy-rr}). Written
 * from the description below, for servers that are all up, have fixed weights and no {@code maxconn}.
 *
 * <p>Each server's effective weight is {@code e = 16 × weight} ({@code BE_WEIGHT_SCALE}); {@code W = Σe}. Servers
 * live in three ordered sets ("trees"), ordered by a key and, for equal keys, by the order they were inserted (as
 * HAProxy's elastic binary trees keep duplicates):
 * <ul>
 *   <li><b>init</b>: servers not placed yet, keyed by {@code 4096 − e} (heaviest first). At start every server is
 *       here, in configuration order.</li>
 *   <li><b>curr</b>: servers placed in the current window, keyed by {@code 256 × npos + (4096 + rweight − e) / 16}:
 *       by next position, then heavier (and further behind in its remainder) first.</li>
 *   <li><b>next</b>: servers whose next position falls beyond the window, keyed like init.</li>
 * </ul>
 * The window starts with {@code pos = W}. A pick takes the first server of curr if its position has come
 * ({@code npos ≤ pos}); otherwise the first server of init (position and remainder reset to 0); otherwise, if
 * curr is not empty, curr's first anyway (a "hole"); if curr and init are both empty, init and next swap and
 * the window restarts at {@code pos = W}. The chosen server advances by {@code W / e} with the remainder
 * {@code W mod e} carried in {@code rweight} (one more step each time it reaches {@code e}); a server never
 * placed starts from {@code pos}. Then {@code pos} increases by one, and the server goes back into curr, or into
 * next (position reduced by W) once its position reaches {@code 2W}.
 *
 * <p>The result spreads each server's picks evenly like nginx's {@link SmoothWeightedRoundRobin} but is not the
 * same sequence: weights {5, 1, 1} give {@code a a a b a a c} here (as HAProxy 2.6.12 serves them, and as its
 * {@link StaticRoundRobin} does) and {@code a a b a c a a} in nginx; over lb-compare's 43 weight vectors only about a
 * third of the positions coincide with nginx's (1159 of 3704). O(n) per
 * pick here (HAProxy: O(log n) with its trees). Not thread-safe.
 */
public final class HaproxyRoundRobin implements Balancer {
    /** {@code BE_WEIGHT_SCALE}: effective weight per unit of configured weight. */
    static final int WEIGHT_SCALE = 16;
    /** {@code SRV_UWGHT_RANGE} (HAProxy 2.x: 256). */
    static final long UWEIGHT_RANGE = 256;
    /** {@code SRV_EWGHT_MAX} = {@code SRV_UWGHT_MAX × BE_WEIGHT_SCALE} (HAProxy 2.x: 256 × 16). */
    static final long EWEIGHT_MAX = 256 * 16;

    private static final int NONE = 0;
    private static final int INIT = 1;
    private static final int CURR = 2;
    private static final int NEXT = 3;

    private final int[] eweight;
    private final int total;
    private final int[] tree; // which set each server is in (the names "init" and "next" swap, see treeOf)
    private final long[] key;
    private final long[] seq; // insertion order, for equal keys
    private final long[] npos;
    private final long[] rweight;
    private long insertions;
    private long currPos;
    private boolean swapped; // init and next exchanged an odd number of times

    /**
     * @param weights each server's {@code weight} in configuration order (HAProxy's default is 1)
     * @throws IllegalArgumentException if {@code weights} is empty or holds a weight outside 1..256 (weight 0,
     *     a server that takes no traffic, is left out)
     */
    public HaproxyRoundRobin(int... weights) {
        if (weights == null || weights.length == 0) {
            throw new IllegalArgumentException("weights must be non-empty");
        }
        int n = weights.length;
        eweight = new int[n];
        int sum = 0;
        for (int i = 0; i < n; i++) {
            if (weights[i] < 1 || weights[i] > 256) {
                throw new IllegalArgumentException("weights[" + i + "] must be in 1..256, got " + weights[i]);
            }
            eweight[i] = weights[i] * WEIGHT_SCALE;
            sum += eweight[i];
        }
        total = sum;
        currPos = total;
        tree = new int[n];
        key = new long[n];
        seq = new long[n];
        npos = new long[n];
        rweight = new long[n];
        for (int i = 0; i < n; i++) {
            queueByWeight(i, INIT);
        }
    }

    private int physical(int logical) { // init/next are two trees whose roles swap
        if (!swapped || logical == CURR || logical == NONE) {
            return logical;
        }
        return logical == INIT ? NEXT : INIT;
    }

    private void queueByWeight(int s, int logical) {
        tree[s] = physical(logical);
        key[s] = EWEIGHT_MAX - eweight[s];
        seq[s] = insertions++;
    }

    private int first(int logical) {
        int t = physical(logical);
        int best = -1;
        for (int s = 0; s < tree.length; s++) {
            if (tree[s] == t && (best < 0 || key[s] < key[best] || key[s] == key[best] && seq[s] < seq[best])) {
                best = s;
            }
        }
        return best;
    }

    private int serverFromGroup() {
        int s1 = first(CURR);
        if (s1 >= 0 && npos[s1] <= currPos) {
            return s1;
        }
        int s2 = first(INIT);
        if (s2 >= 0) {
            npos[s2] = 0;
            rweight[s2] = 0;
            return s2;
        }
        return s1;
    }

    /** The index of the server HAProxy sends the next request to. */
    public int next() {
        int srv = serverFromGroup();
        if (srv < 0) { // curr and init empty: the servers placed in next form the new window
            swapped = !swapped;
            currPos = total;
            srv = serverFromGroup();
        }
        // fwrr_update_position
        if (npos[srv] == 0) {
            npos[srv] = currPos;
        }
        npos[srv] += total / eweight[srv];
        rweight[srv] += total % eweight[srv];
        if (rweight[srv] >= eweight[srv]) {
            rweight[srv] -= eweight[srv];
            npos[srv]++;
        }
        tree[srv] = NONE;
        currPos++;
        // fwrr_queue_srv
        if (npos[srv] >= 2L * total) {
            npos[srv] -= total;
            queueByWeight(srv, NEXT);
        } else {
            tree[srv] = CURR;
            key[srv] = UWEIGHT_RANGE * npos[srv] + (EWEIGHT_MAX + rweight[srv] - eweight[srv]) / WEIGHT_SCALE;
            seq[srv] = insertions++;
        }
        return srv;
    }

    @Override
    public int pick(long requestKey, long nowNanos, LoadView view) {
        if (view.size() != eweight.length) {
            throw new IllegalArgumentException("view has " + view.size() + " servers but " + eweight.length
                    + " weights");
        }
        return next();
    }
}
