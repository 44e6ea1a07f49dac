package io.github.dsw.bench.raft;

import io.github.dsw.check.HistoryEvent.Fn;
import io.github.dsw.raft.KvCodec;
import io.github.dsw.raft.KvMessage;
import io.github.dsw.raft.KvStore;
import io.github.dsw.raft.LogEntry;
import io.github.dsw.raft.RaftMessage.AppendEntries;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The CPU cost of the replicated key-value store's wire encoding on the replication path, as
 * {@code cluster-bench --size 256} loads it: AppendEntries of {@value #ENTRIES} key-value writes whose key is
 * padded to {@value #KEY_BYTES} bytes, in {@link KvCodec#MESSAGES} (what {@code NodeRuntime} sends to a peer).
 * <ul>
 *   <li>{@link #leaderEncode}: a leader's step sends one AppendEntries to each of two followers (different
 *       prevLogIndex and commit index, the same entries) and encodes both. With {@code entries=shared} both
 *       messages hold the SAME {@link LogEntry} objects, as {@code RaftNode} hands them out, so the codec's cache of
 *       encoded entries serves the second message; with {@code entries=distinct} the second message holds equal
 *       copies (other objects), so every entry is encoded once per follower: the anchor, the cost without the
 *       cache (plus the cache's own bookkeeping). Each invocation takes the next of {@value #BATCHES} batches of
 *       new entries, so the first message finds nothing cached, as with fresh proposals. Expect shared a little
 *       over half of distinct (the per-message header and the copy of cached bytes remain).</li>
 *   <li>{@link #followerDecode}: a follower decodes one such message.</li>
 * </ul>
 * Scores are ns per invocation (two messages for {@code leaderEncode}, one for {@code followerDecode}).
 *
 * <p>How to run this: {@code ./dsw bench full --only RaftCodecSteps}
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(2)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class RaftCodecSteps {

    static final int ENTRIES = 64;
    static final int KEY_BYTES = 256;
    static final int BATCHES = 256; // x 2 x 64 entries: far more than the codec's cache holds, so old batches are gone

    private static String key(int client) {
        StringBuilder k = new StringBuilder("k").append(client).append('/');
        while (k.length() < KEY_BYTES) {
            k.append('x');
        }
        return k.toString();
    }

    private static List<LogEntry> batch(int b) {
        List<LogEntry> entries = new ArrayList<>(ENTRIES);
        for (int i = 0; i < ENTRIES; i++) {
            long seq = (long) b * ENTRIES + i;
            entries.add(new LogEntry(3, new KvStore.Command(i, seq, Fn.WRITE, key(i), seq, seq)));
        }
        return List.copyOf(entries);
    }

    @State(Scope.Thread)
    public static class Leader {
        /** shared: both followers' messages carry the same entry objects; distinct: equal copies. */
        @Param({"shared", "distinct"})
        public String entries;

        List<LogEntry>[] toFirst;
        List<LogEntry>[] toSecond;
        int next;

        @Setup(Level.Trial)
        @SuppressWarnings("unchecked")
        public void setUp() {
            toFirst = new List[BATCHES];
            toSecond = new List[BATCHES];
            for (int b = 0; b < BATCHES; b++) {
                toFirst[b] = batch(b);
                toSecond[b] = entries.equals("shared") ? toFirst[b] : batch(b);
            }
        }
    }

    @State(Scope.Thread)
    public static class Follower {
        byte[] message;

        @Setup(Level.Trial)
        public void setUp() {
            message = KvCodec.MESSAGES.encode(new KvMessage.Peer(new AppendEntries(3, 1000, 3, batch(0), 990, 7)));
        }
    }

    @Benchmark
    public int leaderEncode(Leader s) {
        int b = s.next;
        s.next = (b + 1) % BATCHES;
        long prev = 1000L + (long) b * ENTRIES;
        byte[] first = KvCodec.MESSAGES.encode(new KvMessage.Peer(new AppendEntries(3, prev, 3, s.toFirst[b], prev - 10, 7)));
        byte[] second = KvCodec.MESSAGES.encode(new KvMessage.Peer(new AppendEntries(3, prev - 64, 3, s.toSecond[b], prev - 10, 7)));
        return first.length + second.length;
    }

    @Benchmark
    public KvMessage followerDecode(Follower s) {
        return KvCodec.MESSAGES.decode(s.message);
    }
}
