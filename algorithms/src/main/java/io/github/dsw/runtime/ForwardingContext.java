package io.github.dsw.runtime;

/**
 * A {@link Context} that hands every call to another one: subclass it to observe or transform some
 * effects (count the messages a step sends, pass values through a codec) and inherit the rest. Every
 * method is forwarded here, once, so that a wrapper cannot forget one: a hand-written wrapper that
 * relied on a default method once answered {@code now()} for {@link #monotonicNow()}.
 *
 * @param <M> the protocol's message type
 */
public abstract class ForwardingContext<M> implements Context<M> {
    private final Context<M> delegate;

    protected ForwardingContext(Context<M> delegate) {
        if (delegate == null) {
            throw new IllegalArgumentException("delegate must not be null");
        }
        this.delegate = delegate;
    }

    @Override
    public int self() {
        return delegate.self();
    }

    @Override
    public int servers() {
        return delegate.servers();
    }

    @Override
    public long now() {
        return delegate.now();
    }

    @Override
    public long monotonicNow() {
        return delegate.monotonicNow();
    }

    @Override
    public Rng random() {
        return delegate.random();
    }

    @Override
    public void send(int to, M message) {
        delegate.send(to, message);
    }

    @Override
    public long setTimer(long delayNs, Object tag) {
        return delegate.setTimer(delayNs, tag);
    }

    @Override
    public void cancelTimer(long timerId) {
        delegate.cancelTimer(timerId);
    }

    @Override
    public Object read(String key) {
        return delegate.read(key);
    }

    @Override
    public void write(String key, Object value) {
        delegate.write(key, value);
    }

    @Override
    public void fsync() {
        delegate.fsync();
    }

    @Override
    public void awaitDurable() {
        delegate.awaitDurable();
    }

    @Override
    public void output(Object event) {
        delegate.output(event);
    }
}
