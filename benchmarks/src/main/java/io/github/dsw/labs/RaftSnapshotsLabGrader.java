package io.github.dsw.labs;

import static io.github.dsw.labs.Checks.check;

import io.github.dsw.raft.RaftKvRun;
import io.github.dsw.raft.RaftRules;
import io.github.dsw.raft.Snapshot;
import io.github.dsw.raft.SnapshotMeta;
import io.github.dsw.sim.Nemesis;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.function.Supplier;

/**
 * Grader of lab {@code raft-snapshots} (as MIT 6.5840's part 3D): the student writes the InstallSnapshot receiver,
 * the assembly of a snapshot from chunks and the decision what of the log survives it ({@link RaftRules.Snapshots};
 * extended paper section 7, Figure 13). Expected values: Figure 13's steps on hand-made chunks and logs, then the
 * key-value store compacting every few entries under crashes and every nemesis, where lagging servers must catch up
 * by InstallSnapshot: every snapshot installed and every state restored from one is compared with the encoding of
 * the committed prefix, after every event, with the Figure 3 invariants, and the history must be linearizable.
 */
final class RaftSnapshotsLabGrader implements Lab<RaftRules.Snapshots> {

    @Override
    public String name() {
        return "raft-snapshots";
    }

    @Override
    public String summary() {
        return "chapter 7: Raft log compaction (InstallSnapshot receiver: chunks, what of the log to keep), as 6.5840's 3D";
    }

    @Override
    public Class<RaftRules.Snapshots> api() {
        return RaftRules.Snapshots.class;
    }

    @Override
    public String studentClass() {
        return "StudentRaftSnapshots";
    }

    @Override
    public RaftRules.Snapshots reference() {
        return RaftRules.REFERENCE.snapshots();
    }

    private static byte[] bytes(int from, int to) {
        byte[] b = new byte[to - from];
        for (int i = from; i < to; i++) {
            b[i - from] = (byte) (i * 7);
        }
        return b;
    }

    @Override
    public List<LabTest> tests(RaftRules.Snapshots impl, Seeds seeds) {
        return tests(impl, seeds, RaftLabRuns.rules(impl, RaftRules.REFERENCE::withSnapshots));
    }

    /**
     * The tests: the hand-made cases call {@code impl}; the simulated runs build every server's rules with
     * {@code rules} (the reference with {@code impl}'s part, or, in lab {@code raft}, all four of the student's parts).
     */
    List<LabTest> tests(RaftRules.Snapshots impl, Seeds seeds, Supplier<RaftRules> rules) {
        List<LabTest> t = new ArrayList<>();
        t.add(new LabTest("chunks-assemble-in-order", 2, () -> {
            SnapshotMeta m = new SnapshotMeta(40, 3);
            RaftRules.SnapshotAssembler a = impl.newAssembler();
            check(a.held() == 0 && a.expected(m, 5) == 0, "a new assembler holds nothing and expects offset 0");
            check(a.offer(m, 5, 0, bytes(0, 10), false) == null, "the first of three chunks completes nothing: offer must return null");
            check(a.expected(m, 5) == 10 && a.held() == 10, "after a 10-byte chunk at offset 0: expected offset 10, held 10; got %d, %d",
                    a.expected(m, 5), a.held());
            check(a.offer(m, 5, 20, bytes(20, 30), true) == null && a.expected(m, 5) == 10, "a chunk at offset 20 while 10 is"
                    + " expected is out of order: ignored (null), still expecting 10");
            check(a.offer(m, 5, 0, bytes(0, 10), false) == null && a.expected(m, 5) == 10, "a duplicate of the first chunk must not"
                    + " be appended again: still expecting 10, got %d", a.expected(m, 5));
            check(a.offer(m, 5, 10, bytes(10, 20), false) == null, "the second chunk completes nothing");
            Snapshot s = a.offer(m, 5, 20, bytes(20, 30), true);
            check(s != null, "the last chunk (done) in order must return the whole snapshot");
            check(s.meta().equals(m) && Arrays.equals(s.data(), bytes(0, 30)), "the assembled snapshot must be meta %s with the 30"
                    + " bytes in order; got %s", m, s);
            check(a.held() == 0, "after a snapshot is complete the buffer is empty; held %d", a.held());
            RaftRules.SnapshotAssembler b = impl.newAssembler();
            b.offer(m, 5, 0, bytes(0, 10), false);
            check(b.expected(m, 6) == 0, "a leader of a new term (6) starts the transfer over: expected offset 0 for it, got %d",
                    b.expected(m, 6));
            check(b.offer(m, 6, 10, bytes(10, 20), false) == null && b.expected(m, 6) == 0, "bytes of two leaders' transfers must"
                    + " not be mixed: a chunk at 10 from the new term's leader is refused, expecting 0");
            SnapshotMeta newer = new SnapshotMeta(50, 5);
            check(b.offer(newer, 6, 0, bytes(0, 4), true) != null, "a complete one-chunk snapshot must be returned");
        }));
        t.add(new LabTest("what-of-the-log-survives", 1, () -> {
            long[] terms = {0, 1, 1, 2, 2, 3};
            java.util.function.LongUnaryOperator termAt = i -> terms[(int) i];
            check(impl.keepEntriesAfter(4, 2, 5, 0, termAt), "log of terms [1, 1, 2, 2, 3], snapshot through (4, 2): the log holds"
                    + " that entry, so the entry after it stays (Figure 13, step 6)");
            check(!impl.keepEntriesAfter(4, 3, 5, 0, termAt), "snapshot through (4, 3) but our entry 4 has term 2: the log conflicts,"
                    + " discard it entirely (step 7)");
            check(!impl.keepEntriesAfter(8, 3, 5, 0, termAt), "snapshot through index 8, our log ends at 5: discard it (step 7)");
        }));
        t.add(new LabTest("catch-up-by-snapshot-under-crashes", 3, () -> {
            long[] installed = {0};
            seeds.forEach(6, seed -> {
                RaftKvRun.Outcome o = RaftLabRuns.kv(rules, seed, 3, 200,
                        EnumSet.of(Nemesis.Kind.CRASH, Nemesis.Kind.PARTITION), 10);
                installed[0] += o.snapshotsInstalled();
            });
            check(installed[0] > 0, "no server caught up by InstallSnapshot in these runs, so the receiver was not exercised");
        }));
        t.add(new LabTest("linearizable-kv-with-compaction-under-every-nemesis", 3, () -> seeds.forEach(4, seed ->
                RaftLabRuns.kv(rules, seed, seed % 2 == 0 ? 3 : 5, 150,
                        EnumSet.allOf(Nemesis.Kind.class), 10))));
        return t;
    }
}
