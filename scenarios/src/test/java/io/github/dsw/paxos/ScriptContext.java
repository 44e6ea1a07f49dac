package io.github.dsw.paxos;

import io.github.dsw.runtime.Context;
import io.github.dsw.runtime.SplitMix64;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A hand-driven {@link Context} for scripted role tests: it records sends, and makes writes durable
 * only when {@link #completeFsync} is called, so a test can crash a role between any two steps.
 */
final class ScriptContext<M> implements Context<M> {
    record Sent<M>(int to, M message) {
    }

    private final int self;
    private final int servers;
    final Map<String, Object> durable;
    private final Map<String, Object> view;
    private final Map<String, Object> unsynced = new HashMap<>();
    final List<Sent<M>> sent = new ArrayList<>();
    boolean fsyncRequested;
    long now;
    final List<Object> outputs = new ArrayList<>();
    private final SplitMix64 random = new SplitMix64(1);

    ScriptContext(int self, int servers) {
        this(self, servers, new HashMap<>());
    }

    private ScriptContext(int self, int servers, Map<String, Object> durable) {
        this.self = self;
        this.servers = servers;
        this.durable = durable;
        this.view = new HashMap<>(durable);
    }

    /** The context of a restarted process: only what was durable survives. */
    ScriptContext<M> crashAndRestart() {
        return new ScriptContext<>(self, servers, new HashMap<>(durable));
    }

    /** The pending fsync completes: buffered writes become durable. */
    void completeFsync() {
        durable.putAll(unsynced);
        unsynced.clear();
        fsyncRequested = false;
    }

    /** Returns and clears what was sent. */
    List<Sent<M>> drain() {
        List<Sent<M>> out = List.copyOf(sent);
        sent.clear();
        return out;
    }

    @Override
    public int self() {
        return self;
    }

    @Override
    public int servers() {
        return servers;
    }

    @Override
    public long now() {
        return now;
    }

    /** A scripted clock is never set, so the monotonic clock is the same clock. */
    @Override
    public long monotonicNow() {
        return now;
    }

    @Override
    public SplitMix64 random() {
        return random;
    }

    @Override
    public void send(int to, M message) {
        sent.add(new Sent<>(to, message));
    }

    @Override
    public long setTimer(long delayNs, Object tag) {
        return 1;
    }

    @Override
    public void cancelTimer(long timerId) {
    }

    @Override
    public Object read(String key) {
        return view.get(key);
    }

    @Override
    public void write(String key, Object value) {
        view.put(key, value);
        unsynced.put(key, value);
    }

    @Override
    public void fsync() {
        fsyncRequested = true;
    }

    @Override
    public void output(Object event) {
        outputs.add(event);
    }
}
