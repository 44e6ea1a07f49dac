package io.github.dsw.check;

import io.github.dsw.check.HistoryEvent.Type;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A well-formed operation history: events in real-time order (times never decrease), every process
 * with at most one operation outstanding, every completion matching its process's invocation, and no
 * event from a process after its {@code info} (Jepsen's rule: a crashed process is never reused).
 * Construction checks all of that and names the offending event (1-based, as the file line).
 */
public final class History {
    private final List<HistoryEvent> events;

    private History(List<HistoryEvent> events) {
        this.events = events;
    }

    /**
     * Validates and wraps {@code events}.
     *
     * @throws HistoryFormatException naming the first event (1-based) that breaks a rule
     */
    public static History of(List<HistoryEvent> events) {
        List<HistoryEvent> copy = List.copyOf(events);
        Map<Integer, HistoryEvent> open = new HashMap<>();
        Set<Integer> crashed = new HashSet<>();
        long last = Long.MIN_VALUE;
        for (int i = 0; i < copy.size(); i++) {
            HistoryEvent e = copy.get(i);
            int line = i + 1;
            if (e.timeNs() < last) {
                throw new HistoryFormatException(line, "time " + e.timeNs() + " is before the previous event's " + last);
            }
            last = e.timeNs();
            if (crashed.contains(e.process())) {
                throw new HistoryFormatException(line, "process " + e.process() + " issued an event after its info");
            }
            HistoryEvent inv = open.get(e.process());
            if (e.type() == Type.INVOKE) {
                if (inv != null) {
                    throw new HistoryFormatException(line, "process " + e.process() + " invoked while its " + inv.f().jsonName() + " is outstanding");
                }
                open.put(e.process(), e);
                continue;
            }
            if (inv == null) {
                throw new HistoryFormatException(line, "process " + e.process() + " completed an operation it never invoked");
            }
            if (inv.f() != e.f() || !inv.key().equals(e.key())) {
                throw new HistoryFormatException(line, "completion " + e.f().jsonName() + " of key '" + e.key()
                        + "' does not match the invocation " + inv.f().jsonName() + " of key '" + inv.key() + "'");
            }
            if (e.f() != HistoryEvent.Fn.READ && e.value() != null && !e.value().equals(inv.value())) {
                throw new HistoryFormatException(line, "completion value " + e.value() + " differs from the invoked " + inv.value());
            }
            open.remove(e.process());
            if (e.type() == Type.INFO) {
                crashed.add(e.process());
            }
        }
        return new History(copy);
    }

    public List<HistoryEvent> events() {
        return events;
    }

    /**
     * The operations to check, in invocation order: ok operations with their interval, info and
     * never-completed operations as indeterminate (return at infinity); failed operations are dropped.
     */
    public List<Operation> operations() {
        Map<Integer, Integer> openIndex = new HashMap<>();
        List<HistoryEvent> invokes = new ArrayList<>();
        List<HistoryEvent> completions = new ArrayList<>();
        for (HistoryEvent e : events) {
            if (e.type() == Type.INVOKE) {
                openIndex.put(e.process(), invokes.size());
                invokes.add(e);
                completions.add(null);
            } else {
                completions.set(openIndex.remove(e.process()), e);
            }
        }
        List<Operation> ops = new ArrayList<>();
        for (int i = 0; i < invokes.size(); i++) {
            HistoryEvent inv = invokes.get(i);
            HistoryEvent done = completions.get(i);
            if (done != null && done.type() == Type.FAIL) {
                continue;
            }
            boolean ok = done != null && done.type() == Type.OK;
            Long output = ok && inv.f() == HistoryEvent.Fn.READ ? (Long) done.value() : null;
            ops.add(new Operation(ops.size(), inv.process(), inv.f(), inv.key(), inv.value(), output,
                    inv.timeNs(), ok ? done.timeNs() : Long.MAX_VALUE, !ok));
        }
        return Collections.unmodifiableList(ops);
    }

    /** The keys, in order of first appearance. */
    public List<String> keys() {
        Set<String> keys = new java.util.LinkedHashSet<>();
        for (HistoryEvent e : events) {
            keys.add(e.key());
        }
        return List.copyOf(keys);
    }

    /** One sub-history per key (P-compositionality: check each independently). */
    public Map<String, History> byKey() {
        Map<String, List<HistoryEvent>> parts = new LinkedHashMap<>();
        for (HistoryEvent e : events) {
            parts.computeIfAbsent(e.key(), k -> new ArrayList<>()).add(e);
        }
        Map<String, History> out = new LinkedHashMap<>();
        parts.forEach((k, v) -> out.put(k, new History(List.copyOf(v))));
        return out;
    }

    /** Counts of invoke / ok / fail / info events. */
    public Map<Type, Integer> counts() {
        Map<Type, Integer> c = new java.util.EnumMap<>(Type.class);
        for (Type t : Type.values()) {
            c.put(t, 0);
        }
        for (HistoryEvent e : events) {
            c.merge(e.type(), 1, Integer::sum);
        }
        return c;
    }
}
