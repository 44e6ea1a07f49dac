package io.github.dsw.paxos;

/**
 * Messages of single-decree Paxos ("Paxos Made Simple", sections 2.2 and 2.3), plus the client's
 * request and answer. Phase 1 is prepare/promise, phase 2 is accept/accepted.
 */
public sealed interface PaxosMessage {

    /** A client asks a server to get {@code value} chosen (or to tell it what was chosen). */
    record Propose(long value) implements PaxosMessage {
    }

    /** The answer to a client: the chosen value, which may be another client's. */
    record Decided(long value) implements PaxosMessage {
    }

    /** Phase 1a: "promise not to accept anything below {@code ballot}, and tell me what you accepted". */
    record Prepare(Ballot ballot) implements PaxosMessage {
    }

    /**
     * Phase 1b: the acceptor promises {@code ballot} and reports the highest-numbered proposal it has
     * accepted ({@code acceptedBallot} is {@link Ballot#ZERO} and {@code acceptedValue} null if none).
     */
    record Promise(Ballot ballot, Ballot acceptedBallot, Long acceptedValue) implements PaxosMessage {
    }

    /** A refusal: the acceptor has promised {@code promised}, above the requested {@code ballot}. */
    record Nack(Ballot ballot, Ballot promised) implements PaxosMessage {
    }

    /** Phase 2a: "accept proposal ({@code ballot}, {@code value})". */
    record Accept(Ballot ballot, long value) implements PaxosMessage {
    }

    /** Phase 2b, sent by an acceptor to every learner once the acceptance is durable. */
    record Accepted(Ballot ballot, long value) implements PaxosMessage {
    }

    /** A learner that knows the chosen value tells the others (section 2.3, "distinguished learner"). */
    record Chosen(long value) implements PaxosMessage {
    }
}
