package io.github.dsw.labs;

import static io.github.dsw.labs.Checks.check;

import io.github.dsw.raft.LogEntry;
import io.github.dsw.raft.RaftRules;
import io.github.dsw.sim.Nemesis;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Grader of lab {@code raft-replication} (as MIT 6.5840's part 3B): the student writes the AppendEntries receiver
 * (consistency check, merge, commit index) and the leader's commit rule ({@link RaftRules.Replication}). Expected
 * values: Figure 2's receiver steps and Figure 8's commitment rule (section 5.4.2) on hand-made logs, then the
 * replicated key-value store in the simulator: Log Matching, Leader Completeness and State Machine Safety after
 * every event (Figure 3), linearizable histories without faults and under every nemesis.
 */
final class RaftReplicationLabGrader implements Lab<RaftRules.Replication> {

    /** A follower's log for the hand-made cases: terms of entries 1..n, and a commit index. */
    static final class ListLog implements RaftRules.FollowerLog {
        final List<LogEntry> entries = new ArrayList<>();
        long commit;

        ListLog(long commit, long... terms) {
            for (long t : terms) {
                entries.add(new LogEntry(t, "x" + t));
            }
            this.commit = commit;
        }

        @Override
        public long lastIndex() {
            return entries.size();
        }

        @Override
        public long termAt(long index) {
            check(index >= 0 && index <= entries.size(), "termAt(%d) outside 0..%d", index, entries.size());
            return index == 0 ? 0 : entries.get((int) index - 1).term();
        }

        @Override
        public long commitIndex() {
            return commit;
        }

        @Override
        public void truncateFrom(long index) {
            check(index > commit, "truncateFrom(%d) would drop committed entries (commit index %d)", index, commit);
            check(index >= 1 && index <= entries.size(), "truncateFrom(%d) outside 1..%d", index, entries.size());
            entries.subList((int) index - 1, entries.size()).clear();
        }

        @Override
        public void append(LogEntry e) {
            entries.add(e);
        }

        @Override
        public void commitTo(long index) {
            check(index <= entries.size(), "commitTo(%d) beyond the last index %d", index, entries.size());
            commit = Math.max(commit, index);
        }

        List<Long> terms() {
            return entries.stream().map(LogEntry::term).toList();
        }
    }

    @Override
    public String name() {
        return "raft-replication";
    }

    @Override
    public String summary() {
        return "chapter 7: Raft log replication (AppendEntries consistency check, commit rule), as 6.5840's 3B";
    }

    @Override
    public Class<RaftRules.Replication> api() {
        return RaftRules.Replication.class;
    }

    @Override
    public String studentClass() {
        return "StudentRaftReplication";
    }

    @Override
    public RaftRules.Replication reference() {
        return RaftRules.REFERENCE.replication();
    }

    private static List<LogEntry> entries(long... terms) {
        List<LogEntry> l = new ArrayList<>();
        for (long t : terms) {
            l.add(new LogEntry(t, "new" + t));
        }
        return l;
    }

    @Override
    public List<LabTest> tests(RaftRules.Replication impl, Seeds seeds) {
        return tests(impl, seeds, RaftLabRuns.rules(impl, RaftRules.REFERENCE::withReplication));
    }

    /**
     * The tests: the hand-made cases call {@code impl}; the simulated runs build every server's rules with
     * {@code rules} (the reference with {@code impl}'s part, or, in lab {@code raft}, all four of the student's parts).
     */
    List<LabTest> tests(RaftRules.Replication impl, Seeds seeds, Supplier<RaftRules> rules) {
        List<LabTest> t = new ArrayList<>();
        t.add(new LabTest("append-entries-receiver-cases", 3, () -> {
            ListLog a = new ListLog(1, 1, 1, 2);
            check(impl.appendEntries(a, 5, 2, entries(3), 2) == -1, "log of terms %s, prevLogIndex 5 beyond its end: must reject (-1)", a.terms());
            check(a.terms().equals(List.of(1L, 1L, 2L)), "a rejected AppendEntries must not change the log; it is now %s", a.terms());
            ListLog b = new ListLog(1, 1, 1, 2);
            check(impl.appendEntries(b, 3, 3, entries(3), 2) == -1, "log of terms [1, 1, 2], prevLogTerm 3 at index 3 (ours is 2): must reject");
            ListLog c = new ListLog(1, 1, 1, 2);
            long m = impl.appendEntries(c, 3, 2, entries(2, 3), 4);
            check(m == 5 && c.terms().equals(List.of(1L, 1L, 2L, 2L, 3L)), "appending terms [2, 3] after (3, 2) to [1, 1, 2]: expected"
                    + " match index 5 and log [1, 1, 2, 2, 3], got %d and %s", m, c.terms());
            check(c.commit == 4, "leaderCommit 4 with the last new entry at 5: commit index must become 4, got %d", c.commit);
            ListLog d = new ListLog(1, 1, 1, 2, 2, 3);
            m = impl.appendEntries(d, 2, 1, entries(2), 9);
            check(m == 3 && d.terms().equals(List.of(1L, 1L, 2L, 2L, 3L)), "an old AppendEntries (terms [2] after (2, 1)) that the"
                    + " log already holds must not truncate it: expected match index 3 and log [1, 1, 2, 2, 3], got %d and %s", m, d.terms());
            check(d.commit == 3, "leaderCommit 9 but the last NEW entry of this message is at 3: commit index must become 3"
                    + " (min(leaderCommit, index of last new entry)), got %d", d.commit);
            ListLog e = new ListLog(1, 1, 1, 2, 2, 2);
            m = impl.appendEntries(e, 3, 2, entries(3, 3), 2);
            check(m == 5 && e.terms().equals(List.of(1L, 1L, 2L, 3L, 3L)), "entries [3, 3] after (3, 2) conflict with [.., 2, 2] at"
                    + " index 4: expected the log [1, 1, 2, 3, 3] and match index 5, got %s and %d", e.terms(), m);
            ListLog f = new ListLog(2, 1, 1);
            m = impl.appendEntries(f, 2, 1, entries(), 2);
            check(m == 2 && f.terms().equals(List.of(1L, 1L)), "a heartbeat (no entries) after a matching (2, 1): match index 2,"
                    + " log unchanged; got %d and %s", m, f.terms());
        }));
        t.add(new LabTest("commit-rule-cases", 2, () -> {
            long[] terms = {0, 1, 1, 2, 4, 4};
            java.util.function.LongUnaryOperator termAt = i -> terms[(int) i];
            long got = impl.commitIndex(4, 1, 5, termAt, new long[] {5, 4, 4, 1, 0});
            check(got == 4, "leader of term 4, entries of terms [1, 1, 2, 4, 4], matchIndex [5, 4, 4, 1, 0] (5 voters): index 4 is"
                    + " on 3 of 5 and of the current term, index 5 on 1; expected commit index 4, got %d", got);
            got = impl.commitIndex(4, 1, 5, termAt, new long[] {5, 3, 3, 1, 0});
            check(got == 1, "Figure 8: leader of term 4, index 3 (term 2) is on 3 of 5 voters but no entry of term 4 is on a"
                    + " majority: nothing may be committed by counting, expected 1, got %d", got);
            got = impl.commitIndex(4, 1, 5, termAt, new long[] {5, 5, 5, 1, 0});
            check(got == 5, "index 5 (term 4) on 3 of 5 voters: expected commit index 5 (and with it 2..4), got %d", got);
            got = impl.commitIndex(4, 4, 5, termAt, new long[] {5, 4, 4});
            check(got == 4, "3 voters, index 5 only on the leader: commit index stays 4, got %d", got);
            got = impl.commitIndex(4, 1, 5, termAt, new long[] {5, 5, 1, 1});
            check(got == 1, "4 voters: index 5 on 2 of 4 is not a majority; expected 1, got %d", got);
        }));
        t.add(new LabTest("linearizable-kv-without-faults", 1, () -> seeds.forEach(2, seed ->
                RaftLabRuns.kv(rules, seed, 3, 150, Set.of(), 0))));
        t.add(new LabTest("linearizable-kv-under-every-nemesis", 4, () -> seeds.forEach(5, seed ->
                RaftLabRuns.kv(rules, seed, seed % 2 == 0 ? 3 : 5, 150,
                        EnumSet.allOf(Nemesis.Kind.class), 0))));
        return t;
    }
}
