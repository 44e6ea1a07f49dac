package io.github.dsw.check.consistency;

import io.github.dsw.check.History;
import io.github.dsw.check.HistoryEvent;
import io.github.dsw.check.HistoryEvent.Fn;
import io.github.dsw.check.HistoryJson;
import io.github.dsw.check.Operation;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Convergence of eventually consistent replicas: after the writes stop (quiescence) and the replicas have
 * exchanged what they had, every replica holds the same value for every key (Vogels' eventual consistency,
 * "Eventually Consistent", CACM 2009; Shapiro et al.'s strong eventual consistency asks the same of replicas that
 * have received the same updates, SSS 2011).
 *
 * <p><b>The history extension.</b> The final state of each replica is recorded as reads marked
 * {@code "final": true} with a {@code "replica"} field (a string or an integer) on the read's invoke or {@code ok}
 * line; the reader of chapter 5 ignores such extra fields, so the file stays a valid history. Every final read
 * must be invoked after every other operation has completed (otherwise the history is rejected, exit 2: the
 * check is about the state after quiescence). Written values must be unique per key.
 *
 * <p><b>The verdict.</b> Violated when (1) two final reads of a key return different values (the replicas
 * diverged), or (2) the common final value cannot be the merge of the writes: a value nobody wrote, {@code null}
 * although a write of the key completed, or a write that another write of the same key causally followed (in
 * {@code co = (po ∪ rf)+} of the history): with last-writer-wins by Lamport timestamps or by version vectors the
 * winner is never causally overwritten, so this is a lost update (what LWW by skewed wall clocks does).
 */
public final class ConvergenceChecker {

    private ConvergenceChecker() {
    }

    /**
     * The final marks of a JSON Lines history: for each event (0-based index among the non-blank lines) that
     * carries {@code "final": true}, its {@code "replica"} (the empty string when absent).
     */
    public static Map<Integer, String> readMarks(InputStream in) {
        Map<Integer, String> marks = new LinkedHashMap<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            int event = 0;
            while ((line = r.readLine()) != null) {
                if (line.isBlank()) {
                    continue;
                }
                Map<String, Object> f = topLevel(line, "final", "replica");
                if (Boolean.TRUE.equals(f.get("final"))) {
                    Object rep = f.get("replica");
                    marks.put(event, rep == null ? "" : rep.toString());
                }
                event++;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return marks;
    }

    /** One event as a history line marked final, read at {@code replica}. */
    public static String finalLine(HistoryEvent e, String replica) {
        String line = HistoryJson.toLine(e);
        StringBuilder q = new StringBuilder("\"");
        for (char c : replica.toCharArray()) {
            if (c == '"' || c == '\\') {
                q.append('\\');
            }
            q.append(c < 0x20 ? ' ' : c);
        }
        return line.substring(0, line.length() - 1) + ",\"replica\":" + q + "\",\"final\":true}";
    }

    /**
     * Checks convergence; {@code marks} maps event indices (0-based, as {@link #readMarks} gives them) of final
     * reads to their replica.
     *
     * @throws IllegalArgumentException (one line) when there is no final read, a final mark is on something other
     *                                  than a read, a final read precedes quiescence, or values are not unique
     */
    public static Verdict check(History history, Map<Integer, String> marks) {
        return check(history, HistoryExtras.ofFinals(marks));
    }

    /**
     * Checks convergence with the final marks, file lines and sibling values of {@code extras}: a final read with
     * sibling values ends with that set of values, and replicas agree when their sets are equal.
     */
    public static Verdict check(History history, HistoryExtras extras) {
        Map<Integer, String> marks = extras.finals();
        ReadWriteHistory h = ReadWriteHistory.of(history, "convergence", extras);
        Map<Integer, Integer> opOfEvent = new HashMap<>();
        for (int i = 0; i < h.size(); i++) {
            opOfEvent.put(h.invokeEvent.get(i) - 1, i);
            if (h.completeEvent.get(i) > 0) {
                opOfEvent.put(h.completeEvent.get(i) - 1, i);
            }
        }
        Map<Integer, String> replicaOf = new LinkedHashMap<>();
        for (Map.Entry<Integer, String> m : marks.entrySet()) {
            int ev = m.getKey();
            if (ev < 0 || ev >= history.events().size()) {
                throw new IllegalArgumentException("final mark on " + extras.where(ev) + ", beyond the history's "
                        + history.events().size() + " events");
            }
            HistoryEvent e = history.events().get(ev);
            if (e.f() != Fn.READ) {
                throw new IllegalArgumentException(extras.where(ev) + " is marked final but is a " + e.f().jsonName()
                        + ": only reads record a replica's final state");
            }
            Integer op = opOfEvent.get(ev);
            if (op != null) {
                replicaOf.put(op, m.getValue());
            }
        }
        if (replicaOf.isEmpty()) {
            throw new IllegalArgumentException("no completed final read: mark the reads taken after quiescence with"
                    + " \"final\": true and \"replica\" (datasets/README.md)");
        }
        long quiet = Long.MIN_VALUE;
        int last = -1;
        for (int i = 0; i < h.size(); i++) {
            Operation o = h.ops.get(i);
            if (!replicaOf.containsKey(i) && !o.indeterminate() && o.returnNs() > quiet) {
                quiet = o.returnNs();
                last = i;
            }
        }
        for (int r : replicaOf.keySet()) {
            if (h.ops.get(r).callNs() < quiet) {
                throw new IllegalArgumentException("final read " + h.at(r) + " is invoked at " + h.ops.get(r).callNs()
                        + ", before " + h.at(last) + " completed at " + quiet + ": final reads follow quiescence");
            }
        }
        CausalChecker.Analysis a = new CausalChecker.Analysis(h, "convergence");
        boolean acyclic = a.cycle(null) == null;
        if (acyclic) {
            a.clocks();
        }
        Map<Integer, List<Integer>> byKey = new LinkedHashMap<>();
        for (int r : replicaOf.keySet()) {
            byKey.computeIfAbsent(h.key[r], k -> new ArrayList<>()).add(r);
        }
        for (Map.Entry<Integer, List<Integer>> e : byKey.entrySet()) {
            List<Integer> reads = e.getValue();
            int first = reads.get(0);
            for (int r : reads) {
                if (!endState(h, r).equals(endState(h, first))) {
                    return Verdict.violated("convergence", h.opsOf(first, r), "replicas diverge on key '" + h.keys.get(e.getKey())
                            + "': " + replicaOf.get(first) + " ends with " + shown(h, first) + ", " + replicaOf.get(r)
                            + " with " + shown(h, r), h.size(), a.work);
                }
            }
            String key = h.keys.get(e.getKey());
            int w = h.rf[first];
            if (w == ReadWriteHistory.THIN_AIR || h.thinSibling[first]) {
                return Verdict.violated("convergence", h.opsOf(first), "every replica ends with a value of key '" + key
                        + "' that no write wrote: " + shown(h, first), h.size(), a.work);
            }
            if (w == ReadWriteHistory.INIT) {
                for (int x : h.writesOfKey[e.getKey()]) {
                    if (!h.ops.get(x).indeterminate()) {
                        return Verdict.violated("convergence", h.opsOf(x, first), "every replica ends with null for key '"
                                + key + "' although " + h.at(x) + " completed: the write was lost", h.size(), a.work);
                    }
                }
                continue;
            }
            if (!acyclic) {
                continue;
            }
            for (int kept : h.observed(first)) {
                for (int x : h.writesOfKey[e.getKey()]) {
                    if (x != kept && a.co(kept, x)) {
                        return Verdict.violated("convergence", h.opsOf(kept, x, first), "lost update: every replica ends key '"
                                + key + "' with " + h.at(kept) + ", which " + h.at(x) + " causally followed (no last-writer-wins"
                                + " by Lamport clock or version vector keeps it)", h.size(), a.work);
                    }
                }
            }
        }
        return Verdict.satisfied("convergence", h.size(), a.work);
    }

    /** The values a final read returned: its value and its sibling values. */
    private static java.util.Set<Long> endState(ReadWriteHistory h, int r) {
        java.util.Set<Long> s = new java.util.TreeSet<>(java.util.Comparator.nullsFirst(java.util.Comparator.naturalOrder()));
        s.add(h.ops.get(r).output());
        long[] sib = h.completeEvent.get(r) > 0 ? h.extras.siblings(h.completeEvent.get(r) - 1) : null;
        if (sib != null) {
            for (long v : sib) {
                s.add(v);
            }
        }
        return s;
    }

    private static String shown(ReadWriteHistory h, int r) {
        java.util.Set<Long> s = endState(h, r);
        if (s.size() > 1) {
            return s.toString();
        }
        Long v = h.ops.get(r).output();
        return v == null ? "null" : v.toString();
    }

    /**
     * The wanted top-level fields of one JSON object line (strings, integers as Long, true/false), others
     * skipped; the line was already validated by {@link HistoryJson}, so this reader is lenient.
     */
    static Map<String, Object> topLevel(String s, String... wanted) {
        Map<String, Object> out = new HashMap<>();
        int[] pos = {s.indexOf('{') + 1};
        if (pos[0] == 0) {
            return out;
        }
        while (pos[0] < s.length()) {
            skipSpace(s, pos);
            if (pos[0] >= s.length() || s.charAt(pos[0]) == '}') {
                break;
            }
            if (s.charAt(pos[0]) == ',') {
                pos[0]++;
                continue;
            }
            if (s.charAt(pos[0]) != '"') {
                break;
            }
            String name = string(s, pos);
            skipSpace(s, pos);
            if (pos[0] < s.length() && s.charAt(pos[0]) == ':') {
                pos[0]++;
            }
            skipSpace(s, pos);
            int start = pos[0];
            skipValue(s, pos);
            if (List.of(wanted).contains(name)) {
                String raw = s.substring(start, pos[0]).trim();
                if (raw.startsWith("\"")) {
                    out.put(name, string(raw, new int[] {0}));
                } else if (raw.equals("true") || raw.equals("false")) {
                    out.put(name, Boolean.valueOf(raw));
                } else {
                    try {
                        out.put(name, Long.parseLong(raw));
                    } catch (NumberFormatException e) {
                        out.put(name, raw);
                    }
                }
            }
        }
        return out;
    }

    private static void skipSpace(String s, int[] pos) {
        while (pos[0] < s.length() && Character.isWhitespace(s.charAt(pos[0]))) {
            pos[0]++;
        }
    }

    private static String string(String s, int[] pos) {
        StringBuilder sb = new StringBuilder();
        int i = pos[0] + 1;
        while (i < s.length() && s.charAt(i) != '"') {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length()) {
                char e = s.charAt(++i);
                if (e == 'u' && i + 4 < s.length()) {
                    sb.append((char) Integer.parseInt(s.substring(i + 1, i + 5), 16));
                    i += 4;
                } else {
                    sb.append(switch (e) {
                        case 'n' -> '\n';
                        case 't' -> '\t';
                        case 'r' -> '\r';
                        case 'b' -> '\b';
                        case 'f' -> '\f';
                        default -> e;
                    });
                }
            } else {
                sb.append(c);
            }
            i++;
        }
        pos[0] = Math.min(s.length(), i + 1);
        return sb.toString();
    }

    private static void skipValue(String s, int[] pos) {
        int depth = 0;
        while (pos[0] < s.length()) {
            char c = s.charAt(pos[0]);
            if (c == '"') {
                string(s, pos);
                if (depth == 0) {
                    return;
                }
                continue;
            }
            if (c == '[' || c == '{') {
                depth++;
            } else if (c == ']' || c == '}') {
                if (depth == 0) {
                    return;
                }
                depth--;
            } else if (c == ',' && depth == 0) {
                return;
            }
            pos[0]++;
        }
    }
}
