package io.github.dsw.bench.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each cluster-bench adapter really replicates: writes acknowledged by a 3-node cluster are still there
 * after its leader is stopped (so a majority stored them, and the survivors elected a leader that has
 * them: Raft's leader completeness, Ongaro and Ousterhout 2014, section 5.4), and the two survivors still
 * commit new writes. The expected values are the client's own sequence numbers, not anything the
 * systems computed. No timing is asserted; each case takes a few seconds.
 */
class RaftSystemsTest {

    @TempDir
    Path tmp;

    static Stream<Arguments> systems() {
        return Stream.of("dsw-raft", "dsw-raft-embedded", "jgroups-raft", "ratis")
                .flatMap(s -> Stream.of(Arguments.of(s, RaftSystem.LogStorage.MEMORY), Arguments.of(s, RaftSystem.LogStorage.DISK)));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("systems")
    void acknowledgedWritesSurviveTheLeadersStop(String name, RaftSystem.LogStorage storage) throws Exception {
        try (RaftSystem system = ClusterBench.system(name)) {
            system.start(3, storage, 256, tmp);
            try (RaftSystem.Client c = system.client(1)) {
                for (long seq = 1; seq <= 20; seq++) {
                    c.write(seq);
                }
                assertEquals(20, c.read(), name + ": read after 20 acknowledged writes");
            }
            try (RaftSystem.Client other = system.client(2)) {
                other.write(7);
            }
            system.stopLeader();
            try (RaftSystem.Client c = system.client(1)) {
                assertEquals(20, c.read(), name + ": the survivors lost an acknowledged write");
                c.write(21);
                assertEquals(21, c.read(), name + ": the survivors do not commit");
            }
            try (RaftSystem.Client other = system.client(2)) {
                assertEquals(7, other.read(), name + ": another client's key");
            }
            try (RaftSystem.Client fresh = system.client(3)) {
                assertEquals(-1, fresh.read(), name + ": a key never written");
            }
        }
    }

    @Test
    void aShortClosedLoopRunCountsOnlyCompletedWrites() throws Exception {
        ClusterBench.Settings s = new ClusterBench.Settings(3, 2, 64, RaftSystem.LogStorage.MEMORY, 200_000_000L, 1_000_000_000L, 0);
        ClusterBench.Result r = ClusterBench.run(ClusterBench.system("dsw-raft"), s, tmp);
        assertEquals(r.ops(), r.latencyUs().getTotalCount(), "one latency per counted write");
        assertTrue(r.ops() > 0, "no write completed in 1 s: " + r.line());
        assertTrue(r.line().matches("system=dsw-raft ops_per_s=[0-9.]+ p50_ms=[0-9.]+ p99_ms=[0-9.]+ .*"), r.line());
    }
}
