package io.github.dsw.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;

/**
 * The life of a {@code ./dsw bench} run folder: created under a name no other run can take, and marked
 * {@value #COMPLETE} as the very last step, so that a run that was interrupted, crashed or is still going is
 * told apart from a finished one. {@code report} and {@code compare} refuse a folder without the marker
 * unless asked ({@code --allow-incomplete}); folders under {@code datasets/results/} are committed reference
 * runs, reviewed before they were committed (and older than the marker), so they count as complete.
 */
final class RunFolder {

    /** The marker file: present only in a run whose bench command finished (results, report and charts written). */
    static final String COMPLETE = "complete";

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

    private RunFolder() {
    }

    /**
     * Creates {@code parent/base-yyyyMMdd-HHmmss}, or with a suffix {@code -2}, {@code -3}, ... when another run
     * took that name in the same second. The creation itself is the claim ({@link Files#createDirectory} fails
     * when the folder exists), so two runs started at once never share a folder.
     */
    static Path createUnique(Path parent, String base, LocalDateTime now) throws IOException {
        Files.createDirectories(parent);
        String name = base + "-" + now.format(STAMP);
        for (int suffix = 1; ; suffix++) {
            Path dir = parent.resolve(suffix == 1 ? name : name + "-" + suffix);
            try {
                return Files.createDirectory(dir);
            } catch (FileAlreadyExistsException e) {
                // taken: try the next suffix
            }
        }
    }

    /** Writes the marker (atomically: a reader sees it whole or not at all). Call it after every other file. */
    static void markComplete(Path dir, String summary) throws IOException {
        Path tmp = dir.resolve(COMPLETE + ".tmp");
        Files.writeString(tmp, summary + "\n", StandardCharsets.UTF_8);
        Files.move(tmp, dir.resolve(COMPLETE), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** True when {@code dir} holds the marker or is a committed reference run. */
    static boolean isComplete(Path dir) {
        Path d = dir.toAbsolutePath().normalize();
        return Files.isRegularFile(d.resolve(COMPLETE)) || d.startsWith(Workbench.referenceResults());
    }

    /**
     * Refuses an incomplete run (a {@link UsageException}, exit 2) unless {@code allowIncomplete}; with it, prints
     * one warning line on {@code err} and lets the command go on.
     */
    static void requireComplete(String command, Path dir, boolean allowIncomplete, PrintStream err) {
        if (!Files.isDirectory(dir) || isComplete(dir)) {
            return; // a missing folder is reported by whoever loads it
        }
        if (!allowIncomplete) {
            throw new UsageException(command + ": " + dir + " is an incomplete run (no '" + COMPLETE
                    + "' marker: its bench was interrupted or is still running); add --allow-incomplete to use it anyway");
        }
        err.println("dsw " + command + ": warning: " + dir + " is an incomplete run (no '" + COMPLETE
                + "' marker); using its partial results as asked");
    }
}
