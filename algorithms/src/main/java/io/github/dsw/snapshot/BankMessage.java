package io.github.dsw.snapshot;

/**
 * Messages of the bank-transfer application and of the snapshot algorithm. Every message carries its
 * channel sequence number {@code seq} (1, 2, ... per directed channel), which the receiver uses to deliver
 * in FIFO order when {@link BankNode} runs over FIFO channels, and the checker uses to name messages.
 */
public sealed interface BankMessage {

    int seq();

    /** {@code amount} moves from the sender's account to the receiver's. */
    record Transfer(int seq, long amount) implements BankMessage {
    }

    /** Chandy and Lamport's marker: "I recorded my state before sending this; everything after it is after the cut". */
    record Marker(int seq) implements BankMessage {
    }
}
