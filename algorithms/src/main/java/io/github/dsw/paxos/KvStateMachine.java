package io.github.dsw.paxos;

import io.github.dsw.check.HistoryEvent.Cas;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The replicated key-value store that Multi-Paxos feeds, one chosen command at a time in slot order
 * (the state-machine approach, "Paxos Made Simple", section 3). It suppresses duplicates: a request id
 * already applied is not applied again, and its first result is returned (a command can be chosen in
 * two slots when a request is forwarded again, or re-proposed after a leader change). So every client
 * request takes effect at most once, and exactly once if it is chosen at all.
 */
public final class KvStateMachine {

    /** The result of an operation: {@code ok} false only for a cas whose expected value did not match. */
    public record Result(boolean ok, Long value) {
    }

    private final Map<String, Long> data = new HashMap<>();
    private final Map<Long, Result> results = new HashMap<>();
    private long applied;
    private long duplicates;

    /** Applies {@code c}, or returns its earlier result if its request id was applied before. */
    public Result apply(Command c) {
        Result earlier = results.get(c.requestId());
        if (earlier != null) {
            duplicates++;
            return earlier;
        }
        Long current = data.get(c.key());
        Result r = switch (c.f()) {
            case READ -> new Result(true, current);
            case WRITE -> {
                data.put(c.key(), (Long) c.value());
                yield new Result(true, null);
            }
            case CAS -> {
                Cas cas = (Cas) c.value();
                if (Objects.equals(current, cas.expected())) {
                    data.put(c.key(), cas.update());
                    yield new Result(true, null);
                }
                yield new Result(false, null);
            }
        };
        results.put(c.requestId(), r);
        applied++;
        return r;
    }

    /** The result of request {@code requestId} if it was applied, else null. */
    public Result result(long requestId) {
        return results.get(requestId);
    }

    /** The current value of {@code key}, or null. */
    public Long get(String key) {
        return data.get(key);
    }

    /** Distinct client commands applied. */
    public long applied() {
        return applied;
    }

    /** Commands ignored because their request had already been applied. */
    public long duplicates() {
        return duplicates;
    }
}
