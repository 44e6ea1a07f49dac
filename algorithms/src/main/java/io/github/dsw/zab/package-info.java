/**
 * Zab, ZooKeeper's atomic broadcast (Junqueira, Reed and Serafini, "Zab: High-performance broadcast for
 * primary-backup systems", DSN 2011), as a pure state machine on the runtime API:
 * <ul>
 *   <li>{@link io.github.dsw.zab.ZabNode}: one server through fast leader election, discovery
 *       (CEPOCH, NEWEPOCH, ACK-E), synchronisation (NEWLEADER with DIFF, TRUNC or SNAP, ACK-LD, UPTODATE) and
 *       broadcast (PROPOSAL, ACK, COMMIT), recovering from its durable accepted epoch, current epoch and history;</li>
 *   <li>{@link io.github.dsw.zab.Zxid} and {@link io.github.dsw.zab.Txn}: transaction ids ⟨epoch, counter⟩ and
 *       the transactions of a history; {@link io.github.dsw.zab.ZabMessage}: everything on the wire;</li>
 *   <li>{@link io.github.dsw.zab.ZabKvServer}: a ZooKeeper-like key-value server on it (linearizable writes,
 *       FIFO client order, plain reads that may be stale, sync + read that is linearizable);</li>
 *   <li>{@link io.github.dsw.zab.Mutation}: the deliberate bugs the invariants catch.</li>
 * </ul>
 * The properties checked (the paper's section III) are in {@code io.github.dsw.zab.ZabInvariants} (scenarios).
 */
package io.github.dsw.zab;
