package io.github.dsw.check;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The lines of a history file, read one at a time under limits, so that no input can make a reader
 * run out of memory or read forever: a line longer than {@link Limits#maxLineChars} (say
 * {@code /dev/zero}, which never ends a line) and more than {@link Limits#maxEvents} events are
 * rejected as soon as they are seen; bytes that are not UTF-8 are reported with their line and column.
 * Lines end at {@code \n}; a {@code \r} before it is dropped. Blank lines are skipped.
 *
 * <p>Shared by the formats ({@link HistoryJson}, {@link HistoryEdn}): each turns one line into one
 * event, and {@link #collect} checks the whole ({@link History#of}) and maps its errors back to the
 * file's line numbers.
 */
public final class HistoryLines {

    /**
     * @param maxLineChars the longest line accepted, in bytes (or chars for a Reader)
     * @param maxEvents    the most events accepted
     */
    public record Limits(int maxLineChars, int maxEvents) {
        public Limits {
            if (maxLineChars < 1 || maxEvents < 1) {
                throw new IllegalArgumentException("limits must be >= 1, got maxLineChars=" + maxLineChars
                        + ", maxEvents=" + maxEvents);
            }
        }

        /** 1 MiB per line, 20 million events (about 2 GB of heap as events: far beyond any checkable history). */
        public static Limits defaults() {
            return new Limits(1 << 20, 20_000_000);
        }
    }

    /**
     * Turns one line into one event, or null for a line that holds none (say a nemesis's event in a
     * Jepsen history), or throws a {@link HistoryFormatException} naming that line.
     */
    @FunctionalInterface
    public interface LineParser {
        HistoryEvent parse(String line, int lineNo);
    }

    private final InputStream bytes;
    private final Reader chars;
    private final Limits limits;
    private final CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
    private byte[] buf = new byte[1 << 16];
    private int bufPos;
    private int bufEnd;
    private char[] cbuf;
    private int lineNo;

    /** Lines of UTF-8 bytes. */
    public HistoryLines(InputStream in, Limits limits) {
        this.bytes = in;
        this.chars = null;
        this.limits = limits;
    }

    /** Lines of characters (already decoded). */
    public HistoryLines(Reader in, Limits limits) {
        this.bytes = null;
        this.chars = in;
        this.limits = limits;
        this.cbuf = new char[1 << 14];
    }

    /** The line number of the line last returned by {@link #next}. */
    public int lineNo() {
        return lineNo;
    }

    /** The next line without its terminator, or null at the end of the input. */
    public String next() {
        try {
            return bytes != null ? nextFromBytes() : nextFromChars();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Parses every non-blank line with {@code parser} and checks the history.
     *
     * @throws HistoryFormatException with the file's line number; "no operations" for an input without events
     */
    public History collect(LineParser parser) {
        List<HistoryEvent> events = new ArrayList<>();
        int[] lines = new int[1024];
        String text;
        while ((text = next()) != null) {
            if (text.isBlank()) {
                continue;
            }
            if (events.size() >= limits.maxEvents()) {
                throw new HistoryFormatException(lineNo, "more than " + limits.maxEvents() + " events (the reader's limit)");
            }
            HistoryEvent e = parser.parse(text, lineNo);
            if (e == null) {
                continue;
            }
            if (events.size() == lines.length) {
                lines = Arrays.copyOf(lines, lines.length * 2);
            }
            lines[events.size()] = lineNo;
            events.add(e);
        }
        if (events.isEmpty()) {
            throw new HistoryFormatException(0, "no operations: " + (lineNo == 0 ? "the input is empty" : "all "
                    + lineNo + " lines are blank"));
        }
        try {
            return History.of(events);
        } catch (HistoryFormatException e) {
            String msg = e.getMessage().substring(e.getMessage().indexOf(':') + 2);
            throw new HistoryFormatException(lines[e.line() - 1], msg);
        }
    }

    private String nextFromBytes() throws IOException {
        int start = bufPos;
        int scanned = bufPos;
        while (true) {
            for (int i = scanned; i < bufEnd; i++) {
                if (buf[i] == '\n') {
                    bufPos = i + 1;
                    return line(start, i);
                }
            }
            scanned = bufEnd;
            if (bufEnd - start > limits.maxLineChars()) {
                throw new HistoryFormatException(lineNo + 1, "line longer than " + limits.maxLineChars()
                        + " bytes (the reader's limit; is this a history file?)");
            }
            // make room: move the partial line to the front, grow if it fills the buffer
            if (start > 0) {
                System.arraycopy(buf, start, buf, 0, bufEnd - start);
                bufEnd -= start;
                scanned -= start;
                start = 0;
            }
            if (bufEnd == buf.length) {
                buf = Arrays.copyOf(buf, Math.min(buf.length * 2, limits.maxLineChars() + 2));
            }
            int n = bytes.read(buf, bufEnd, buf.length - bufEnd);
            if (n < 0) {
                bufPos = bufEnd;
                return bufEnd > start ? line(start, bufEnd) : null;
            }
            bufEnd += n;
        }
    }

    private String line(int from, int to) {
        lineNo++;
        int end = to > from && buf[to - 1] == '\r' ? to - 1 : to;
        if (end - from > limits.maxLineChars()) {
            throw new HistoryFormatException(lineNo, "line longer than " + limits.maxLineChars()
                    + " bytes (the reader's limit; is this a history file?)");
        }
        boolean ascii = true;
        for (int i = from; i < end; i++) {
            if (buf[i] < 0) {
                ascii = false;
                break;
            }
        }
        if (ascii) {
            return new String(buf, from, end - from, StandardCharsets.ISO_8859_1);
        }
        try {
            return utf8.reset().decode(ByteBuffer.wrap(buf, from, end - from)).toString();
        } catch (CharacterCodingException e) {
            int column = firstBadByte(from, end);
            throw new HistoryFormatException(lineNo, "not UTF-8: byte 0x" + String.format("%02x", buf[from + column] & 0xff)
                    + " at byte column " + (column + 1));
        }
    }

    /** The offset of the first byte that does not start a well-formed UTF-8 sequence (RFC 3629). */
    private int firstBadByte(int from, int end) {
        int i = from;
        while (i < end) {
            int b = buf[i] & 0xff;
            int len = b < 0x80 ? 1 : b >= 0xc2 && b <= 0xdf ? 2 : b >= 0xe0 && b <= 0xef ? 3 : b >= 0xf0 && b <= 0xf4 ? 4 : 0;
            if (len == 0 || i + len > end) {
                return i - from;
            }
            try {
                utf8.reset().decode(ByteBuffer.wrap(buf, i, len));
            } catch (CharacterCodingException e) {
                return i - from;
            }
            i += len;
        }
        return 0;
    }

    private final StringBuilder pending = new StringBuilder();
    private int cPos;
    private int cEnd;

    private String nextFromChars() throws IOException {
        pending.setLength(0);
        boolean any = false;
        while (true) {
            if (cPos == cEnd) {
                cEnd = chars.read(cbuf, 0, cbuf.length);
                cPos = 0;
                if (cEnd < 0) {
                    cEnd = 0;
                    if (!any) {
                        return null;
                    }
                    return charLine();
                }
            }
            any = true;
            int i = cPos;
            while (i < cEnd && cbuf[i] != '\n') {
                i++;
            }
            pending.append(cbuf, cPos, i - cPos);
            if (pending.length() > limits.maxLineChars() + 1) {
                throw new HistoryFormatException(lineNo + 1, "line longer than " + limits.maxLineChars()
                        + " characters (the reader's limit; is this a history file?)");
            }
            if (i < cEnd) {
                cPos = i + 1;
                return charLine();
            }
            cPos = cEnd;
        }
    }

    private String charLine() {
        lineNo++;
        int len = pending.length();
        if (len > 0 && pending.charAt(len - 1) == '\r') {
            pending.setLength(len - 1);
        }
        if (pending.length() > limits.maxLineChars()) {
            throw new HistoryFormatException(lineNo, "line longer than " + limits.maxLineChars()
                    + " characters (the reader's limit; is this a history file?)");
        }
        return pending.toString();
    }
}
