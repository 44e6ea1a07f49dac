package io.github.dsw.cluster;

import io.github.dsw.check.HistoryEvent.Fn;
import io.github.dsw.register.AbdMessage;
import io.github.dsw.register.AbdNode;
import io.github.dsw.register.RegisterCodec;
import io.github.dsw.runtime.Codec;
import io.github.dsw.runtime.Node;

/**
 * Chapter 4's ABD atomic register, one register per key ({@link AbdNode}: Attiya, Bar-Noy and Dolev,
 * "Sharing memory robustly in message-passing systems", JACM 1995; multi-writer form of Lynch and
 * Shvartsman, FTCS 1997), as the cluster runs it. Reads and writes only: ABD cannot compare-and-set, a
 * cas is refused (a definite failure). The server a client contacts coordinates its operation; there is
 * no leader and no session, so an unanswered write is never re-sent to another server
 * ({@link #retriesAreSafe}).
 */
public final class AbdKv implements KvProtocol<AbdMessage> {

    public static final String NAME = "abd";
    public static final AbdKv PROTOCOL = new AbdKv();

    private AbdKv() {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Node<AbdMessage> node(int id, int servers) {
        return new AbdNode();
    }

    @Override
    public Codec<AbdMessage> codec() {
        return RegisterCodec.ABD_MESSAGES;
    }

    @Override
    public Codec<Object> durableCodec() {
        return RegisterCodec.DURABLE;
    }

    @Override
    public DiskStorage.Retention retention() {
        return DiskStorage.Retention.ALL;
    }

    @Override
    public String status(Node<AbdMessage> node) {
        return "abd: replica and coordinator (no leader)";
    }

    @Override
    public boolean supportsCas() {
        return false;
    }

    @Override
    public boolean retriesAreSafe() {
        return false;
    }

    @Override
    public AbdMessage request(long requestId, Fn f, String key, Object value) {
        return new AbdMessage.Request(requestId, f, key, f == Fn.WRITE ? (Long) value : null);
    }

    @Override
    public Answer answer(AbdMessage message) {
        return message instanceof AbdMessage.Reply r ? new Answer(r.requestId(), r.ok() ? Kind.OK : Kind.FAIL, r.value(), -1) : null;
    }

    @Override
    public Long localValue(Node<AbdMessage> node, String key) {
        return null; // a replica's copy is not the register's value: ABD has no local answer
    }
}
