package io.github.dsw.balance;

/**
 * What a balancer can see of the servers when it picks one: their number and their outstanding
 * requests (queued plus in service). In a simulation with stale information this is a snapshot taken
 * at the last refresh, not the truth.
 */
public interface LoadView {
    /** Number of servers, indexed 0..size()−1. */
    int size();

    /** Outstanding requests at {@code server} as last reported. */
    int outstanding(int server);
}
