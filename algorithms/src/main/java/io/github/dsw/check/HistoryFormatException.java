package io.github.dsw.check;

/** A history file or event list that breaks the format; the message names the line (1-based) at fault. */
public final class HistoryFormatException extends IllegalArgumentException {
    private final int line;

    public HistoryFormatException(int line, String message) {
        super("line " + line + ": " + message);
        this.line = line;
    }

    /** The 1-based line (or event index + 1) at fault. */
    public int line() {
        return line;
    }
}
