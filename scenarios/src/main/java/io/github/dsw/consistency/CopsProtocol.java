package io.github.dsw.consistency;

import io.github.dsw.consistency.cops.CopsMessage;
import io.github.dsw.consistency.cops.CopsMessage.Dep;
import io.github.dsw.consistency.cops.CopsMessage.Version;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@link KvClient}'s view of the COPS store, with COPS's client library (Lloyd et al., SOSP 2011, section 4.2): the
 * client's context holds the {@code <key, version>} of every value read since its last put, and that put; a put
 * sends them as its nearest dependencies and then replaces the context by the put alone (the put depends on all of
 * them, so they are implied). One instance per client.
 */
final class CopsProtocol implements KvClient.Protocol<CopsMessage> {

    private final Map<String, Version> context = new LinkedHashMap<>();

    @Override
    public CopsMessage get(long requestId, String key) {
        return new CopsMessage.Get(requestId, -1, key);
    }

    @Override
    public CopsMessage put(long requestId, String key, long value, Object ignored) {
        List<Dep> deps = new ArrayList<>();
        context.forEach((k, v) -> deps.add(new Dep(k, v)));
        return new CopsMessage.Put(requestId, -1, key, value, deps);
    }

    @Override
    public KvClient.Answer answer(CopsMessage message) {
        switch (message) {
            case CopsMessage.GetReply r -> {
                if (r.version() != null) {
                    context.merge(r.key(), r.version(), (a, b) -> a.compareTo(b) >= 0 ? a : b);
                }
                return new KvClient.Answer(r.requestId(), KvClient.Status.OK, r.value() == null ? List.of() : List.of(r.value()), null, -1);
            }
            case CopsMessage.PutReply r -> {
                context.clear();
                context.put(r.key(), r.version());
                return new KvClient.Answer(r.requestId(), KvClient.Status.OK, List.of(), null, -1);
            }
            default -> {
                return null;
            }
        }
    }
}
