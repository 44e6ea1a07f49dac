package io.github.dsw.check;

import io.github.dsw.check.HistoryEvent.Cas;
import io.github.dsw.runtime.CodecException;
import io.github.dsw.runtime.WireReader;
import io.github.dsw.runtime.WireWriter;

/**
 * The wire form of an operation's value, shared by every protocol's codec: tag 0 null (a read), tag 1
 * a Long (a write), tag 2 a {@link Cas} (expected, then update, both longs), tag 3 a {@link Cas} from
 * nil (update only; a later tag, so bytes written before it existed read as they did). It lives here, beside
 * {@link HistoryEvent}, because these three types are the checker's operation values; the runtime's
 * wire primitives know nothing of them.
 */
public final class OperationValue {
    static final int NULL = 0;
    static final int LONG = 1;
    static final int CAS = 2;
    static final int CAS_FROM_NIL = 3;

    private OperationValue() {
    }

    /** Writes null, a Long or a Cas; anything else is a {@link CodecException} naming its type. */
    public static void write(WireWriter out, Object value) {
        switch (value) {
            case null -> out.writeTag(NULL);
            case Long n -> {
                out.writeTag(LONG);
                out.writeLong(n);
            }
            case Cas c when c.expected() == null -> {
                out.writeTag(CAS_FROM_NIL);
                out.writeLong(c.update());
            }
            case Cas c -> {
                out.writeTag(CAS);
                out.writeLong(c.expected());
                out.writeLong(c.update());
            }
            default -> throw new CodecException("an operation's value is null, a Long or a Cas, got a "
                    + value.getClass().getName() + ": " + value);
        }
    }

    /** Reads what {@link #write} wrote; an unknown tag is a {@link CodecException}. */
    public static Object read(WireReader in) {
        int tag = in.readTag();
        return switch (tag) {
            case NULL -> null;
            case LONG -> in.readLong();
            case CAS -> new Cas(in.readLong(), in.readLong());
            case CAS_FROM_NIL -> Cas.fromNil(in.readLong());
            default -> throw in.unknownTag(tag, "an operation's value");
        };
    }
}
