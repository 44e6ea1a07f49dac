package io.github.dsw.zab;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.dsw.runtime.Context;
import io.github.dsw.runtime.SplitMix64;
import io.github.dsw.sim.Nemesis;
import io.github.dsw.zab.ZabMessage.NewLeader;
import io.github.dsw.zab.ZabMessage.SyncMode;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Synchronisation (the paper's phase 2, ZooKeeper's DIFF/TRUNC/SNAP) from a leader whose history is
 * ⟨1,1⟩ ⟨1,2⟩ ⟨2,1⟩ ⟨2,2⟩, for followers whose histories end at various zxids. Expected values from the rule that two
 * histories holding the same zxid agree up to it (one primary per epoch, proposals logged in order): a follower
 * whose last zxid the leader holds gets the rest (DIFF); one with proposals of an epoch the leader also has, beyond
 * the leader's, is cut at the leader's last zxid of that epoch (TRUNC); otherwise the whole history (SNAP), or, when
 * the leader has compacted the part of its log the follower would need, its snapshot and the log after it. Also:
 * the same seed replays the same run.
 */
class ZabSyncTest {

    static final Txn A = new Txn(new Zxid(1, 1), "a");
    static final Txn B = new Txn(new Zxid(1, 2), "b");
    static final Txn C = new Txn(new Zxid(2, 1), "c");
    static final Txn D = new Txn(new Zxid(2, 2), "d");

    static final ZabSnapshot SNAP_AB = new ZabSnapshot(2, B.zxid(), new byte[] {7, 7});

    static ZabNode leaderWith(List<Txn> history) {
        return leaderWith(history, 0);
    }

    /** A leader whose first {@code compacted} transactions are only in its snapshot {@link #SNAP_AB} (0: no snapshot). */
    static ZabNode leaderWith(List<Txn> history, int compacted) {
        Map<String, Object> store = new HashMap<>();
        for (int i = compacted; i < history.size(); i++) {
            store.put("zab.h/" + (i + 1), history.get(i));
        }
        if (compacted > 0) {
            store.put("zab.snap", SNAP_AB);
            store.put("zab.base", new ZabNode.LogBase(compacted, history.get(compacted - 1).zxid()));
        }
        store.put("zab.length", (long) history.size());
        store.put("zab.current", 2L);
        Context<ZabMessage> ctx = new Context<>() {
            public int self() { return 0; }
            public int servers() { return 3; }
            public long now() { return 0; }
            public long monotonicNow() { return 0; }
            public SplitMix64 random() { return new SplitMix64(1); }
            public void send(int to, ZabMessage m) { }
            public long setTimer(long delayNs, Object tag) { return 0; }
            public void cancelTimer(long id) { }
            public Object read(String key) { return store.get(key); }
            public void write(String key, Object value) { store.put(key, value); }
            public void fsync() { }
            public void output(Object event) { }
        };
        return new ZabNode(ctx, Mutation.NONE);
    }

    @Test
    void diffWhenTheLeaderHoldsTheFollowersLastZxid() {
        ZabNode l = leaderWith(List.of(A, B, C, D));
        assertEquals(new NewLeader(2, SyncMode.DIFF, C.zxid(), List.of(D), D.zxid()), l.syncFor(C.zxid()));
        assertEquals(new NewLeader(2, SyncMode.DIFF, Zxid.ZERO, List.of(A, B, C, D), D.zxid()), l.syncFor(Zxid.ZERO));
        assertEquals(new NewLeader(2, SyncMode.DIFF, D.zxid(), List.of(), D.zxid()), l.syncFor(D.zxid()));
    }

    @Test
    void truncWhenTheFollowerHasProposalsOfAnEpochBeyondTheLeaders() {
        ZabNode l = leaderWith(List.of(A, B, C, D));
        // ⟨2,3⟩ was proposed in epoch 2 but never reached the new leader: cut back to ⟨2,2⟩
        assertEquals(new NewLeader(2, SyncMode.TRUNC, D.zxid(), List.of(), D.zxid()), l.syncFor(new Zxid(2, 3)));
        // ⟨1,3⟩ of epoch 1 was never committed: cut back to ⟨1,2⟩, then epoch 2's transactions
        assertEquals(new NewLeader(2, SyncMode.TRUNC, B.zxid(), List.of(C, D), D.zxid()), l.syncFor(new Zxid(1, 3)));
    }

    @Test
    void snapWhenTheLeaderHasNothingOfTheFollowersLastEpoch() {
        ZabNode l = leaderWith(List.of(A, B, C, D));
        assertEquals(new NewLeader(2, SyncMode.SNAP, Zxid.ZERO, List.of(A, B, C, D), D.zxid()), l.syncFor(new Zxid(3, 1)));
    }

    @Test
    void aLeaderThatCompactedItsLogSendsItsSnapshotWhenTheLogNoLongerReachesTheFollower() {
        // the leader holds A B only in its snapshot (index 2, zxid of B), then C D in its log
        ZabNode l = leaderWith(List.of(A, B, C, D), 2);
        assertEquals(new ZabMessage.NewLeaderSnapshot(2, SNAP_AB, List.of(C, D), D.zxid()), l.syncFor(Zxid.ZERO));
        assertEquals(new ZabMessage.NewLeaderSnapshot(2, SNAP_AB, List.of(C, D), D.zxid()), l.syncFor(A.zxid()));
        // the snapshot's last zxid is still the log's base: DIFF, and TRUNC back to it
        assertEquals(new NewLeader(2, SyncMode.DIFF, B.zxid(), List.of(C, D), D.zxid()), l.syncFor(B.zxid()));
        assertEquals(new NewLeader(2, SyncMode.TRUNC, B.zxid(), List.of(C, D), D.zxid()), l.syncFor(new Zxid(1, 3)));
        assertEquals(new NewLeader(2, SyncMode.TRUNC, D.zxid(), List.of(), D.zxid()), l.syncFor(new Zxid(2, 3)));
        assertEquals(new NewLeader(2, SyncMode.DIFF, C.zxid(), List.of(D), D.zxid()), l.syncFor(C.zxid()));
    }

    @Test
    void theSameSeedReplaysTheSameRun() {
        ZabKvRun.Settings s = ZabKvRun.Settings.of(7, 3, 3, 100, Set.of(Nemesis.Kind.CRASH, Nemesis.Kind.PARTITION));
        assertEquals(ZabKvRun.run(s).trace().hash(), ZabKvRun.run(s).trace().hash());
    }
}
