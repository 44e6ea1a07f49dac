package io.github.dsw.bench.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Chapter 13's cluster-bench systems really replicate: the project's Zab store (with and without batching) and a real
 * 3-server ZooKeeper ensemble (curator-test's TestingCluster on 127.0.0.1, setData and create) keep the writes they
 * acknowledged when their leader is stopped, the two survivors elect a new leader and commit new writes, and a read
 * (sync + read for both) sees the latest write. Expected values are the client's own sequence numbers. Disk storage
 * (fsync) only, the configuration chapter 13 measures; no timing is asserted; each case takes seconds.
 */
class ZabSystemsTest {

    @TempDir
    Path tmp;

    static Stream<String> systems() {
        return Stream.of("dsw-zab", "dsw-zab-batch", "zookeeper", "zookeeper-create");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("systems")
    void acknowledgedWritesSurviveTheLeadersStop(String name) throws Exception {
        try (RaftSystem system = ClusterBench.system(name)) {
            system.start(3, RaftSystem.LogStorage.DISK, 64, java.nio.file.Files.createDirectories(tmp.resolve(name)));
            try (RaftSystem.Client c = system.client(1)) {
                for (long seq = 1; seq <= 10; seq++) {
                    c.write(seq);
                }
                assertEquals(10, c.read(), name + ": read after 10 acknowledged writes");
            }
            try (RaftSystem.Client other = system.client(2)) {
                other.write(7);
            }
            system.stopLeader();
            try (RaftSystem.Client c = system.client(1)) {
                assertEquals(10, c.read(), name + ": the survivors lost an acknowledged write");
                c.write(11);
                assertEquals(11, c.read(), name + ": the survivors do not commit");
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
    void aShortZooKeeperRunCountsOnlyCompletedWrites() throws Exception {
        ClusterBench.Settings s = new ClusterBench.Settings(3, 2, 64, RaftSystem.LogStorage.DISK, 200_000_000L, 1_000_000_000L, 0);
        ClusterBench.Result r = ClusterBench.run(ClusterBench.system("zookeeper"), s, java.nio.file.Files.createDirectories(tmp.resolve("run")));
        assertEquals(r.ops(), r.latencyUs().getTotalCount(), "one latency per counted write");
        assertTrue(r.ops() > 0, "no write completed in 1 s: " + r.line());
        assertTrue(r.describe().contains("ZooKeeper 3.9"), r.describe());
    }
}
