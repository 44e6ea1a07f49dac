package io.github.dsw.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.dsw.raft.Snapshot;
import io.github.dsw.raft.SnapshotMeta;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@link MemoryStorage} drops exactly what the retention calls garbage: every key the retention keeps (judged on a
 * reference map that saw the same writes and drops nothing) reads back its last value, after every step, and the
 * map stays bounded by the live keys instead of growing with every write.
 */
class MemoryStorageTest {

    @Test
    void raftGarbageIsDroppedAndEveryLiveKeyReadsBack() {
        long seed = 20261203L;
        SplittableRandom rnd = new SplittableRandom(seed);
        MemoryStorage s = new MemoryStorage(RaftKv.RETENTION);
        Map<String, Object> reference = new HashMap<>();
        long last = 0;
        long snap = 0;
        int maxSize = 0;
        for (int step = 1; step <= 3000; step++) {
            Map<String, Object> writes = new HashMap<>();
            if (rnd.nextInt(20) == 0 && last > 10) { // a truncation: the log is cut back a few entries
                last -= 1 + rnd.nextInt(5);
            } else {
                int n = 1 + rnd.nextInt(20);
                for (int k = 0; k < n; k++) {
                    last++;
                    writes.put("e/" + last, "v" + step + "/" + k);
                }
            }
            writes.put("last", last);
            if (last - snap >= 1000 && rnd.nextInt(4) == 0) { // compaction
                snap = last - rnd.nextInt(50);
                writes.put("snap", new Snapshot(new SnapshotMeta(snap, 1), new byte[0]));
            }
            writes.put("term", (long) (1 + step / 500));
            writes.forEach((k, v) -> {
                s.put(k, v);
                reference.put(k, v);
            });
            s.commit();
            for (Map.Entry<String, Object> e : reference.entrySet()) {
                if (RaftKv.RETENTION.keep(e.getKey(), reference::get)) {
                    assertEquals(e.getValue(), s.get(e.getKey()), "seed " + seed + ", step " + step + ": key " + e.getKey());
                }
            }
            maxSize = Math.max(maxSize, s.size());
        }
        long live = reference.keySet().stream().filter(k -> RaftKv.RETENTION.keep(k, reference::get)).count();
        assertTrue(reference.size() > 20_000, "the run wrote enough to need sweeps: " + reference.size());
        assertTrue(maxSize <= 2 * (1000 + 50 + 20 + 3) + MemoryStorage.MIN_SWEEP + 20,
                "seed " + seed + ": at most " + maxSize + " keys held, " + live + " live at the end, " + reference.size() + " ever written");
    }

    @Test
    void withoutRetentionNothingIsDropped() {
        MemoryStorage s = new MemoryStorage();
        for (int i = 0; i < 3 * MemoryStorage.MIN_SWEEP; i++) {
            s.put("e/" + i, i);
            s.commit();
        }
        assertEquals(3 * MemoryStorage.MIN_SWEEP, s.size());
        assertEquals(0, s.get("e/0"));
        assertThrows(IllegalArgumentException.class, () -> new MemoryStorage(null));
    }
}
