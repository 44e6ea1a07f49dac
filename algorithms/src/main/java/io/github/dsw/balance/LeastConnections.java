package io.github.dsw.balance;

/**
 * The server with the fewest outstanding requests (join the shortest queue); among equals, the next
 * in round-robin order after the previous pick, as HAProxy's {@code leastconn} does. O(n) per pick.
 * With fresh information it is close to optimal; with stale information every balancer sees the same
 * "emptiest" server and sends it everything until the next refresh (herding, see chapter 3).
 */
public final class LeastConnections implements Balancer {
    private int start;

    @Override
    public int pick(long requestKey, long nowNanos, LoadView view) {
        int n = view.size();
        int best = -1;
        int bestLoad = Integer.MAX_VALUE;
        // Scan start..n-1 then 0..start-1: the first minimum met wins, so ties rotate (no modulo per step).
        for (int i = start; i < n; i++) {
            int load = view.outstanding(i);
            if (load < bestLoad) {
                best = i;
                bestLoad = load;
            }
        }
        for (int i = 0; i < Math.min(start, n); i++) {
            int load = view.outstanding(i);
            if (load < bestLoad) {
                best = i;
                bestLoad = load;
            }
        }
        start = (best + 1) % n;
        return best;
    }
}
