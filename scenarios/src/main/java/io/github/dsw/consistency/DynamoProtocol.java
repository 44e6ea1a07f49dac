package io.github.dsw.consistency;

import io.github.dsw.consistency.dynamo.DynamoMessage;
import io.github.dsw.consistency.dynamo.VersionVector;
import java.util.HashMap;
import java.util.Map;

/**
 * {@link KvClient}'s view of the Dynamo-style store, one per client: a write's version vector is the context of the
 * client's last read of the key merged with its own last write of it, with the client's own entry (its actor id)
 * incremented.
 */
final class DynamoProtocol implements KvClient.Protocol<DynamoMessage> {

    private final int actor;
    private long counter;
    private final Map<String, VersionVector> own = new HashMap<>();

    DynamoProtocol(int actor) {
        this.actor = actor;
    }

    @Override
    public DynamoMessage get(long requestId, String key) {
        return new DynamoMessage.Get(requestId, key);
    }

    @Override
    public DynamoMessage put(long requestId, String key, long value, Object context) {
        VersionVector read = context == null ? VersionVector.EMPTY : (VersionVector) context;
        VersionVector clock = read.merge(own.getOrDefault(key, VersionVector.EMPTY)).with(actor, ++counter);
        own.put(key, clock);
        return new DynamoMessage.Put(requestId, key, value, clock);
    }

    @Override
    public KvClient.Answer answer(DynamoMessage message) {
        if (!(message instanceof DynamoMessage.Reply r)) {
            return null;
        }
        return new KvClient.Answer(r.requestId(), r.ok() ? KvClient.Status.OK : KvClient.Status.FAIL, r.values(), r.context(), -1);
    }
}
