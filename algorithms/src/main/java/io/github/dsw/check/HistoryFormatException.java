package io.github.dsw.check;

/**
 * A history file or event list that breaks the format; the message names the line (1-based) at fault,
 * or, with line 0, a fault of the whole input (such as having no operations at all).
 */
public final class HistoryFormatException extends IllegalArgumentException {
    private final int line;

    public HistoryFormatException(int line, String message) {
        super(line == 0 ? message : "line " + line + ": " + message);
        this.line = line;
    }

    /** The 1-based line (or event index + 1) at fault; 0 for the whole input. */
    public int line() {
        return line;
    }
}
