package io.github.dsw.cluster;

import java.util.Locale;

/**
 * When the durable store calls {@code FileChannel.force}, and so when a node's messages may leave.
 * The node's contract ({@code io.github.dsw.runtime.Context#fsync}) is "persist before sending": a step
 * that asked for an fsync has its messages released only after its writes are durable.
 */
public enum FsyncPolicy {
    /** One {@code force} per step that asks for it (and wrote something since the last one), before its messages leave. */
    EVERY,
    /**
     * Group commit: the event loop runs every input already waiting (up to a batch), appends all their
     * writes, forces once, then releases all their messages. Same guarantee as {@link #EVERY}, fewer
     * forces under load; a message waits for the batch's force instead of its own.
     */
    GROUP,
    /**
     * UNSAFE, for comparison only: never forces, and holds appended records in the process for up to
     * {@link DiskStorage#UNSAFE_FLUSH_NS} before writing them to the file. A SIGKILL does not lose the
     * operating system's page cache, so writing at once would survive a kill; holding the records back is
     * what a power cut does to unforced data, made visible to a kill. Acknowledged writes get lost: the
     * fault harness shows it.
     */
    NONE;

    /** Parses {@code every}, {@code group} or {@code none}. */
    public static FsyncPolicy parse(String s) {
        for (FsyncPolicy p : values()) {
            if (p.name().equalsIgnoreCase(s)) {
                return p;
            }
        }
        throw new IllegalArgumentException("--fsync must be every, group or none, got '" + s + "'");
    }

    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
