package io.github.dsw.check;

import io.github.dsw.check.HistoryEvent.Type;
import io.github.dsw.check.LockHistory.Event;
import io.github.dsw.check.LockHistory.Fn;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The two safety properties of a lock, judged on a {@link LockHistory} by its real-time order (the
 * history's {@code time}; in a real system these are the recorder's clock readings, so two machines'
 * events are ordered only as well as their clocks agree, the caveat of every real-time checker):
 * <ul>
 *   <li><b>mutual exclusion</b> ({@link #mutualExclusion}): no two processes hold the same lock at once. A
 *       process <em>surely</em> holds a lock from the completion of its successful acquire (it knows it got it)
 *       until the invocation of its next release of that lock, or the end of the history (after that it may
 *       have stopped). Two such intervals of different processes that overlap are a violation. As for
 *       linearizability, a failed acquire took no effect, and an {@code info} acquire may or may not have:
 *       its process never learned it holds the lock, so it gives no sure interval (a checker that assumed
 *       it did would report violations the system did not commit). A release ends the interval whatever its
 *       outcome: a release that fails because the lease had already expired is exactly the case that shows
 *       the holder believed it held the lock longer than the service did.</li>
 *   <li><b>fenced writes</b> ({@link #fencedWrites}): no write is accepted with a token lower than that of a
 *       write on the same resource that was accepted before it (its completion precedes the later write's
 *       invocation): Kleppmann's rule ("How to do distributed locking", 2016) as seen from outside. Writes
 *       that were rejected (fail) or whose outcome is unknown (info) never count as earlier accepted
 *       writes, and an info write is not judged.</li>
 * </ul>
 * Both scan sorted intervals, O(n log n); keys are independent, reported in sorted order.
 */
public final class LockChecker {

    /** What a check found: {@code holds}, or the violations in key and time order (the first {@code LIMIT} of them). */
    public record Result(String property, boolean holds, int violationCount, List<String> violations, int keys, int operations) {
        /** Lines for a person: the verdict, then each violation. */
        public String describe() {
            StringBuilder sb = new StringBuilder(property + (holds ? " holds" : " violated " + violationCount + " time(s)")
                    + " (" + operations + " operations on " + keys + " keys)\n");
            for (String v : violations) {
                sb.append("  ").append(v).append('\n');
            }
            if (violations.size() < violationCount) {
                sb.append("  ... and ").append(violationCount - violations.size()).append(" more\n");
            }
            return sb.toString();
        }
    }

    /** At most this many violations are described. */
    public static final int LIMIT = 10;

    private record Hold(int process, long fromNs, long untilNs, Long token) {
    }

    private record Write(int process, long invokeNs, long okNs, long token, String value) {
    }

    private LockChecker() {
    }

    /** Mutual exclusion over every lock (key) of the acquires and releases in {@code h}. */
    public static Result mutualExclusion(LockHistory h) {
        Map<String, List<Hold>> holds = new TreeMap<>();
        Map<Integer, Event> invoked = new TreeMap<>();
        Map<Integer, Map<String, Event>> holding = new TreeMap<>(); // process -> lock -> its acquire's ok
        int ops = 0;
        for (Event e : h.events()) {
            if (e.f() == Fn.WRITE) {
                continue;
            }
            if (e.type() == Type.INVOKE) {
                invoked.put(e.process(), e);
                ops++;
                if (e.f() == Fn.RELEASE) {
                    Event acq = holding.getOrDefault(e.process(), Map.of()).get(e.key());
                    if (acq != null) {
                        holds.computeIfAbsent(e.key(), k -> new ArrayList<>()).add(new Hold(e.process(), acq.timeNs(), e.timeNs(), acq.token()));
                        holding.get(e.process()).remove(e.key());
                    }
                }
                continue;
            }
            invoked.remove(e.process());
            if (e.f() == Fn.ACQUIRE && e.type() == Type.OK) {
                holding.computeIfAbsent(e.process(), p -> new TreeMap<>()).putIfAbsent(e.key(), e);
            }
        }
        holding.forEach((p, locks) -> locks.forEach((key, acq) ->
                holds.computeIfAbsent(key, k -> new ArrayList<>()).add(new Hold(p, acq.timeNs(), Long.MAX_VALUE, acq.token()))));
        List<String> found = new ArrayList<>();
        int count = 0;
        for (Map.Entry<String, List<Hold>> e : holds.entrySet()) {
            List<Hold> list = e.getValue();
            list.sort(Comparator.comparingLong(Hold::fromNs).thenComparingInt(Hold::process));
            Hold longest = null; // the interval reaching furthest among those started so far
            for (Hold x : list) {
                if (longest != null && x.fromNs() < longest.untilNs() && x.process() != longest.process()) {
                    count++;
                    if (found.size() < LIMIT) {
                        found.add("lock " + e.getKey() + ": process " + x.process() + " holds it from " + x.fromNs() + " (token " + x.token()
                                + ") while process " + longest.process() + " holds it from " + longest.fromNs() + " (token " + longest.token()
                                + ") until " + (longest.untilNs() == Long.MAX_VALUE ? "the end" : longest.untilNs()));
                    }
                }
                if (longest == null || x.untilNs() > longest.untilNs()) {
                    longest = x;
                }
            }
        }
        return new Result("mutual exclusion", count == 0, count, List.copyOf(found), holds.size(), ops);
    }

    /** Fenced writes over every resource (key) of the writes in {@code h}; a write without a token is judged as token 0. */
    public static Result fencedWrites(LockHistory h) {
        Map<String, List<Write>> accepted = new TreeMap<>();
        Map<Integer, Event> invoked = new TreeMap<>();
        int ops = 0;
        for (Event e : h.events()) {
            if (e.f() != Fn.WRITE) {
                continue;
            }
            if (e.type() == Type.INVOKE) {
                invoked.put(e.process(), e);
                ops++;
            } else {
                Event inv = invoked.remove(e.process());
                if (e.type() == Type.OK && inv != null) {
                    long token = inv.token() == null ? 0 : inv.token();
                    accepted.computeIfAbsent(e.key(), k -> new ArrayList<>()).add(new Write(e.process(), inv.timeNs(), e.timeNs(), token, inv.value()));
                }
            }
        }
        List<String> found = new ArrayList<>();
        int count = 0;
        for (Map.Entry<String, List<Write>> e : accepted.entrySet()) {
            List<Write> byInvoke = new ArrayList<>(e.getValue());
            byInvoke.sort(Comparator.comparingLong(Write::invokeNs).thenComparingInt(Write::process));
            List<Write> byOk = new ArrayList<>(e.getValue());
            byOk.sort(Comparator.comparingLong(Write::okNs).thenComparingInt(Write::process));
            int next = 0;
            Write highest = null; // the accepted write with the highest token among those completed before the current invocation
            for (Write w : byInvoke) {
                while (next < byOk.size() && byOk.get(next).okNs() < w.invokeNs()) {
                    Write done = byOk.get(next++);
                    if (highest == null || done.token() > highest.token()) {
                        highest = done;
                    }
                }
                if (highest != null && w.token() < highest.token()) {
                    count++;
                    if (found.size() < LIMIT) {
                        found.add("resource " + e.getKey() + ": process " + w.process() + "'s write " + w.value() + " with token " + w.token()
                                + " (invoked at " + w.invokeNs() + ") was accepted after process " + highest.process() + "'s write "
                                + highest.value() + " with token " + highest.token() + " (accepted by " + highest.okNs() + ")");
                    }
                }
            }
        }
        return new Result("fenced writes", count == 0, count, List.copyOf(found), accepted.size(), ops);
    }
}
