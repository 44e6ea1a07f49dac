package io.github.dsw.consistency;

import io.github.dsw.consistency.causal.CausalMessage;
import java.util.List;

/** {@link KvClient}'s view of the causal store. */
final class CausalProtocol implements KvClient.Protocol<CausalMessage> {

    @Override
    public CausalMessage get(long requestId, String key) {
        return new CausalMessage.Request(requestId, key, null);
    }

    @Override
    public CausalMessage put(long requestId, String key, long value, Object context) {
        return new CausalMessage.Request(requestId, key, value);
    }

    @Override
    public KvClient.Answer answer(CausalMessage message) {
        if (!(message instanceof CausalMessage.Reply r)) {
            return null;
        }
        return new KvClient.Answer(r.requestId(), KvClient.Status.OK, r.value() == null ? List.of() : List.of(r.value()), null, -1);
    }
}
