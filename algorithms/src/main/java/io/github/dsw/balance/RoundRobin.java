package io.github.dsw.balance;

/** Servers in turn, 0, 1, ..., n−1, 0, ...: blind to load, perfectly even in counts. O(1). */
public final class RoundRobin implements Balancer {
    private int next;

    @Override
    public int pick(long requestKey, long nowNanos, LoadView view) {
        int server = next % view.size();
        next = server + 1;
        return server;
    }
}
