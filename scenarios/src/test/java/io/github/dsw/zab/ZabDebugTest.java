package io.github.dsw.zab;

import io.github.dsw.sim.*;
import org.junit.jupiter.api.Test;

class ZabDebugTest {
    @Test
    void debug() {
        SimConfig config = SimConfig.defaults(1, 3).withTrace(Trace.Level.HASH, false);
        Simulator<ZabMessage> sim = new Simulator<>(config, id -> new ZabKvServer(ZabKvRun.TICK_NS, ZabKvServer.ReadMode.SYNC, Mutation.NONE), null);
        ZabKvRun.watch(sim, 3);
        String[] last = new String[3];
        sim.afterEachEvent(() -> {
            for (int i = 0; i < 3; i++) {
                ZabNode z = ZabKvRun.zabOf(sim, i);
                String s = z == null ? "down" : z.state() + "/" + z.phase() + " e" + z.currentEpoch() + " leader " + z.leader();
                if (!s.equals(last[i])) {
                    System.out.printf("%.3f ms node %d: %s%n", sim.now() / 1e6, i, s);
                    last[i] = s;
                }
            }
        });
        Workload<ZabMessage> w = new Workload<>(ZabKvRun.SPEC, new ZabKvRun.Client(), 100).withRetries(ZabKvRun.ATTEMPT_NS, ZabKvRun.BACKOFF_NS);
        w.attach(sim, 3);
        sim.runUntil(2_000_000_000L, w::done);
        System.out.println(sim.trace().countsTable());
    }
}
