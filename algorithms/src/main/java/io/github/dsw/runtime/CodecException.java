package io.github.dsw.runtime;

/**
 * Bytes that are not a valid encoding (truncated, an unknown version or tag, trailing bytes, a negative
 * or oversized length, a field a record refuses), or a value a codec cannot encode. Unchecked: a codec's
 * caller (a transport, a disk log) treats it like a failed checksum and drops or reports the input;
 * a decoder never returns an object it is not sure of.
 */
public final class CodecException extends RuntimeException {

    public CodecException(String message) {
        super(message);
    }

    public CodecException(String message, Throwable cause) {
        super(message, cause);
    }
}
