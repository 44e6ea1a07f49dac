package io.github.dsw.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The files and folders one command will write, each checked before the command does any work, so that a
 * wrong path costs a one-line usage error (exit 2) at once rather than a finished simulation whose result and
 * verdict are lost when the write fails at the end. Every {@code ./dsw} command that writes a file declares its
 * outputs here first (commands added by later chapters too):
 *
 * <pre>{@code
 * OutputPaths outputs = OutputPaths.forCommand("simulate");
 * Path history = outputs.file("--history-out", a.get("history-out"));   // null when the option is absent
 * Path trace = outputs.file("--trace-out", a.get("trace-out"));         // must differ from history
 * }</pre>
 *
 * <p>A file passes when its name is not empty, it is not a folder, it differs from every other output and
 * every declared {@link #input input} of the command, its parent folder exists or can be created, and it can
 * really be opened for writing: the check creates the file and deletes it again (or opens an existing one
 * for appending, which changes nothing), because permission bits alone do not tell ({@code root} may
 * "write" to {@code /proc}, a read-only mount says yes to {@code access(2)} for a file it will refuse).
 * Parent folders created by the check stay. Relative paths are resolved against the folder the user ran
 * {@code ./dsw} from ({@link Workbench#userPath}).
 */
public final class OutputPaths {

    private final String command;
    /** Every path claimed so far (absolute, normalised) and the option or input that claimed it. */
    private final Map<Path, String> claimed = new LinkedHashMap<>();

    private OutputPaths(String command) {
        this.command = command;
    }

    /** Starts the outputs of {@code command} (the word in error messages, e.g. {@code simulate}). */
    public static OutputPaths forCommand(String command) {
        return new OutputPaths(command);
    }

    /** Declares a file the command reads, which no output may overwrite; {@code what} names it in errors. */
    public OutputPaths input(String what, Path file) {
        claimed.putIfAbsent(file.toAbsolutePath().normalize(), what);
        return this;
    }

    /**
     * Checks {@code value}, as typed after the option {@code what} (e.g. {@code --history-out}), as an output file.
     *
     * @return the resolved path, or null when {@code value} is null (the option was not given)
     * @throws UsageException naming {@code what}, the path and the reason, when the file cannot be written
     */
    public Path file(String what, String value) {
        return value == null ? null : file(what, resolve(what, value));
    }

    /** Checks {@code path}, a file the command itself chose (e.g. a report inside a run folder), as an output. */
    public Path file(String what, Path path) {
        Path p = path.toAbsolutePath().normalize();
        if (Files.isDirectory(p)) {
            throw fail(what, p, "is a folder, not a file");
        }
        claim(what, p);
        Path parent = p.getParent();
        if (parent != null) {
            makeFolder(what, p, parent);
        }
        try {
            if (Files.exists(p)) {
                try (OutputStream probe = Files.newOutputStream(p, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
                    probe.flush(); // opened without truncating: nothing in the file changes
                }
            } else {
                Files.createFile(p);
                Files.delete(p);
            }
        } catch (IOException e) {
            throw fail(what, p, "cannot be written (" + reason(e) + ")");
        }
        return p;
    }

    /** Checks {@code value}, as typed after the option {@code what}, as an output folder; creates it if missing. */
    public Path folder(String what, String value) {
        return value == null ? null : folder(what, resolve(what, value));
    }

    /** Checks {@code path} as an output folder the command will write files into; creates it if missing. */
    public Path folder(String what, Path path) {
        Path p = path.toAbsolutePath().normalize();
        claim(what, p);
        makeFolder(what, p, p);
        try {
            Files.delete(Files.createTempFile(p, ".dsw-write-check-", ".tmp"));
        } catch (IOException e) {
            throw fail(what, p, "is a folder that cannot be written (" + reason(e) + ")");
        }
        return p;
    }

    private Path resolve(String what, String value) {
        if (value.isBlank()) {
            throw new UsageException(command + ": " + what + " needs a file name, got an empty string");
        }
        try {
            return Workbench.userPath(value);
        } catch (InvalidPathException e) {
            throw new UsageException(command + ": " + what + " is not a valid path: " + e.getMessage());
        }
    }

    private void claim(String what, Path p) {
        for (Map.Entry<Path, String> e : claimed.entrySet()) {
            if (e.getKey().equals(p) || sameExistingFile(e.getKey(), p)) {
                throw fail(what, p, "is also " + e.getValue() + "; each output needs a file of its own");
            }
        }
        claimed.put(p, what);
    }

    private static boolean sameExistingFile(Path a, Path b) {
        try {
            return Files.exists(a) && Files.exists(b) && Files.isSameFile(a, b); // links to one file
        } catch (IOException e) {
            return false;
        }
    }

    /** Creates {@code folder}, the output {@code target} itself or its parent, unless it exists. */
    private void makeFolder(String what, Path target, Path folder) {
        String which = folder.equals(target) ? "" : ": its folder " + folder;
        if (Files.isDirectory(folder)) {
            return;
        }
        if (Files.exists(folder)) {
            throw fail(what, target, which + (which.isEmpty() ? "is a file, not a folder" : " is a file"));
        }
        try {
            Files.createDirectories(folder);
        } catch (IOException e) {
            throw fail(what, target, which + (which.isEmpty() ? "is a folder that cannot be created" : " cannot be created")
                    + " (" + reason(e) + ")");
        }
    }

    private UsageException fail(String what, Path p, String why) {
        return new UsageException(command + ": " + what + " " + p + (why.startsWith(":") ? "" : " ") + why);
    }

    /** The operating system's reason in a few words, without repeating the path. */
    private static String reason(IOException e) {
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof NoSuchFileException) {
            return "no such file or folder";
        }
        if (e instanceof FileSystemException f && f.getReason() != null) {
            return f.getReason();
        }
        return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }
}
