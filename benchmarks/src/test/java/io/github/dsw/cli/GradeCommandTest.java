package io.github.dsw.cli;

import static io.github.dsw.cli.CliRun.run;

import io.github.dsw.cli.CliRun.Result;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.dsw.labs.Labs;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./dsw grade}: the reference passes every test of every lab, the committed skeleton fails every test
 * (with a readable reason), a student's correct solution passes and a subtly wrong one loses exactly the tests
 * it should; {@code --list}, {@code --init} and bad input behave as documented.
 */
class GradeCommandTest {

    @TempDir
    Path tmp;

    @org.junit.jupiter.api.BeforeAll
    static void theLaunchersRoot() {
        // ./dsw passes -Ddsw.root; Maven runs the tests in benchmarks/, so point at the repository as ./dsw would
        System.setProperty("dsw.root", CourseReferencesTest.ROOT.toString());
    }

    @Test
    void listPrintsOneLabPerLine() {
        Result r = run("grade", "--list");
        assertEquals(0, r.exit());
        assertEquals(Labs.names(), r.out().lines().toList());
        assertEquals(List.of("crc", "jump-hash", "mcs-lock", "abd", "paxos", "raft-election", "raft-replication", "raft-persistence",
                "raft-snapshots", "raft", "lock-service"), Labs.names(), "the names other chapters cite, in course order");
    }

    @Test
    void theReferencePassesEveryTestOfEveryLab() {
        for (String lab : Labs.names()) {
            Result r = run("grade", lab, "--reference", "--seeds", "1"); // one seed per randomised test: ./dsw grade runs more
            assertEquals(0, r.exit(), lab + ":\n" + r.out() + r.err());
            assertTrue(r.out().lines().noneMatch(l -> l.startsWith("FAIL")), r.out());
        }
    }

    @Test
    void theSkeletonFailsEveryTestWithAReason() throws Exception {
        for (String lab : Labs.names()) {
            Path dir = tmp.resolve(lab);
            Result init = run("grade", lab, "--init", "--dir", dir.toString());
            assertEquals(0, init.exit(), init.err());
            Result r = run("grade", lab, "--dir", dir.toString(), "--seeds", "1");
            assertEquals(1, r.exit(), lab + ":\n" + r.out());
            List<String> tests = r.out().lines().filter(l -> l.startsWith("PASS") || l.startsWith("FAIL")).toList();
            assertTrue(!tests.isEmpty() && tests.stream().allMatch(l -> l.startsWith("FAIL") && l.contains("not implemented")),
                    "every test fails, saying why:\n" + r.out());
            Result again = run("grade", lab, "--init", "--dir", dir.toString());
            assertEquals(2, again.exit(), "--init never overwrites work");
        }
    }

    @Test
    void aCorrectStudentSolutionPassesAndAWrongOneLosesTheRightTests() throws Exception {
        Path good = tmp.resolve("good");
        Files.createDirectories(good);
        // A student's bitwise CRC, written from the Rocksoft model (not the workbench's engines).
        Files.writeString(good.resolve("StudentCrc.java"), """
                import io.github.dsw.checksum.CrcSpec;
                import io.github.dsw.labs.CrcLab;
                public final class StudentCrc implements CrcLab {
                    public long crc(CrcSpec s, byte[] data) {
                        int w = s.width();
                        long top = 1L << (w - 1), mask = w == 64 ? -1L : (1L << w) - 1, reg = s.init();
                        for (byte b : data) {
                            int v = b & 0xff;
                            if (s.refIn()) v = Integer.reverse(v) >>> 24;
                            for (int i = 7; i >= 0; i--) {
                                boolean bit = ((v >>> i) & 1) != 0;
                                boolean msb = (reg & top) != 0;
                                reg = (reg << 1) & mask;
                                if (msb ^ bit) reg ^= s.poly();
                            }
                        }
                        if (s.refOut()) reg = Long.reverse(reg) >>> (64 - w);
                        return (reg ^ s.xorOut()) & mask;
                    }
                }
                """);
        Result r = run("grade", "crc", "--dir", good.toString());
        assertEquals(0, r.exit(), r.out());
        Path wrong = tmp.resolve("wrong");
        Files.createDirectories(wrong);
        // Forgets refOut: right for models where refIn = refOut = false, wrong for CRC-32.
        Files.writeString(wrong.resolve("StudentCrc.java"), Files.readString(good.resolve("StudentCrc.java"))
                .replace("if (s.refOut()) reg = Long.reverse(reg) >>> (64 - w);", ""));
        Result w = run("grade", "crc", "--dir", wrong.toString());
        assertEquals(1, w.exit());
        assertTrue(w.out().contains("FAIL crc32-check-value"), w.out());
        assertTrue(w.out().contains("CRC-32 of \"123456789\": expected 0xcbf43926"), "the catalogue's check value is named:\n" + w.out());
    }

    @Test
    void aFailureUnderASeedPrintsTheSeedAndTheReplayCommand() throws Exception {
        Path dir = tmp.resolve("abd");
        assertEquals(0, run("grade", "abd", "--init", "--dir", dir.toString()).exit());
        Result r = run("grade", "abd", "--dir", dir.toString(), "--seeds", "2");
        assertEquals(1, r.exit());
        assertTrue(r.out().contains("seed 1: threw UnsupportedOperationException: lab abd:"), r.out());
        assertTrue(r.out().contains("(at StudentAbd.receive(StudentAbd.java:"), "the line of the student's code:\n" + r.out());
        assertTrue(r.out().contains("replay: ./dsw grade abd --dir " + dir + " --test linearizable-without-faults --seed 1"), r.out());
        Result one = run("grade", "abd", "--dir", dir.toString(), "--test", "messages-per-operation", "--seed", "7");
        assertEquals(1, one.exit());
        List<String> tests = one.out().lines().filter(l -> l.startsWith("PASS") || l.startsWith("FAIL")).toList();
        assertEquals(1, tests.size(), one.out());
        assertTrue(one.out().contains("--test messages-per-operation --seed 7"), one.out());
        Result unknown = run("grade", "abd", "--reference", "--test", "linearizable");
        assertEquals(2, unknown.exit());
        assertTrue(unknown.err().contains("has no test 'linearizable'"), unknown.err());
        assertEquals(2, run("grade", "abd", "--reference", "--seeds", "2", "--seed", "3").exit());
    }

    @Test
    void aStudentsMcsLockPassesAndALifoLockFailsFifo() throws Exception {
        Path good = tmp.resolve("mcs");
        Files.createDirectories(good);
        // Written from Mellor-Crummey and Scott's pseudocode with atomics, not from the workbench's VarHandle version.
        Files.writeString(good.resolve("StudentMcsLock.java"), """
                import io.github.dsw.labs.McsLockLab;
                import java.util.concurrent.atomic.AtomicReference;
                public final class StudentMcsLock implements McsLockLab {
                    static final class Node { volatile Node next; volatile boolean locked = true; }
                    private final AtomicReference<Node> tail = new AtomicReference<>();
                    private final ThreadLocal<Node> mine = new ThreadLocal<>();
                    public void lock() {
                        Node n = new Node();
                        mine.set(n);
                        Node pred = tail.getAndSet(n);
                        if (pred == null) return;
                        pred.next = n;
                        for (int i = 0; n.locked; i++) if ((i & 63) == 63) Thread.yield(); else Thread.onSpinWait();
                    }
                    public void unlock() {
                        Node n = mine.get();
                        if (n.next == null) {
                            if (tail.compareAndSet(n, null)) return;
                            while (n.next == null) Thread.onSpinWait();
                        }
                        n.next.locked = false;
                    }
                    public Object tail() { return tail.get(); }
                }
                """);
        Result r = run("grade", "mcs-lock", "--dir", good.toString());
        assertEquals(0, r.exit(), r.out());
        Path tas = tmp.resolve("lifo");
        Files.createDirectories(tas);
        // Mutually exclusive and never loses a waiter, but hands the lock to the NEWEST waiter: not FIFO.
        Files.writeString(tas.resolve("StudentMcsLock.java"), """
                import io.github.dsw.labs.McsLockLab;
                import java.util.ArrayDeque;
                public final class StudentMcsLock implements McsLockLab {
                    private final ArrayDeque<Thread> waiters = new ArrayDeque<>();
                    private Thread owner;
                    private volatile Object tail;
                    public synchronized void lock() {
                        tail = new Object();
                        if (owner == null) { owner = Thread.currentThread(); return; }
                        waiters.push(Thread.currentThread());
                        while (owner != Thread.currentThread()) {
                            try { wait(); } catch (InterruptedException e) { throw new IllegalStateException(e); }
                        }
                    }
                    public synchronized void unlock() {
                        owner = waiters.poll();
                        if (owner == null) tail = null;
                        notifyAll();
                    }
                    public Object tail() { return tail; }
                }
                """);
        Result w = run("grade", "mcs-lock", "--dir", tas.toString(), "--test", "fifo-hand-off-in-enqueue-order");
        assertEquals(1, w.exit(), w.out());
        assertTrue(w.out().contains("FAIL fifo-hand-off-in-enqueue-order"), w.out());
        assertTrue(w.out().contains("got the lock in order [5, 4, 3, 2, 1, 0]"), w.out());
        Result alone = run("grade", "mcs-lock", "--dir", tas.toString(), "--test", "alone-lock-unlock-leaves-an-empty-queue");
        assertEquals(0, alone.exit(), "the LIFO lock is a lock, only not FIFO:\n" + alone.out());
    }

    /** A student's vote rule; UPTODATE stands for the log comparison. */
    static final String ELECTION = """
            import io.github.dsw.raft.RaftNode;
            import io.github.dsw.raft.RaftRules;
            import java.util.function.IntUnaryOperator;
            public final class StudentRaftElection implements RaftRules.Election {
                public boolean grantVote(RaftRules.VoteRequest r) {
                    boolean free = r.votedFor() == r.candidate() || (r.votedFor() == RaftNode.NONE && r.leaderId() == RaftNode.NONE)
                            || (r.preVote() && r.term() > r.currentTerm());
                    return free && UPTODATE;
                }
                public int electionTimeout(int min, int max, IntUnaryOperator random) { return min + random.applyAsInt(max - min + 1); }
            }
            """;

    /** Section 5.4.1's comparison: the later last term wins, then the longer log. */
    static final String UP_TO_DATE = "(r.lastLogTerm() > r.myLastTerm() || (r.lastLogTerm() == r.myLastTerm() && r.lastLogIndex() >= r.myLastIndex()))";

    @Test
    void aRaftVoteRuleThatIgnoresTermsLosesTheReceiverCases() throws Exception {
        Path good = tmp.resolve("election");
        Files.createDirectories(good);
        Files.writeString(good.resolve("StudentRaftElection.java"), ELECTION.replace("UPTODATE", UP_TO_DATE));
        Result r = run("grade", "raft-election", "--dir", good.toString(), "--seeds", "1");
        assertEquals(0, r.exit(), r.out());
        Path wrong = tmp.resolve("election-by-length");
        Files.createDirectories(wrong);
        // "the longer log is more up-to-date": the mistake section 5.4.1 warns against
        Files.writeString(wrong.resolve("StudentRaftElection.java"), ELECTION.replace("UPTODATE", "r.lastLogIndex() >= r.myLastIndex()"));
        Result w = run("grade", "raft-election", "--dir", wrong.toString(), "--test", "request-vote-receiver-cases");
        assertEquals(1, w.exit(), w.out());
        assertTrue(w.out().contains("FAIL request-vote-receiver-cases"), w.out());
        assertTrue(w.out().contains("candidate's last term later though its log is shorter: expected grant, got refuse"), w.out());
    }

    /** A student's persistence, written from Figure 2's "persistent state" with its own storage layout (not RaftStorage's keys). */
    static final String PERSISTENCE = """
            import io.github.dsw.raft.HardState;
            import io.github.dsw.raft.LogEntry;
            import io.github.dsw.raft.RaftConfig;
            import io.github.dsw.raft.RaftNode;
            import io.github.dsw.raft.RaftRules;
            import io.github.dsw.raft.Ready;
            import io.github.dsw.raft.Snapshot;
            import io.github.dsw.runtime.Context;
            import java.util.ArrayList;
            import java.util.List;

            public final class StudentRaftPersistence implements RaftRules.Persistence {
                public void persist(Context<?> ctx, Ready rd) {
                    if (rd.hardState() != null) {
                        ctx.write("hs", rd.hardState()); // VOTE
                    }
                    if (rd.snapshot() != null) {
                        ctx.write("snapshot", rd.snapshot());
                    }
                    if (!rd.entries().isEmpty() || rd.snapshot() != null) {
                        long i = rd.firstEntryIndex();
                        for (LogEntry e : rd.entries()) {
                            ctx.write("log/" + i++, e);
                        }
                        ctx.write("end", i - 1);
                    }
                    if (!rd.isEmpty()) {
                        ctx.fsync(); // FSYNC
                    }
                }

                public RaftNode load(Context<?> ctx, RaftConfig c) {
                    HardState hs = (HardState) ctx.read("hs");
                    if (hs == null) {
                        hs = new HardState(0, RaftNode.NONE);
                    }
                    Snapshot s = (Snapshot) ctx.read("snapshot");
                    if (s == null) {
                        s = Snapshot.NONE;
                    }
                    Long end = (Long) ctx.read("end");
                    List<LogEntry> l = new ArrayList<>();
                    for (long i = s.index() + 1; end != null && i <= end; i++) {
                        l.add((LogEntry) ctx.read("log/" + i));
                    }
                    var random = ctx.random();
                    return RaftNode.restart(c, random::nextInt, hs, s, l);
                }
            }
            """;

    @Test
    void aStudentsRaftPersistencePassesAndOneWithoutFsyncOrVoteFails() throws Exception {
        String good = PERSISTENCE;
        Path ok = tmp.resolve("persist");
        Files.createDirectories(ok);
        Files.writeString(ok.resolve("StudentRaftPersistence.java"), good);
        Result r = run("grade", "raft-persistence", "--dir", ok.toString(), "--seeds", "1");
        assertEquals(0, r.exit(), r.out());
        Path noFsync = tmp.resolve("no-fsync");
        Files.createDirectories(noFsync);
        Files.writeString(noFsync.resolve("StudentRaftPersistence.java"), good.replace("ctx.fsync(); // FSYNC", "// no fsync"));
        Result w = run("grade", "raft-persistence", "--dir", noFsync.toString(), "--seeds", "1", "--test",
                "whole-cluster-restart-keeps-term-and-log");
        assertEquals(1, w.exit(), w.out());
        assertTrue(w.out().contains("before the crash and 0 after the restart"), "a crash loses what was not fsynced:\n" + w.out());
        Path noVote = tmp.resolve("no-vote");
        Files.createDirectories(noVote);
        Files.writeString(noVote.resolve("StudentRaftPersistence.java"), good.replace("ctx.write(\"hs\", rd.hardState()); // VOTE",
                "ctx.write(\"hs\", new HardState(rd.hardState().currentTerm(), RaftNode.NONE));"));
        Result v = run("grade", "raft-persistence", "--dir", noVote.toString(), "--seeds", "1", "--test",
                "whole-cluster-restart-keeps-term-and-log");
        assertEquals(1, v.exit(), v.out());
        assertTrue(v.out().contains("and for -1 after the restart"), v.out());
    }

    @Test
    void labRaftGradesAStudentsFourPartsTogether() throws Exception {
        Path dir = tmp.resolve("raft");
        assertEquals(0, run("grade", "raft", "--init", "--dir", dir.toString()).exit());
        for (String part : List.of("Election", "Replication", "Persistence", "Snapshots")) {
            assertTrue(Files.isRegularFile(dir.resolve("StudentRaft" + part + ".java")), "--init copies all four skeletons");
        }
        // the student's own election and persistence; replication and snapshots hand over to the reference
        Files.writeString(dir.resolve("StudentRaftElection.java"), ELECTION.replace("UPTODATE", UP_TO_DATE));
        Files.writeString(dir.resolve("StudentRaftPersistence.java"), PERSISTENCE);
        Files.writeString(dir.resolve("StudentRaftReplication.java"), """
                import io.github.dsw.raft.LogEntry;
                import io.github.dsw.raft.RaftRules;
                import java.util.List;
                import java.util.function.LongUnaryOperator;
                public final class StudentRaftReplication implements RaftRules.Replication {
                    private final RaftRules.Replication ref = RaftRules.REFERENCE.replication();
                    public long appendEntries(RaftRules.FollowerLog log, long prevIndex, long prevTerm, List<LogEntry> entries, long leaderCommit) {
                        return ref.appendEntries(log, prevIndex, prevTerm, entries, leaderCommit);
                    }
                    public long commitIndex(long term, long commit, long last, LongUnaryOperator termAt, long[] match) {
                        return ref.commitIndex(term, commit, last, termAt, match);
                    }
                }
                """);
        Files.writeString(dir.resolve("StudentRaftSnapshots.java"), """
                import io.github.dsw.raft.RaftRules;
                import java.util.function.LongUnaryOperator;
                public final class StudentRaftSnapshots implements RaftRules.Snapshots {
                    private final RaftRules.Snapshots ref = RaftRules.REFERENCE.snapshots();
                    public RaftRules.SnapshotAssembler newAssembler() { return ref.newAssembler(); }
                    public boolean keepEntriesAfter(long index, long term, long last, long base, LongUnaryOperator termAt) {
                        return ref.keepEntriesAfter(index, term, last, base, termAt);
                    }
                }
                """);
        Result r = run("grade", "raft", "--dir", dir.toString(), "--seeds", "1");
        assertEquals(0, r.exit(), r.out());
        List<String> tests = r.out().lines().filter(l -> l.startsWith("PASS")).toList();
        for (String part : List.of("election/", "replication/", "persistence/", "snapshots/")) {
            assertTrue(tests.stream().anyMatch(l -> l.contains(" " + part)), "the tests of every part run: " + part + "\n" + r.out());
        }
        // the same student Raft with a persistence that never fsyncs: the other parts' simulated runs now use it too
        Files.writeString(dir.resolve("StudentRaftPersistence.java"), PERSISTENCE.replace("ctx.fsync(); // FSYNC", "// no fsync"));
        Result w = run("grade", "raft", "--dir", dir.toString(), "--seeds", "1", "--test", "persistence/whole-cluster-restart-keeps-term-and-log");
        assertEquals(1, w.exit(), w.out());
        assertTrue(w.out().contains("FAIL persistence/whole-cluster-restart-keeps-term-and-log"), w.out());
        assertTrue(w.out().contains("replay: ./dsw grade raft --dir " + dir + " --test persistence/whole-cluster-restart-keeps-term-and-log --seed"),
                w.out());
    }

    /** A folder {@code name} holding one student file. */
    private Path student(String name, String file, String source) throws java.io.IOException {
        Path dir = tmp.resolve(name);
        Files.createDirectories(dir);
        Files.writeString(dir.resolve(file), source);
        return dir;
    }

    @Test
    void aPaxosWhoseEveryServerProposesMissesTheMessageTarget() throws Exception {
        // the workbench's PaxosNode as a student's server; the wasteful variant forwards a client's request to every
        // other server, so that all of them propose: a correct Paxos (proposers duel, one value is still chosen)
        String paxos = """
                import io.github.dsw.labs.PaxosLab;
                import io.github.dsw.paxos.PaxosMessage;
                import io.github.dsw.paxos.PaxosNode;
                import io.github.dsw.paxos.Quorums;
                import io.github.dsw.runtime.Context;
                public final class StudentPaxos implements PaxosLab {
                    private PaxosNode node;
                    public void start(Context<PaxosMessage> ctx) {
                        node = new PaxosNode(Quorums.majority(ctx.servers()));
                        node.start(ctx);
                    }
                    public void receive(Context<PaxosMessage> ctx, int from, PaxosMessage m) {
                        if (node == null || m instanceof PaxosMessage.Decided) {
                            return;
                        }
                        // FORWARD
                        node.receive(ctx, from, m);
                    }
                    public void timer(Context<PaxosMessage> ctx, Object tag) { node.timer(ctx, tag); }
                }
                """;
        Path lean = student("paxos-lean", "StudentPaxos.java", paxos);
        Result r = run("grade", "paxos", "--dir", lean.toString(), "--test", "messages-and-latency-per-decision");
        assertEquals(0, r.exit(), r.out());
        Path wasteful = student("paxos-wasteful", "StudentPaxos.java", paxos.replace("// FORWARD", """
                if (m instanceof PaxosMessage.Propose p && from >= ctx.servers()) {
                    for (int s = 0; s < ctx.servers(); s++) {
                        if (s != ctx.self()) {
                            ctx.send(s, new PaxosMessage.Propose(p.value()));
                        }
                    }
                }"""));
        Result w = run("grade", "paxos", "--dir", wasteful.toString(), "--test", "messages-and-latency-per-decision");
        assertEquals(1, w.exit(), w.out());
        assertTrue(w.out().contains("FAIL messages-and-latency-per-decision"), w.out());
        assertTrue(w.out().contains("Prepare/Promise/Nack/Accept/Accepted messages for one decision, target <= "), w.out());
    }

    @Test
    void codeThatDoesNotCompileScoresZeroWithTheCompilerMessage() throws Exception {
        Path dir = tmp.resolve("broken");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("StudentJumpHash.java"), "public final class StudentJumpHash { int x = ; }\n");
        Result r = run("grade", "jump-hash", "--dir", dir.toString());
        assertEquals(1, r.exit());
        assertTrue(r.out().contains("does not compile") && r.out().contains("score 0"), r.out());
    }

    @Test
    void badInputIsExit2WithOneLine() {
        Result unknown = run("grade", "jmp-hash");
        assertEquals(2, unknown.exit());
        assertTrue(unknown.err().contains("did you mean 'jump-hash'?"), unknown.err());
        Result missing = run("grade", "crc", "--dir", tmp.resolve("nowhere").toString());
        assertEquals(2, missing.exit());
        assertTrue(missing.err().contains("--init"), missing.err());
    }

}
