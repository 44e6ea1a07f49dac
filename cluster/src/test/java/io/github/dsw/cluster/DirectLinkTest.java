package io.github.dsw.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.dsw.check.HistoryEvent.Fn;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bound workload's link to one server ({@code ./dsw torture --workload bound}): a read given up while its server is
 * stopped (SIGSTOP) is still answered when the server wakes (SIGCONT), and that late answer reaches the handler
 * registered when it was given up, after the moment it was given up: the harness records it as the read's completion.
 * One real raft-kv node on 127.0.0.1 (a single server leads alone).
 */
class DirectLinkTest {

    @TempDir
    Path tmp;

    @Test
    void aReadGivenUpWhileItsServerIsStoppedCompletesWhenTheAnswerArrives() throws Exception {
        var peers = Torture.freeLoopbackPorts(1);
        try (LocalCluster cluster = new LocalCluster(new LocalCluster.Spec(RaftKv.NAME, tmp, peers, FsyncPolicy.EVERY, "disk", true, LocalCluster.NODE_JVM));
             DirectLink<io.github.dsw.raft.KvMessage> link = new DirectLink<>(peers.get(0), RaftKv.PROTOCOL, 7)) {
            cluster.startAll(60_000_000_000L);
            // a first read: the link is connected and the single server answers (it leads once elected)
            KvProtocol.Answer first = null;
            long until = System.nanoTime() + 30_000_000_000L;
            long id = 7L << 32;
            while (first == null || first.kind() != KvProtocol.Kind.OK) {
                assertTrue(System.nanoTime() < until, "the single server never answered a read: " + first);
                assertTrue(link.send(RaftKv.PROTOCOL.request(++id, Fn.READ, "k", null)));
                first = link.await(id, System.nanoTime() + 2_000_000_000L);
                Thread.sleep(50);
            }
            cluster.pause(0);
            long late = ++id;
            assertTrue(link.send(RaftKv.PROTOCOL.request(late, Fn.READ, "k", null)));
            assertNull(link.await(late, System.nanoTime() + 300_000_000L), "a stopped server answered");
            long gaveUpAt = System.nanoTime();
            CompletableFuture<Long> arrived = new CompletableFuture<>();
            CompletableFuture<KvProtocol.Answer> answer = new CompletableFuture<>();
            link.giveUp(late, a -> {
                arrived.complete(System.nanoTime());
                answer.complete(a);
            });
            Thread.sleep(200);
            assertTrue(!answer.isDone(), "an answer before the server woke");
            cluster.resume(0);
            KvProtocol.Answer a = answer.get(20, TimeUnit.SECONDS);
            assertNotNull(a);
            assertEquals(late, a.requestId());
            assertEquals(KvProtocol.Kind.OK, a.kind());
            assertTrue(arrived.get() > gaveUpAt + 200_000_000L, "the late answer is stamped with its arrival");
            assertTrue(link.unanswered().isEmpty(), "an answered read still counted as unanswered");
        }
        TortureTest.assertNoNodeLeft();
    }
}
