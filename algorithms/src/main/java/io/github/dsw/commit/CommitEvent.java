package io.github.dsw.commit;

/**
 * What an RM reports through {@code Context.output}, for the atomic-commit checker: its vote and its
 * decision. Outputs leave a step only after its writes are durable, so a reported vote is a durable one.
 */
public sealed interface CommitEvent {

    long tx();

    int rm();

    /** RM {@code rm} voted on {@code tx}: yes (prepared) or no. */
    record Voted(long tx, int rm, boolean yes) implements CommitEvent {
    }

    /** RM {@code rm} learned the outcome of {@code tx} (reported again by a later incarnation if it learns it again). */
    record Decided(long tx, int rm, boolean commit) implements CommitEvent {
    }
}
