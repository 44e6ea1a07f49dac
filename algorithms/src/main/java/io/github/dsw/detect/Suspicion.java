package io.github.dsw.detect;

/**
 * What a failure detector reports through {@code Context.output} when its binary output about
 * {@code member} changes: an S-transition ({@code suspected} true) or a T-transition (false), in the
 * terms of Chen, Toueg and Aguilera (2002, §2.1). The QoS metrics are computed from these transitions.
 */
public record Suspicion(int member, boolean suspected) {
}
