package io.github.dsw.sim;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a run did: a compact event trace (one line per event: virtual time in ns, a one-letter kind,
 * the processes, the payload), a running 64-bit FNV-1a hash of those lines, per-message-type counts,
 * and optionally every message's flight for a space-time diagram. Two runs with the same seed and the
 * same code produce the same lines, hence the same hash: that is the reproducibility test.
 *
 * <p>At {@link Level#LINES} each line goes, as it happens, to a {@link Sink} (e.g. a file through
 * {@link Sink#to(Writer)}), so a long run's trace costs no memory; without a sink the lines are
 * collected in memory for {@link #lines()}, which suits short runs in tests.
 *
 * <p>Line kinds: {@code S} start, {@code D} delivery, {@code X} drop (with reason), {@code T} timer,
 * {@code C} crash, {@code R} restart, {@code F} fault or nemesis action, {@code O} output.
 */
public final class Trace {

    /**
     * How much to record. {@link #COUNTS} costs almost nothing; {@link #HASH} builds and hashes every line;
     * {@link #LINES} also hands every line to the trace's {@link Sink}.
     */
    public enum Level { COUNTS, HASH, LINES }

    /** Receives the trace's lines in order, each without its newline, as the run produces them. */
    @FunctionalInterface
    public interface Sink {

        void line(String line);

        /**
         * Writes each line and a {@code '\n'} to {@code out} (buffer it: one call per event). The caller
         * closes {@code out}; an I/O error surfaces as {@link UncheckedIOException} from the simulator.
         */
        static Sink to(Writer out) {
            if (out == null) {
                throw new IllegalArgumentException("out must not be null");
            }
            return line -> {
                try {
                    out.write(line);
                    out.write('\n');
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            };
        }
    }

    /** One message's journey: sent at {@code sendNs}, delivered at {@code deliverNs} or dropped (-1). */
    public record Flight(int from, int to, long sendNs, long deliverNs, String type) {
    }

    /** How many messages of one type were sent, delivered, dropped (lost, partitioned, or to a crashed server) and duplicated. */
    public record Counts(long sent, long delivered, long dropped, long duplicated) {

        Counts plus(Counts o) {
            return new Counts(sent + o.sent, delivered + o.delivered, dropped + o.dropped, duplicated + o.duplicated);
        }
    }

    /** The running counts of one message class, bumped by the simulator on every send, delivery, drop and duplicate. */
    static final class Tally {
        long sent;
        long delivered;
        long dropped;
        long duplicated;

        Counts counts() {
            return new Counts(sent, delivered, dropped, duplicated);
        }
    }

    private static final long FNV_OFFSET = 0xcbf29ce484222325L;
    private static final long FNV_PRIME = 0x100000001b3L;

    private final Level level;
    private final boolean flights;
    private final Sink sink; // null below LINES
    private final List<String> collected; // the lines, when LINES came without a sink; else null
    private final List<Flight> flightList = new ArrayList<>();
    private final Map<Class<?>, Tally> tallies = new java.util.HashMap<>();
    private long hash = FNV_OFFSET;
    private long events;

    /** At {@link Level#LINES}, lines go to {@code sink}, or are collected in memory if it is null. */
    Trace(Level level, boolean flights, Sink sink) {
        if (sink != null && level != Level.LINES) {
            throw new IllegalArgumentException("a trace sink needs trace level LINES, got " + level);
        }
        this.level = level;
        this.flights = flights;
        if (level == Level.LINES && sink == null) {
            this.collected = new ArrayList<>();
            this.sink = collected::add;
        } else {
            this.collected = null;
            this.sink = sink;
        }
    }

    boolean wantsLines() {
        return level != Level.COUNTS;
    }

    boolean wantsFlights() {
        return flights;
    }

    void line(String line) {
        events++;
        long h = hash;
        for (int i = 0; i < line.length(); i++) {
            h = (h ^ line.charAt(i)) * FNV_PRIME;
        }
        hash = (h ^ '\n') * FNV_PRIME;
        if (sink != null) {
            sink.line(line);
        }
    }

    void flight(Flight f) {
        flightList.add(f);
    }

    /** The running counts of message class {@code type}, created at zero on first use. */
    Tally tally(Class<?> type) {
        Tally t = tallies.get(type);
        if (t == null) {
            t = new Tally();
            tallies.put(type, t);
        }
        return t;
    }

    /** FNV-1a over every traced line (each followed by a newline); meaningful at HASH or LINES. */
    public long hash() {
        return hash;
    }

    /** Number of traced lines. */
    public long events() {
        return events;
    }

    /** The lines collected in memory (level {@link Level#LINES} without a sink); otherwise empty. */
    public List<String> lines() {
        return collected == null ? List.of() : Collections.unmodifiableList(collected);
    }

    /** Every message's flight, if flights were requested; otherwise empty. */
    public List<Flight> flights() {
        return Collections.unmodifiableList(flightList);
    }

    /** Per message type (simple class name, sorted; classes with the same simple name are added up). */
    public Map<String, Counts> messageCounts() {
        Map<String, Counts> out = new TreeMap<>();
        tallies.forEach((k, v) -> out.merge(k.getSimpleName(), v.counts(), Counts::plus));
        return out;
    }

    /** Messages delivered, all types. */
    public long delivered() {
        long d = 0;
        for (Tally t : tallies.values()) {
            d += t.delivered;
        }
        return d;
    }

    /** A table of the per-type counts, one line per type. */
    public String countsTable() {
        StringBuilder sb = new StringBuilder(String.format("%-24s %10s %10s %10s %10s%n", "message", "sent", "delivered", "dropped", "duplicated"));
        messageCounts().forEach((k, c) -> sb.append(String.format("%-24s %10d %10d %10d %10d%n", k, c.sent(), c.delivered(), c.dropped(),
                c.duplicated())));
        return sb.toString();
    }
}
