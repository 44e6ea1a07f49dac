package io.github.dsw.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.dsw.raft.RaftCodec;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The durable store end to end on real files: reopen, roll, checkpoint, torn tails, damage, wrong folders. */
class DiskStorageTest {

    private static final DiskStorage.Identity ID = new DiskStorage.Identity("raft-kv", 1, 3);
    private static final DiskStorage.Options SMALL = new DiskStorage.Options(200, 600);

    @TempDir
    Path tmp;

    private DiskStorage open(Path dir, FsyncPolicy policy, DiskStorage.Options options, DiskStorage.Retention retention) {
        return DiskStorage.open(dir, ID, RaftCodec.DURABLE, policy, options, retention, line -> { });
    }

    private DiskStorage open(Path dir) {
        return open(dir, FsyncPolicy.EVERY, SMALL, DiskStorage.Retention.ALL);
    }

    @Test
    void whatWasSyncedComesBackAfterReopeningAcrossSegmentsAndCheckpoints() {
        Path dir = tmp.resolve("d");
        Map<String, Object> expected = new TreeMap<>();
        DiskStorage s = open(dir);
        for (int i = 0; i < 300; i++) {
            String key = "k" + (i % 17);
            s.put(key, (long) i);
            expected.put(key, (long) i);
            s.commit();
            if (i % 3 == 0) {
                s.sync();
            }
        }
        s.sync();
        // a "crash": no close, the lock is dropped with the channel only when the JVM exits, so copy the folder
        Path copy = copyFolder(dir, tmp.resolve("copy"));
        s.close();
        DiskStorage r = open(copy);
        assertEquals(expected, r.snapshotOfMap());
        assertTrue(r.recovered().contains("snapshot-"), r.recovered()); // the small options made checkpoints
        r.close();
    }

    @Test
    void retentionDropsGarbageAtCheckpoints() {
        Path dir = tmp.resolve("ret");
        DiskStorage s = open(dir, FsyncPolicy.EVERY, SMALL, (key, lookup) -> !key.startsWith("old/"));
        for (int i = 0; i < 200; i++) {
            s.put((i < 5 ? "old/" : "new/") + i, (long) i);
            s.commit();
            s.sync();
        }
        s.close();
        DiskStorage r = open(dir, FsyncPolicy.EVERY, SMALL, DiskStorage.Retention.ALL);
        for (int i = 0; i < 5; i++) {
            assertNull(r.get("old/" + i), "old/" + i + " survived a checkpoint");
        }
        assertEquals(199L, r.get("new/199"));
        r.close();
    }

    @Test
    void aTornTailIsTruncatedAndAppendingContinues() throws IOException {
        Path dir = tmp.resolve("torn");
        DiskStorage s = open(dir, FsyncPolicy.EVERY, DiskStorage.Options.DEFAULT, DiskStorage.Retention.ALL);
        s.put("a", 1L);
        s.put("b", 2L);
        s.commit();
        s.sync();
        s.close();
        Path seg = onlySegment(dir);
        long size = Files.size(seg);
        try (RandomAccessFile f = new RandomAccessFile(seg.toFile(), "rw")) {
            f.setLength(size - 3); // cut the last record ("b") short
        }
        List<String> log = new ArrayList<>();
        DiskStorage r = DiskStorage.open(dir, ID, RaftCodec.DURABLE, FsyncPolicy.EVERY, DiskStorage.Options.DEFAULT, DiskStorage.Retention.ALL, log::add);
        assertEquals(1L, r.get("a"));
        assertNull(r.get("b"));
        assertTrue(log.get(0).contains("torn tail"), log.toString());
        r.put("c", 3L);
        r.commit();
        r.sync();
        r.close();
        DiskStorage again = open(dir, FsyncPolicy.EVERY, DiskStorage.Options.DEFAULT, DiskStorage.Retention.ALL);
        assertEquals(Map.of("a", 1L, "c", 3L), again.snapshotOfMap());
        again.close();
    }

    @Test
    void damageInTheMiddleIsRefusedNamingFileAndOffset() throws IOException {
        Path dir = tmp.resolve("bad");
        DiskStorage s = open(dir, FsyncPolicy.EVERY, DiskStorage.Options.DEFAULT, DiskStorage.Retention.ALL);
        for (long i = 0; i < 10; i++) {
            s.put("k" + i, i);
        }
        s.commit();
        s.sync();
        s.close();
        Path seg = onlySegment(dir);
        byte[] b = Files.readAllBytes(seg);
        int at = LogRecords.SEGMENT_MAGIC.length + 2 * 30 + 20; // inside some record in the middle
        b[at] ^= 0x10;
        Files.write(seg, b);
        CorruptLogException e = assertThrows(CorruptLogException.class, () -> open(dir, FsyncPolicy.EVERY, DiskStorage.Options.DEFAULT, DiskStorage.Retention.ALL));
        assertEquals(seg, e.file());
        assertTrue(e.offset() <= at && e.offset() >= LogRecords.SEGMENT_MAGIC.length, e.getMessage());
    }

    @Test
    void unsafeNoneHoldsRecordsBackSoAKillLosesThem() {
        Path dir = tmp.resolve("none");
        DiskStorage s = open(dir, FsyncPolicy.NONE, DiskStorage.Options.DEFAULT, DiskStorage.Retention.ALL);
        s.put("x", 1L);
        s.commit();
        s.sync();
        Path copy = copyFolder(dir, tmp.resolve("none-copy")); // what a SIGKILL now leaves on disk
        DiskStorage r = open(copy, FsyncPolicy.EVERY, DiskStorage.Options.DEFAULT, DiskStorage.Retention.ALL);
        assertNull(r.get("x"), "fsync none wrote at once: the harness could not show its loss");
        r.close();
        s.close();
        DiskStorage safe = open(tmp.resolve("every"), FsyncPolicy.EVERY, DiskStorage.Options.DEFAULT, DiskStorage.Retention.ALL);
        safe.put("x", 1L);
        safe.commit();
        safe.sync();
        Path copy2 = copyFolder(tmp.resolve("every"), tmp.resolve("every-copy"));
        DiskStorage r2 = open(copy2, FsyncPolicy.EVERY, DiskStorage.Options.DEFAULT, DiskStorage.Retention.ALL);
        assertEquals(1L, r2.get("x"));
        r2.close();
        safe.close();
    }

    @Test
    void aFolderOfAnotherProtocolNodeOrClusterSizeIsRefused() {
        Path dir = tmp.resolve("meta");
        open(dir).close();
        for (DiskStorage.Identity other : List.of(new DiskStorage.Identity("paxos-kv", 1, 3), new DiskStorage.Identity("raft-kv", 2, 3),
                new DiskStorage.Identity("raft-kv", 1, 5))) {
            DataFolderException e = assertThrows(DataFolderException.class,
                    () -> DiskStorage.open(dir, other, RaftCodec.DURABLE, FsyncPolicy.EVERY, SMALL, DiskStorage.Retention.ALL, l -> { }));
            assertTrue(e.getMessage().startsWith("data folder " + dir), e.getMessage());
        }
    }

    @Test
    void aFolderInUseOrForeignOrUnwritableIsRefused() throws IOException {
        Path dir = tmp.resolve("busy");
        DiskStorage s = open(dir);
        DataFolderException busy = assertThrows(DataFolderException.class, () -> open(dir));
        assertTrue(busy.getMessage().contains("in use"), busy.getMessage());
        s.close();

        Path foreign = tmp.resolve("foreign");
        Files.createDirectories(foreign);
        Files.writeString(foreign.resolve("notes.txt"), "mine");
        assertThrows(DataFolderException.class, () -> open(foreign));
        assertEquals(List.of("notes.txt"), names(foreign).stream().filter(n -> !n.equals("lock")).toList());

        if (!"root".equals(System.getProperty("user.name"))) { // root writes anywhere
            Path ro = tmp.resolve("ro");
            Files.createDirectories(ro);
            Files.setPosixFilePermissions(ro, PosixFilePermissions.fromString("r-xr-xr-x"));
            assertThrows(DataFolderException.class, () -> open(ro.resolve("sub")));
        }
        Path file = tmp.resolve("plainfile");
        Files.writeString(file, "x");
        assertThrows(DataFolderException.class, () -> open(file.resolve("sub")));
    }

    private static List<String> names(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private static Path onlySegment(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            List<Path> segs = s.filter(p -> p.getFileName().toString().startsWith("segment-")).toList();
            assertEquals(1, segs.size(), segs.toString());
            return segs.get(0);
        }
    }

    private static Path copyFolder(Path from, Path to) {
        try {
            Files.createDirectories(to);
            try (Stream<Path> s = Files.list(from)) {
                for (Path p : s.toList()) {
                    if (!p.getFileName().toString().equals("lock")) {
                        Files.copy(p, to.resolve(p.getFileName()));
                    }
                }
            }
            return to;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
