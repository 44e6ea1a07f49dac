package io.github.dsw.cli;

/** A mistake in what the user typed: reported as one line on stderr, exit code 2, no stack trace. */
public final class UsageException extends RuntimeException {
    public UsageException(String message) {
        super(message);
    }
}
