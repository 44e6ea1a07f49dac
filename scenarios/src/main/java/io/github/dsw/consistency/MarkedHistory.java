package io.github.dsw.consistency;

import io.github.dsw.check.History;
import io.github.dsw.check.HistoryEvent;
import io.github.dsw.check.HistoryEvent.Fn;
import io.github.dsw.check.HistoryEvent.Type;
import io.github.dsw.check.HistoryJson;
import io.github.dsw.check.consistency.ConvergenceChecker;
import io.github.dsw.check.consistency.Verdict;
import java.io.IOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * A chapter 5 history with chapter 12's two extensions (datasets/README.md, agreed with the checkers in
 * /work/notes/final-reads.md): reads marked {@code "final": true} with a {@code "replica"} (one per replica and key,
 * taken after quiescence, for {@code --model convergence}), and {@code "values"} on the {@code ok} line of a read that
 * returned several siblings ({@code "value"} stays the first of them, so older readers still work).
 *
 * @param history  the events
 * @param finals   event index (0-based) -> replica, for both lines of every final read
 * @param siblings event index of an {@code ok} read -> all values it returned (only when more than one)
 */
public record MarkedHistory(History history, Map<Integer, String> finals, Map<Integer, List<Long>> siblings) {

    public MarkedHistory {
        finals = Map.copyOf(finals);
        siblings = Map.copyOf(siblings);
    }

    /** Builds a marked history: client events, then final reads appended after quiescence. */
    public static final class Builder {
        private final List<HistoryEvent> events;
        private final Map<Integer, String> finals = new LinkedHashMap<>();
        private final Map<Integer, List<Long>> siblings = new LinkedHashMap<>();
        private long time;
        private int process;

        /**
         * @param clientEvents the workload's events
         * @param siblingsOf   event index -> sibling values (reads that returned more than one)
         * @param firstProcess a process number no client used
         */
        public Builder(List<HistoryEvent> clientEvents, Map<Integer, List<Long>> siblingsOf, int firstProcess) {
            events = new ArrayList<>(clientEvents);
            siblings.putAll(siblingsOf);
            process = firstProcess;
            for (HistoryEvent e : events) {
                time = Math.max(time, e.timeNs());
            }
        }

        /**
         * Appends the final read of {@code key} at {@code replica}: what that replica holds after quiescence (no
         * value: null; several: siblings). One process per replica.
         */
        public Builder finalRead(String replica, int replicaProcess, String key, List<Long> values) {
            List<Long> vs = new ArrayList<>(new TreeSet<>(values));
            Long first = vs.isEmpty() ? null : vs.get(0);
            int p = process + replicaProcess;
            time++;
            finals.put(events.size(), replica);
            events.add(HistoryEvent.invoke(p, Fn.READ, key, null, time));
            time++;
            finals.put(events.size(), replica);
            if (vs.size() > 1) {
                siblings.put(events.size(), vs);
            }
            events.add(HistoryEvent.complete(p, Type.OK, Fn.READ, key, first, time));
            return this;
        }

        public MarkedHistory build() {
            return new MarkedHistory(History.of(events), finals, siblings);
        }
    }

    /** The history as JSON Lines, with the {@code values}, {@code replica} and {@code final} fields. */
    public void write(Writer out) throws IOException {
        List<HistoryEvent> ev = history.events();
        for (int i = 0; i < ev.size(); i++) {
            out.write(line(i, ev.get(i)));
            out.write('\n');
        }
    }

    String line(int i, HistoryEvent e) {
        String line = HistoryJson.toLine(e);
        StringBuilder extra = new StringBuilder();
        List<Long> vs = siblings.get(i);
        if (vs != null) {
            extra.append(",\"values\":[");
            for (int j = 0; j < vs.size(); j++) {
                extra.append(j == 0 ? "" : ",").append(vs.get(j));
            }
            extra.append(']');
        }
        String replica = finals.get(i);
        if (replica != null) {
            extra.append(",\"replica\":\"").append(replica.replace("\\", "\\\\").replace("\"", "\\\"")).append("\",\"final\":true");
        }
        return extra.isEmpty() ? line : line.substring(0, line.length() - 1) + extra + "}";
    }

    /** Convergence of the final reads by the checker's Java API (single values: siblings beyond the first unseen). */
    public Verdict convergence() {
        return ConvergenceChecker.check(history, finals);
    }

    /** The replica names of the final reads, and per replica and key the values read: for summaries. */
    public Map<String, Map<String, List<Long>>> finalState() {
        Map<String, Map<String, List<Long>>> out = new LinkedHashMap<>();
        List<HistoryEvent> ev = history.events();
        for (Map.Entry<Integer, String> f : finals.entrySet()) {
            HistoryEvent e = ev.get(f.getKey());
            if (e.type() != Type.OK) {
                continue;
            }
            List<Long> vs = siblings.getOrDefault(f.getKey(), e.value() == null ? List.<Long>of() : List.of((Long) e.value()));
            out.computeIfAbsent(f.getValue(), r -> new LinkedHashMap<>()).put(e.key(), vs);
        }
        return out;
    }
}
