package io.github.dsw.runtime;

import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.IntFunction;

/**
 * A server whose every incoming message, outgoing message and durable write goes through bytes: the
 * wrapped node sees only decoded copies, and its storage holds only decoded copies. A copy that is not
 * equal to the original throws {@link IllegalStateException} (inside the simulation, with the value).
 * Since equal records print the same, a run of transcoded servers must give the same trace and history
 * as the same run of plain ones: the codecs' test on the values a real run produces.
 */
public final class Transcoded<M> implements Node<M> {

    /** How many values went through the codecs, and of which types (simple class names). */
    public static final class Counts {
        public long messages;
        public long durable;
        public final Set<String> types = new TreeSet<>();

        @Override
        public String toString() {
            return messages + " messages, " + durable + " durable writes, types " + types;
        }
    }

    private final Node<M> node;
    private final Codec<M> messages;
    private final Codec<Object> durable;
    private final Counts counts;

    private Transcoded(Node<M> node, Codec<M> messages, Codec<Object> durable, Counts counts) {
        this.node = node;
        this.messages = messages;
        this.durable = durable;
        this.counts = counts;
    }

    /** Wraps every server {@code factory} makes (also the new incarnation after a restart). */
    public static <M> IntFunction<Node<M>> servers(IntFunction<Node<M>> factory, Codec<M> messages, Codec<Object> durable, Counts counts) {
        return id -> new Transcoded<>(factory.apply(id), messages, durable, counts);
    }

    /**
     * Runs {@code run} (a whole simulation, returning its fingerprint: trace hash, history) once on plain
     * servers and once on transcoded ones, and checks both give the same fingerprint.
     *
     * @return how many messages and durable writes the transcoded run put through the codecs
     */
    public static <M> Counts assertSameRun(IntFunction<Node<M>> plain, Codec<M> messages, Codec<Object> durable,
                                           Function<IntFunction<Node<M>>, String> run) {
        Counts counts = new Counts();
        String expected = run.apply(plain);
        String actual = run.apply(servers(plain, messages, durable, counts));
        if (!expected.equals(actual)) {
            throw new AssertionError("the run on decoded copies differs from the plain run:\n" + expected + "\n" + actual);
        }
        return counts;
    }

    private <T> T copy(Codec<T> codec, T value) {
        counts.types.add(value.getClass().getSimpleName());
        T copy = codec.decode(codec.encode(value));
        if (!copy.equals(value)) {
            throw new IllegalStateException("decoded copy " + copy + " differs from " + value);
        }
        return copy;
    }

    /** The wrapped node. */
    public Node<M> node() {
        return node;
    }

    /** The node itself if {@code n} is a plain server, the wrapped one if it is transcoded. */
    public static <M> Node<M> unwrap(Node<M> n) {
        return n instanceof Transcoded<M> t ? t.node : n;
    }

    @Override
    public void start(Context<M> ctx) {
        node.start(wrap(ctx));
    }

    @Override
    public void receive(Context<M> ctx, int from, M message) {
        counts.messages++;
        node.receive(wrap(ctx), from, copy(messages, message));
    }

    @Override
    public void timer(Context<M> ctx, Object tag) {
        node.timer(wrap(ctx), tag);
    }

    private Context<M> wrap(Context<M> ctx) {
        return new ForwardingContext<>(ctx) {
            @Override
            public void send(int to, M message) {
                counts.messages++;
                super.send(to, copy(messages, message));
            }

            @Override
            public void write(String key, Object value) {
                counts.durable++;
                super.write(key, copy(durable, value));
            }
        };
    }
}
