package io.github.dsw.raft;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.dsw.check.HistoryEvent.Cas;
import io.github.dsw.check.HistoryEvent.Fn;
import io.github.dsw.runtime.Context;
import io.github.dsw.runtime.Node;
import io.github.dsw.sim.SimConfig;
import io.github.dsw.sim.Simulator;
import io.github.dsw.sim.Trace;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The session table of the Raft key-value store, step by step (dissertation section 6.3): a scripted
 * client sends each request to every server (so only the leader proposes it, the others answer
 * "retry"), including late copies of requests it already has answers for. Expected values are those
 * of a single register executing each request id at most once, in the order of first execution.
 */
class RaftKvSessionTest {
    private static final long MS = 1_000_000;

    /** A client that broadcasts scripted requests at fixed times and records the definite replies. */
    static final class ScriptedClient implements Node<KvMessage> {
        record Send(long atMs, KvMessage.Request request) {
        }

        final List<Send> script;
        final List<KvMessage.Reply> replies = new ArrayList<>();

        ScriptedClient(List<Send> script) {
            this.script = script;
        }

        @Override
        public void start(Context<KvMessage> ctx) {
            for (int i = 0; i < script.size(); i++) {
                ctx.setTimer(script.get(i).atMs() * MS, i);
            }
        }

        @Override
        public void receive(Context<KvMessage> ctx, int from, KvMessage message) {
            if (message instanceof KvMessage.Reply r && !r.retry()) {
                replies.add(r);
            }
        }

        @Override
        public void timer(Context<KvMessage> ctx, Object tag) {
            KvMessage.Request r = script.get((Integer) tag).request();
            for (int s = 0; s < ctx.servers(); s++) {
                ctx.send(s, r);
            }
        }

        List<KvMessage.Reply> repliesTo(long requestId) {
            return replies.stream().filter(r -> r.requestId() == requestId).toList();
        }
    }

    private static KvMessage.Request write(long id, long value, long floor) {
        return new KvMessage.Request(id, Fn.WRITE, "k", value, floor);
    }

    @Test
    void eachRequestIdTakesEffectOnceAndLateCopiesBelowTheFloorAreIgnored() {
        int n = 3;
        List<ScriptedClient.Send> script = List.of(
                new ScriptedClient.Send(1000, write(1, 1, 1)),
                new ScriptedClient.Send(1100, write(2, 2, 2)),        // the client has its answer to 1
                new ScriptedClient.Send(1200, write(1, 1, 1)),        // a late copy of 1: below the floor, ignored
                new ScriptedClient.Send(1300, new KvMessage.Request(3, Fn.READ, "k", null, 3)),
                new ScriptedClient.Send(1400, write(4, 9, 4)),
                new ScriptedClient.Send(1400, write(4, 9, 4)),        // two copies at once: proposed twice, applied once
                new ScriptedClient.Send(1500, new KvMessage.Request(5, Fn.CAS, "k", new Cas(9, 1), 4)), // 4 still awaited
                new ScriptedClient.Send(1600, write(4, 9, 4)),        // a copy of 4 while it is still awaited: its recorded answer
                new ScriptedClient.Send(1700, new KvMessage.Request(6, Fn.READ, "k", null, 6)),
                new ScriptedClient.Send(1800, write(4, 9, 4)));       // now below the floor: ignored
        SimConfig cfg = SimConfig.defaults(5, n).withTrace(Trace.Level.HASH, false);
        Simulator<KvMessage> sim = new Simulator<>(cfg,
                id -> KvService.server(RaftConfig.builder(id, n).electionTicks(10, 19).heartbeatTicks(2).build(), 10 * MS, KvService.ReadMode.LOG));
        ScriptedClient client = new ScriptedClient(script);
        sim.addClient(client);
        sim.runUntil(2500 * MS);

        assertEquals(1, client.repliesTo(1).size(), "one answer to request 1, none to its late copy: " + client.replies);
        assertEquals(1, client.repliesTo(2).size());
        assertEquals(List.of(2L), client.repliesTo(3).stream().map(KvMessage.Reply::value).toList(), "the late copy of write(1) did not execute");
        // four copies of request 4 reached the leader before its floor passed it: all got the one result
        assertTrue(client.repliesTo(4).size() >= 3 && client.repliesTo(4).stream().allMatch(KvMessage.Reply::ok), "" + client.repliesTo(4));
        assertTrue(client.repliesTo(5).get(0).ok(), "cas(9 -> 1) saw the write of 9");
        assertEquals(List.of(1L), client.repliesTo(6).stream().map(KvMessage.Reply::value).toList(),
                "the copy of write(9) sent after cas(9 -> 1) was not executed again");
        int repliesTo4 = client.repliesTo(4).size();
        sim.runUntil(3000 * MS);
        assertEquals(repliesTo4, client.repliesTo(4).size(), "the copy below the floor got no answer");
        for (int s = 0; s < n; s++) {
            // bounded: only request 6's response is at or above the floor (6)
            assertEquals(1, ((RaftHost<KvStore, KvMessage>) sim.node(s)).stateMachine().sessionResponses(), "server " + s);
        }
    }

    @Test
    void requestsCheckTheirFloor() {
        assertThrows(IllegalArgumentException.class, () -> new KvMessage.Request(3, Fn.READ, "k", null, 4));
        assertThrows(IllegalArgumentException.class, () -> new KvMessage.Reply(3, true, null, -1, true));
        assertEquals(3, new KvMessage.Request(3, Fn.READ, "k", null).firstUnanswered());
    }
}
