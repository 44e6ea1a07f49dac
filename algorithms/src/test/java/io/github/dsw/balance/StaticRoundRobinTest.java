package io.github.dsw.balance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/**
 * {@link StaticRoundRobin} against sequences the real HAProxy 2.6.12 produced with {@code balance static-rr}
 * (one request at a time through HAProxy on 127.0.0.1, backends answering with their index; recorded with
 * scenarios' AgreementChecks). The live comparison is scenarios' RealBalancersTest.
 */
class StaticRoundRobinTest {

    private static int[] picks(StaticRoundRobin b, int n, int count) {
        int[] out = new int[count];
        for (int i = 0; i < count; i++) {
            out[i] = b.pick(0, 0, BalancerTest.view(new int[n]));
        }
        return out;
    }

    @Test
    void weightsFiveOneOneAsHaproxyServesThem() {
        assertArrayEquals(HAPROXY_5_1_1, picks(new StaticRoundRobin(5, 1, 1), 3, HAPROXY_5_1_1.length));
    }

    @Test
    void weightsAreReducedByTheirGcd() {
        assertArrayEquals(new StaticRoundRobin(5, 1, 1).map(), new StaticRoundRobin(10, 2, 2).map());
        assertArrayEquals(new int[] {0, 1, 2}, new StaticRoundRobin(4, 4, 4).map());
    }

    @Test
    void rejectsBadWeights() {
        assertThrows(IllegalArgumentException.class, StaticRoundRobin::new);
        assertThrows(IllegalArgumentException.class, () -> new StaticRoundRobin(1, 0));
    }

    /** HAProxy 2.6.12-1+deb12u3 (Debian 12), weights 5, 1, 1, the first 14 requests: a a a b a a c, twice. */
    static final int[] HAPROXY_5_1_1 = {0, 0, 0, 1, 0, 0, 2, 0, 0, 0, 1, 0, 0, 2};
}
