package io.github.dsw.labs;

import io.github.dsw.register.AbdMessage;
import io.github.dsw.runtime.Node;

/**
 * Lab {@code abd}: the ABD atomic register (chapter 4; Attiya, Bar-Noy and Dolev, JACM 1995, in the multi-writer form
 * of Lynch and Shvartsman, FTCS 1997), one register per key, written as a server on the runtime API: every server is
 * a replica and coordinates the operations its clients send it. Graded in the simulator: the linearizability checker
 * on histories under every nemesis, and the messages per operation. The student's class needs a public no-argument
 * constructor: the simulator makes a fresh node per server and per restart.
 */
public interface AbdLab extends Node<AbdMessage> {
}
