import io.github.dsw.check.HistoryEvent.Fn;
import io.github.dsw.labs.AbdLab;
import io.github.dsw.register.AbdMessage;
import io.github.dsw.register.AbdMessage.Query;
import io.github.dsw.register.AbdMessage.QueryReply;
import io.github.dsw.register.AbdMessage.Reply;
import io.github.dsw.register.AbdMessage.Request;
import io.github.dsw.register.AbdMessage.Store;
import io.github.dsw.register.AbdMessage.StoreAck;
import io.github.dsw.register.AbdMessage.Tag;
import io.github.dsw.runtime.Context;

/**
 * Lab abd (course chapter 4): the ABD atomic register, multi-writer, one register per key, as a server on the
 * runtime API ({@code io.github.dsw.runtime.Node}). Every server is a replica; a client sends a {@link Request}
 * (READ or WRITE; answer CAS with {@code Reply(requestId, false, null)}: ABD cannot do it) to one server, which
 * coordinates the operation in two phases and answers with a {@link Reply}:
 * <ol>
 *   <li>send {@link Query} to every server (itself included) and wait for a majority of {@link QueryReply}s; take
 *       the largest (tag, value);</li>
 *   <li>send {@link Store} to every server and wait for a majority of {@link StoreAck}s. A write stores its value
 *       under a new tag {@code Tag(largest.ts() + 1, ctx.self(), opId)}; a read writes back the largest (tag, value)
 *       it saw and returns that value (without the write-back two reads can see new then old).</li>
 * </ol>
 * A replica adopts a stored (tag, value) only if the tag is larger than its own, keeps it with
 * {@code ctx.write("k:" + key, ...)} and calls {@code ctx.fsync()} before it acknowledges (a crash loses unsynced
 * writes). Count each replica's answer once per phase (messages are duplicated), and retransmit a phase with a timer
 * ({@code ctx.setTimer}) until a majority answers (messages are lost). Operation ids must not collide with the ones
 * of your previous incarnation after a crash: mix {@code ctx.random().nextLong()} drawn in {@link #start} into them.
 *
 * <p>Graded in the simulator: linearizable histories under every nemesis, every operation completed once faults
 * stop, and at most 16 messages per operation without faults on 3 servers. Grade: {@code ./dsw grade abd}.
 */
public final class StudentAbd implements AbdLab {

    @Override
    public void start(Context<AbdMessage> ctx) {
        // rebuild volatile state here (a restarted server starts with none); durable state comes from ctx.read
    }

    @Override
    public void receive(Context<AbdMessage> ctx, int from, AbdMessage message) {
        switch (message) {
            case Request r -> throw new UnsupportedOperationException("lab abd: coordinating a " + r.f() + " is not implemented yet");
            case Query q -> throw new UnsupportedOperationException("lab abd: answering a Query is not implemented yet");
            case QueryReply qr -> throw new UnsupportedOperationException("lab abd: phase 1 (QueryReply) is not implemented yet");
            case Store s -> throw new UnsupportedOperationException("lab abd: storing is not implemented yet");
            case StoreAck a -> throw new UnsupportedOperationException("lab abd: phase 2 (StoreAck) is not implemented yet");
            case Reply r -> throw new IllegalStateException("servers do not receive replies: " + r);
        }
    }

    @Override
    public void timer(Context<AbdMessage> ctx, Object tag) {
        throw new UnsupportedOperationException("lab abd: retransmission is not implemented yet");
    }
}
