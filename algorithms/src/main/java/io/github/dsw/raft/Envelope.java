package io.github.dsw.raft;

/** A message to send to server {@code to}. */
public record Envelope(int to, RaftMessage message) {
}
