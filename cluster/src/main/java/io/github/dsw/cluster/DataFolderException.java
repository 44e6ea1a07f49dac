package io.github.dsw.cluster;

/**
 * A data folder that cannot be used as asked: not writable, written by another protocol or node, in use
 * by another process. A user error (the CLI prints the message, one line, and exits 2); nothing in the
 * folder is changed.
 */
public final class DataFolderException extends RuntimeException {
    public DataFolderException(String message) {
        super(message);
    }

    public DataFolderException(String message, Throwable cause) {
        super(message, cause);
    }
}
