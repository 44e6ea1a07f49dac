package io.github.dsw.cli;

import java.nio.file.Path;

/** Where the workbench lives on disk: the launcher passes {@code -Ddsw.root}; else the working directory. */
final class Workbench {
    private Workbench() {
    }

    static Path root() {
        return Path.of(System.getProperty("dsw.root", ".")).toAbsolutePath().normalize();
    }

    /** Committed reference runs. */
    static Path referenceResults() {
        return root().resolve("datasets").resolve("results");
    }

    /** The user's own runs (git-ignored). */
    static Path runs() {
        return root().resolve("datasets").resolve("runs");
    }

    /** A path typed by the user: relative to the directory the user ran ./dsw from. */
    static Path userPath(String p) {
        String cwd = System.getProperty("dsw.cwd");
        Path path = Path.of(p);
        return path.isAbsolute() || cwd == null ? path.toAbsolutePath().normalize() : Path.of(cwd).resolve(path).normalize();
    }
}
