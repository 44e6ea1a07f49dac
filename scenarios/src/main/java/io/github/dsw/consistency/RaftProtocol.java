package io.github.dsw.consistency;

import io.github.dsw.check.HistoryEvent.Fn;
import io.github.dsw.raft.KvMessage;
import java.util.List;

/** {@link KvClient}'s view of chapter 7's Raft key-value store: "not the leader" is a redirect. */
final class RaftProtocol implements KvClient.Protocol<KvMessage> {

    @Override
    public KvMessage get(long requestId, String key) {
        return new KvMessage.Request(requestId, Fn.READ, key, null);
    }

    @Override
    public KvMessage put(long requestId, String key, long value, Object context) {
        return new KvMessage.Request(requestId, Fn.WRITE, key, value);
    }

    @Override
    public KvClient.Answer answer(KvMessage message) {
        if (!(message instanceof KvMessage.Reply r)) {
            return null;
        }
        if (r.retry()) {
            return new KvClient.Answer(r.requestId(), KvClient.Status.REDIRECT, List.of(), null, r.redirect());
        }
        return new KvClient.Answer(r.requestId(), r.ok() ? KvClient.Status.OK : KvClient.Status.FAIL,
                r.value() == null ? List.of() : List.of(r.value()), null, -1);
    }
}
