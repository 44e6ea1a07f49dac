package io.github.dsw.register;

import io.github.dsw.check.HistoryEvent.Cas;
import io.github.dsw.register.PrimaryBackupMessage.Heartbeat;
import io.github.dsw.register.PrimaryBackupMessage.Replicate;
import io.github.dsw.register.PrimaryBackupMessage.Reply;
import io.github.dsw.register.PrimaryBackupMessage.Request;
import io.github.dsw.runtime.Context;
import io.github.dsw.runtime.Node;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A deliberately naive primary-backup register, the kind of design the checker exists to catch.
 * The primary applies each operation locally, answers the client at once, and only then sends the
 * update to the backups, without waiting (asynchronous replication). Backups that miss the primary's
 * heartbeats for {@code FAILOVER_NS} pick the lowest-numbered server they have heard from recently
 * (themselves included) as the new primary. State is in memory only.
 *
 * <p>What goes wrong, each a linearizability violation: the primary acknowledges a write and crashes
 * before replicating it (the new primary serves the old value); a partition makes two primaries that
 * both accept writes and serve reads (split brain); a paused primary wakes up still believing it leads;
 * a restarted node comes back empty.
 */
public final class PrimaryBackupNode implements Node<PrimaryBackupMessage> {
    static final long HEARTBEAT_NS = 10_000_000;
    static final long FAILOVER_NS = 50_000_000;

    private record Tick() {
    }

    private final Map<String, Long> data = new HashMap<>();
    private long[] lastHeard;
    private int primary;

    @Override
    public void start(Context<PrimaryBackupMessage> ctx) {
        lastHeard = new long[ctx.servers()];
        java.util.Arrays.fill(lastHeard, ctx.now());
        primary = 0;
        ctx.setTimer(HEARTBEAT_NS, new Tick());
    }

    @Override
    public void receive(Context<PrimaryBackupMessage> ctx, int from, PrimaryBackupMessage message) {
        switch (message) {
            case Request r -> onRequest(ctx, from, r);
            case Replicate u -> data.put(u.key(), u.value());
            case Heartbeat h -> {
                lastHeard[from] = ctx.now();
                if (from < primary || primary == ctx.self() && from < ctx.self() || !alive(ctx, primary)) {
                    primary = from; // the lowest live primary wins
                }
            }
            case Reply r -> throw new IllegalStateException("servers do not receive replies: " + r);
        }
    }

    private void onRequest(Context<PrimaryBackupMessage> ctx, int client, Request r) {
        if (primary != ctx.self()) {
            ctx.send(client, new Reply(r.requestId(), false, null, primary));
            return;
        }
        Long current = data.get(r.key());
        switch (r.f()) {
            case READ -> ctx.send(client, new Reply(r.requestId(), true, current, -1));
            case WRITE -> update(ctx, client, r, (Long) r.value());
            case CAS -> {
                Cas c = (Cas) r.value();
                if (Objects.equals(current, c.expected())) {
                    update(ctx, client, r, c.update());
                } else {
                    ctx.send(client, new Reply(r.requestId(), false, null, -1));
                }
            }
        }
    }

    private void update(Context<PrimaryBackupMessage> ctx, int client, Request r, Long value) {
        data.put(r.key(), value);
        ctx.send(client, new Reply(r.requestId(), true, null, -1)); // acknowledged before replicated: the bug
        for (int s = 0; s < ctx.servers(); s++) {
            if (s != ctx.self()) {
                ctx.send(s, new Replicate(r.key(), value));
            }
        }
    }

    private boolean alive(Context<PrimaryBackupMessage> ctx, int node) {
        return node == ctx.self() || ctx.now() - lastHeard[node] < FAILOVER_NS;
    }

    @Override
    public void timer(Context<PrimaryBackupMessage> ctx, Object tag) {
        if (primary == ctx.self()) {
            for (int s = 0; s < ctx.servers(); s++) {
                if (s != ctx.self()) {
                    ctx.send(s, new Heartbeat());
                }
            }
        } else if (!alive(ctx, primary)) {
            int next = ctx.self();
            for (int s = 0; s < ctx.self(); s++) {
                if (alive(ctx, s)) {
                    next = s;
                    break;
                }
            }
            primary = next;
        }
        ctx.setTimer(HEARTBEAT_NS, tag);
    }
}
