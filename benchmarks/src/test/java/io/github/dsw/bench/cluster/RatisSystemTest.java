package io.github.dsw.bench.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The Ratis adapter's two ways in ({@code ratis}: a RaftClient per client, async API; {@code ratis-embedded}:
 * in process at the leader) under concurrent closed-loop clients: every client waits for its own reply,
 * so after each client's last acknowledged write a linearizable read of its key returns exactly the
 * sequence number that client wrote last (the expected values are the clients' own counters). The
 * embedded variant also keeps its writes across a leader stop ({@link RaftSystemsTest} covers
 * {@code ratis} by name). No timing is asserted.
 */
class RatisSystemTest {

    @TempDir
    Path tmp;

    @ParameterizedTest(name = "embedded={0} {1}")
    @CsvSource({"false, MEMORY", "true, MEMORY", "true, DISK"})
    void concurrentClientsEachSeeTheirOwnLastWrite(boolean embedded, RaftSystem.LogStorage storage) throws Exception {
        int clients = 6;
        int writes = 25;
        try (RatisSystem system = new RatisSystem(embedded); ExecutorService pool = Executors.newFixedThreadPool(clients)) {
            system.start(3, storage, 64, tmp);
            List<Future<Long>> last = new ArrayList<>();
            for (int i = 0; i < clients; i++) {
                RaftSystem.Client c = system.client(i);
                last.add(pool.submit(() -> {
                    try (c) {
                        for (long seq = 1; seq <= writes; seq++) {
                            c.write(seq);
                            if (seq % 5 == 0) {
                                assertEquals(seq, c.read(), system.name() + ": read right after this client's acknowledged write " + seq);
                            }
                        }
                        return c.read();
                    }
                }));
            }
            for (int i = 0; i < clients; i++) {
                assertEquals(writes, last.get(i).get(), system.name() + ": client " + i + "'s last write");
            }
            if (embedded) {
                system.stopLeader();
                try (RaftSystem.Client c = system.client(0)) {
                    assertEquals(writes, c.read(), system.name() + ": the survivors lost an acknowledged write");
                    c.write(writes + 1);
                    assertEquals(writes + 1, c.read(), system.name() + ": the survivors do not commit");
                }
            }
        }
    }
}
