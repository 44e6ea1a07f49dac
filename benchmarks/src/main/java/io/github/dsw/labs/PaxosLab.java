package io.github.dsw.labs;

import io.github.dsw.paxos.PaxosMessage;
import io.github.dsw.runtime.Node;

/**
 * Lab {@code paxos}: single-decree Paxos (chapter 6; Lamport, "Paxos Made Simple", 2001), a server hosting a
 * proposer, an acceptor and a learner. The student writes the proposer (phases 1a and 2a, with the rule of P2c) and
 * the acceptor (phases 1b and 2b, durable before answering); the learner's wiring is in the skeleton. Graded in the
 * simulator over many seeds: a monitor that reads every acceptor's durable state after every event checks that at
 * most one value is chosen and that learners agree (safety under every nemesis), and every client must learn the
 * decision once faults heal (liveness). The student's class needs a public no-argument constructor.
 */
public interface PaxosLab extends Node<PaxosMessage> {
}
