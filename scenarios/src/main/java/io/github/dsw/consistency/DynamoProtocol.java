package io.github.dsw.consistency;

import io.github.dsw.consistency.dynamo.DynamoMessage;
import io.github.dsw.consistency.dynamo.VersionVector;

/** {@link KvClient}'s view of the Dynamo-style store: a write carries the context of the last read of its key. */
final class DynamoProtocol implements KvClient.Protocol<DynamoMessage> {

    @Override
    public DynamoMessage get(long requestId, String key) {
        return new DynamoMessage.Get(requestId, key);
    }

    @Override
    public DynamoMessage put(long requestId, String key, long value, Object context) {
        return new DynamoMessage.Put(requestId, key, value, context == null ? VersionVector.EMPTY : (VersionVector) context);
    }

    @Override
    public KvClient.Answer answer(DynamoMessage message) {
        if (!(message instanceof DynamoMessage.Reply r)) {
            return null;
        }
        return new KvClient.Answer(r.requestId(), r.ok() ? KvClient.Status.OK : KvClient.Status.FAIL, r.values(), r.context(), -1);
    }
}
