package io.github.dsw.cluster;

import io.github.dsw.runtime.Codec;
import io.github.dsw.runtime.CodecException;
import io.github.dsw.runtime.WireReader;
import io.github.dsw.runtime.WireWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * A node's durable state on disk: an append-only log of "key = value" records cut into segments, plus
 * snapshot files, in one data folder. Every record has a length and CRC-32C ({@link LogRecords});
 * durability is {@link FileChannel#force} under a {@link FsyncPolicy}.
 *
 * <p>Folder layout:
 * <pre>
 * meta                          "format 1", "protocol NAME", "node N", "servers S" (written once, checked at every start)
 * lock                          held with a file lock while a process uses the folder
 * segment-0000000000000007.log  magic DSWLOG01, then records: kind 1 (put), string key, bytes value
 * snapshot-0000000000000007.snap magic DSWSNP01, every kept key's record, then kind 2 (end) with the count;
 *                               it holds everything written to segments numbered below 7
 * </pre>
 * Values are encoded with the protocol's durable codec (for Raft, {@code RaftCodec.DURABLE}).
 *
 * <p>Appends go to the newest segment; when it exceeds {@link Options#segmentBytes} a new one starts,
 * and when the segments since the last snapshot exceed {@link Options#checkpointBytes} the whole map
 * (minus what the protocol's {@link Retention} says is garbage, such as Raft entries below its snapshot)
 * is written to a snapshot file (temporary name, force, atomic rename, force the folder) and the older
 * segments are deleted. Recovery loads the newest snapshot, replays the segments after it in order,
 * truncates a torn tail of the last one, and refuses any other damage ({@link CorruptLogException}).
 *
 * <p>A new file's directory entry is made durable by forcing the folder (open it read-only and
 * {@code force}), as a freshly created file can otherwise vanish in a crash with its data.
 */
public final class DiskStorage implements Storage {

    /**
     * Under {@link FsyncPolicy#NONE}, appended records are held in the process this long before being
     * written: 5 s, the period of Linux's dirty-page writeback ({@code vm.dirty_writeback_centisecs} = 500
     * by default; a dirty page may wait up to {@code vm.dirty_expire_centisecs} = 3000, 30 s).
     */
    public static final long UNSAFE_FLUSH_NS = 5_000_000_000L;

    private static final int PUT = 1;
    private static final int END = 2;

    /** Which keys survive a checkpoint: Raft drops log entries covered by its snapshot or cut by a truncation. */
    @FunctionalInterface
    public interface Retention {
        boolean keep(String key, Function<String, Object> lookup);

        Retention ALL = (key, lookup) -> true;
    }

    /** Who the folder belongs to; checked at every start so that a node never runs on another's data. */
    public record Identity(String protocol, int node, int servers) {
    }

    /** Sizes that trigger a new segment and a checkpoint. */
    public record Options(long segmentBytes, long checkpointBytes) {
        public static final Options DEFAULT = new Options(16L << 20, 64L << 20);

        public Options {
            if (segmentBytes < 64 || checkpointBytes < segmentBytes) {
                throw new IllegalArgumentException("need segmentBytes >= 64 and checkpointBytes >= segmentBytes, got " + segmentBytes + ", " + checkpointBytes);
            }
        }
    }

    private final Path dir;
    private final Codec<Object> codec;
    private final FsyncPolicy policy;
    private final Options options;
    private final Retention retention;
    private final Map<String, Object> map = new TreeMap<>();
    private final FileChannel lockChannel;
    private final FileLock lock;
    private FileChannel segment;
    private long segmentNumber;
    private long segmentSize;
    private long bytesSinceCheckpoint;
    private byte[] buf = new byte[1 << 16];
    private int bufLen;
    private long heldSinceNs;
    private boolean dirty;
    private long forces;
    private long checkpoints;
    private final String recovered;

    private DiskStorage(Path dir, Codec<Object> codec, FsyncPolicy policy, Options options, Retention retention, FileChannel lockChannel,
                        FileLock lock, Consumer<String> log) throws IOException {
        this.dir = dir;
        this.codec = codec;
        this.policy = policy;
        this.options = options;
        this.retention = retention;
        this.lockChannel = lockChannel;
        this.lock = lock;
        this.recovered = recover(log);
    }

    /**
     * Opens (or creates) the data folder {@code dir} for {@code identity}, recovering what is durable.
     *
     * @throws DataFolderException  the folder cannot be created or written, belongs to another protocol or
     *                              node, or is in use by another process
     * @throws CorruptLogException  a durable file is damaged (never silently repaired, except a torn tail)
     */
    public static DiskStorage open(Path dir, Identity identity, Codec<Object> codec, FsyncPolicy policy, Options options, Retention retention,
                                   Consumer<String> log) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new DataFolderException("cannot create data folder " + dir + ": " + reason(e));
        }
        if (!Files.isDirectory(dir)) {
            throw new DataFolderException("data folder " + dir + " is not a folder");
        }
        if (!Files.isWritable(dir)) {
            throw new DataFolderException("data folder " + dir + " is not writable");
        }
        FileChannel lockChannel = null;
        try {
            lockChannel = FileChannel.open(dir.resolve("lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = lockChannel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null) {
                lockChannel.close();
                throw new DataFolderException("data folder " + dir + " is in use by another process (its lock file is held)");
            }
            checkMeta(dir, identity);
            return new DiskStorage(dir, codec, policy, options, retention, lockChannel, lock, log);
        } catch (IOException e) {
            closeQuietly(lockChannel);
            throw new DataFolderException("data folder " + dir + ": " + reason(e), e);
        } catch (RuntimeException e) {
            closeQuietly(lockChannel);
            throw e;
        }
    }

    private static String reason(IOException e) {
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof FileSystemException f) {
            return f.getReason() != null ? f.getReason() : e.getClass().getSimpleName().replace("Exception", "");
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    private static void closeQuietly(FileChannel c) {
        if (c != null) {
            try {
                c.close();
            } catch (IOException ignored) {
                // closing after a failure: the first failure is the one reported
            }
        }
    }

    private static void checkMeta(Path dir, Identity id) throws IOException {
        Path meta = dir.resolve("meta");
        String expected = "format 1\nprotocol " + id.protocol() + "\nnode " + id.node() + "\nservers " + id.servers() + "\n";
        if (!Files.exists(meta)) {
            try (Stream<Path> files = Files.list(dir)) {
                List<String> others = files.map(p -> p.getFileName().toString()).filter(n -> !n.equals("lock")).sorted().toList();
                if (!others.isEmpty()) {
                    throw new DataFolderException("data folder " + dir + " is not empty and has no meta file (it holds " + others.get(0)
                            + "...): not a data folder of this workbench; use an empty or new folder");
                }
            }
            Path tmp = dir.resolve("meta.tmp");
            try (FileChannel c = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
                c.write(ByteBuffer.wrap(expected.getBytes(StandardCharsets.UTF_8)));
                c.force(true);
            }
            Files.move(tmp, meta, StandardCopyOption.ATOMIC_MOVE);
            forceDir(dir);
            return;
        }
        Map<String, String> found = new TreeMap<>();
        for (String line : Files.readAllLines(meta, StandardCharsets.UTF_8)) {
            int sp = line.indexOf(' ');
            if (sp > 0) {
                found.put(line.substring(0, sp), line.substring(sp + 1));
            }
        }
        if (!"1".equals(found.get("format"))) {
            throw new DataFolderException("data folder " + dir + ": meta file has format " + found.get("format") + ", this version reads format 1");
        }
        if (!id.protocol().equals(found.get("protocol"))) {
            throw new DataFolderException("data folder " + dir + " holds data of protocol " + found.get("protocol") + ", not " + id.protocol());
        }
        if (!String.valueOf(id.node()).equals(found.get("node"))) {
            throw new DataFolderException("data folder " + dir + " belongs to node " + found.get("node") + ", not node " + id.node());
        }
        if (!String.valueOf(id.servers()).equals(found.get("servers"))) {
            throw new DataFolderException("data folder " + dir + " was written by a cluster of " + found.get("servers") + " servers, but --peers lists "
                    + id.servers());
        }
    }

    static void forceDir(Path dir) throws IOException {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        }
    }

    private static String segmentName(long n) {
        return String.format("segment-%016d.log", n);
    }

    private static String snapshotName(long n) {
        return String.format("snapshot-%016d.snap", n);
    }

    private static long numberOf(String name, String prefix, String suffix) {
        if (!name.startsWith(prefix) || !name.endsWith(suffix)) {
            return -1;
        }
        try {
            return Long.parseLong(name.substring(prefix.length(), name.length() - suffix.length()));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** Loads the newest snapshot, replays the segments after it, truncates a torn tail; returns a summary line. */
    private String recover(Consumer<String> log) throws IOException {
        List<Long> segments = new ArrayList<>();
        List<Long> snapshots = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path p : files.sorted().toList()) {
                String name = p.getFileName().toString();
                if (name.endsWith(".tmp")) {
                    Files.delete(p); // a snapshot or meta file that was never renamed: never part of the state
                } else if (numberOf(name, "segment-", ".log") >= 0) {
                    segments.add(numberOf(name, "segment-", ".log"));
                } else if (numberOf(name, "snapshot-", ".snap") >= 0) {
                    snapshots.add(numberOf(name, "snapshot-", ".snap"));
                }
            }
        }
        long base = 1;
        int fromSnapshot = 0;
        if (!snapshots.isEmpty()) {
            base = snapshots.get(snapshots.size() - 1);
            Path snap = dir.resolve(snapshotName(base));
            LogRecords.Scan scan = LogRecords.scan(snap, Files.readAllBytes(snap), LogRecords.SNAPSHOT_MAGIC, false);
            List<byte[]> rs = scan.records();
            for (int i = 0; i < rs.size(); i++) {
                WireReader in = new WireReader(rs.get(i), "snapshot record");
                int kind = readKind(snap, scan.offsets().get(i), in);
                if (kind == END) {
                    long count = in.readLong();
                    if (i != rs.size() - 1 || count != i) {
                        throw new CorruptLogException(snap, scan.offsets().get(i), "snapshot end record says " + count + " records, found " + i);
                    }
                    fromSnapshot = i;
                } else {
                    apply(snap, scan.offsets().get(i), in);
                    if (i == rs.size() - 1) {
                        throw new CorruptLogException(snap, scan.validEnd(), "snapshot has no end record");
                    }
                }
            }
            if (rs.isEmpty()) {
                throw new CorruptLogException(snap, scan.validEnd(), "snapshot has no end record");
            }
            for (long old : snapshots) {
                if (old < base) {
                    Files.deleteIfExists(dir.resolve(snapshotName(old)));
                }
            }
        }
        List<Long> live = new ArrayList<>();
        for (long s : segments) {
            if (s < base) {
                Files.deleteIfExists(dir.resolve(segmentName(s))); // covered by the snapshot: a deletion a crash interrupted
            } else {
                live.add(s);
            }
        }
        long replayed = 0;
        String tornNote = "";
        for (int i = 0; i < live.size(); i++) {
            long n = live.get(i);
            long expected = i == 0 ? (snapshots.isEmpty() ? n : base) : live.get(i - 1) + 1;
            Path file = dir.resolve(segmentName(n));
            if (n != expected) {
                throw new CorruptLogException(dir.resolve(segmentName(expected)), 0, "segment missing (the next one present is " + segmentName(n) + ")");
            }
            boolean last = i == live.size() - 1;
            byte[] content = Files.readAllBytes(file);
            LogRecords.Scan scan = LogRecords.scan(file, content, LogRecords.SEGMENT_MAGIC, last);
            for (int r = 0; r < scan.records().size(); r++) {
                WireReader in = new WireReader(scan.records().get(r), "log record");
                int kind = readKind(file, scan.offsets().get(r), in);
                if (kind != PUT) {
                    throw new CorruptLogException(file, scan.offsets().get(r), "unexpected record kind " + kind + " in a log segment");
                }
                apply(file, scan.offsets().get(r), in);
                replayed++;
            }
            bytesSinceCheckpoint += scan.validEnd();
            if (last) {
                segmentNumber = n;
                segment = FileChannel.open(file, StandardOpenOption.WRITE);
                if (scan.torn() || scan.validEnd() < LogRecords.SEGMENT_MAGIC.length) {
                    tornNote = ", truncated a torn tail of " + (content.length - scan.validEnd()) + " bytes at byte " + scan.validEnd() + " of " + file.getFileName();
                    segment.truncate(scan.validEnd());
                    if (scan.validEnd() < LogRecords.SEGMENT_MAGIC.length) {
                        segment.truncate(0);
                        segment.write(ByteBuffer.wrap(LogRecords.SEGMENT_MAGIC), 0);
                    }
                    segment.force(true);
                }
                segmentSize = segment.size();
                segment.position(segmentSize);
            }
        }
        if (segment == null) {
            newSegment(base);
        }
        String summary = "recovered " + map.size() + " keys (" + fromSnapshot + " from " + (snapshots.isEmpty() ? "no snapshot" : snapshotName(base))
                + ", " + replayed + " records from " + live.size() + " segments" + tornNote + ")";
        log.accept(summary);
        return summary;
    }

    private static int readKind(Path file, int offset, WireReader in) {
        try {
            return in.readByte();
        } catch (CodecException e) {
            throw new CorruptLogException(file, offset, "undecodable record: " + e.getMessage());
        }
    }

    private void apply(Path file, int offset, WireReader in) {
        try {
            String key = in.readString();
            Object value = codec.decode(in.readBytes());
            in.finish();
            map.put(key, value);
        } catch (CodecException e) {
            // the CRC matched, so these are the bytes that were written: another version or protocol wrote them
            throw new CorruptLogException(file, offset, "record passes its checksum but does not decode: " + e.getMessage());
        }
    }

    private void newSegment(long n) throws IOException {
        Path file = dir.resolve(segmentName(n));
        FileChannel c = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        c.write(ByteBuffer.wrap(LogRecords.SEGMENT_MAGIC));
        c.force(true);
        forceDir(dir);
        segment = c;
        segmentNumber = n;
        segmentSize = LogRecords.SEGMENT_MAGIC.length;
    }

    /** The summary line recovery logged. */
    public String recovered() {
        return recovered;
    }

    @Override
    public Object get(String key) {
        return map.get(key);
    }

    @Override
    public void put(String key, Object value) {
        if (key == null || value == null) {
            throw new IllegalArgumentException("key and value must not be null, got " + key + " = " + value);
        }
        WireWriter w = new WireWriter();
        w.writeByte(PUT);
        w.writeString(key);
        w.writeBytes(codec.encode(value));
        byte[] record = LogRecords.encode(w.toByteArray());
        if (bufLen == 0) {
            heldSinceNs = System.nanoTime();
        }
        if (bufLen + record.length > buf.length) {
            buf = java.util.Arrays.copyOf(buf, Math.max(buf.length * 2, bufLen + record.length));
        }
        System.arraycopy(record, 0, buf, bufLen, record.length);
        bufLen += record.length;
        map.put(key, value);
    }

    @Override
    public void commit() {
        if (bufLen == 0) {
            return;
        }
        if (policy == FsyncPolicy.NONE && System.nanoTime() - heldSinceNs < UNSAFE_FLUSH_NS && bufLen < (4 << 20)) {
            return; // held in the process: the unsafe policy's stand-in for an unforced page cache
        }
        try {
            writeBuffer();
            if (policy == FsyncPolicy.NONE) {
                maybeRoll();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("writing " + dir.resolve(segmentName(segmentNumber)) + " failed", e);
        }
    }

    private void writeBuffer() throws IOException {
        ByteBuffer b = ByteBuffer.wrap(buf, 0, bufLen);
        while (b.hasRemaining()) {
            segment.write(b);
        }
        segmentSize += bufLen;
        bytesSinceCheckpoint += bufLen;
        bufLen = 0;
        dirty = true;
    }

    @Override
    public void sync() {
        if (policy == FsyncPolicy.NONE) {
            return;
        }
        try {
            if (bufLen > 0) {
                writeBuffer();
            }
            if (dirty) {
                segment.force(false);
                forces++;
                dirty = false;
            }
            maybeRoll();
        } catch (IOException e) {
            throw new UncheckedIOException("forcing " + dir.resolve(segmentName(segmentNumber)) + " failed", e);
        }
    }

    private void maybeRoll() throws IOException {
        if (segmentSize < options.segmentBytes()) {
            return;
        }
        if (dirty) {
            segment.force(false);
            forces++;
            dirty = false;
        }
        segment.close();
        newSegment(segmentNumber + 1);
        if (bytesSinceCheckpoint >= options.checkpointBytes()) {
            checkpoint();
        }
    }

    /**
     * Writes every kept key to {@code snapshot-K.snap}, K the current (new, empty) segment, and deletes the
     * files it makes redundant. Called right after a segment roll, so every segment below K is complete.
     */
    private void checkpoint() throws IOException {
        long k = segmentNumber;
        Path tmp = dir.resolve(snapshotName(k) + ".tmp");
        long count = 0;
        try (FileChannel c = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
            c.write(ByteBuffer.wrap(LogRecords.SNAPSHOT_MAGIC));
            for (Map.Entry<String, Object> e : map.entrySet()) {
                if (!retention.keep(e.getKey(), map::get)) {
                    continue;
                }
                WireWriter w = new WireWriter();
                w.writeByte(PUT);
                w.writeString(e.getKey());
                w.writeBytes(codec.encode(e.getValue()));
                ByteBuffer b = ByteBuffer.wrap(LogRecords.encode(w.toByteArray()));
                while (b.hasRemaining()) {
                    c.write(b);
                }
                count++;
            }
            WireWriter end = new WireWriter();
            end.writeByte(END);
            end.writeLong(count);
            c.write(ByteBuffer.wrap(LogRecords.encode(end.toByteArray())));
            c.force(true);
        }
        Files.move(tmp, dir.resolve(snapshotName(k)), StandardCopyOption.ATOMIC_MOVE);
        forceDir(dir);
        try (Stream<Path> files = Files.list(dir)) {
            for (Path p : files.toList()) {
                String name = p.getFileName().toString();
                long seg = numberOf(name, "segment-", ".log");
                long snap = numberOf(name, "snapshot-", ".snap");
                if ((seg >= 0 && seg < k) || (snap >= 0 && snap < k)) {
                    Files.delete(p);
                }
            }
        }
        map.keySet().removeIf(key -> !retention.keep(key, map::get));
        bytesSinceCheckpoint = 0;
        checkpoints++;
    }

    @Override
    public void close() {
        try {
            if (segment != null && segment.isOpen()) {
                if (bufLen > 0) {
                    writeBuffer();
                }
                segment.force(false);
                segment.close();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("closing " + dir + " failed", e);
        } finally {
            try {
                lock.release();
                lockChannel.close();
            } catch (IOException ignored) {
                // the process is ending; the lock dies with it
            }
        }
    }

    @Override
    public String describe() {
        return "disk " + dir + " (fsync " + policy.cliName() + (policy == FsyncPolicy.NONE ? ", UNSAFE" : "") + "), segment " + segmentNumber + ", "
                + forces + " forces, " + checkpoints + " checkpoints";
    }

    @Override
    public long forces() {
        return forces;
    }

    /** Keys currently held (for tests). */
    public Map<String, Object> snapshotOfMap() {
        return new TreeMap<>(map);
    }
}
