package io.github.dsw.commit;

/**
 * Where the roles live. RM {@code r} is process {@code r} ({@code 0 .. N-1}). The coordinator (2PC and
 * 3PC's TM, Paxos Commit's initial leader) is RM 0's process when {@code colocated}, otherwise process
 * {@code N}. Paxos Commit's {@code 2F+1} acceptors: acceptor {@code a} shares RM {@code a}'s process when
 * co-located and {@code a < N}, otherwise it has a process of its own after the others. Messages between
 * roles of one process are handed over locally and are not messages: that is what co-location saves in
 * the paper's counts (Gray and Lamport 2006, sections 3.2 and 5).
 *
 * @param participants N, the number of RMs (1..99)
 * @param faults       F, the number of acceptor faults Paxos Commit tolerates (0 for 2PC and 3PC)
 * @param acceptors    whether the protocol has acceptors (Paxos Commit) or not
 * @param colocated    whether the coordinator and acceptors run on RMs' processes
 */
public record Layout(int participants, int faults, boolean acceptors, boolean colocated) {

    public Layout {
        if (participants < 1 || participants > 99) {
            throw new IllegalArgumentException("participants must be in 1..99, got " + participants);
        }
        if (faults < 0 || faults > 9 || (!acceptors && faults != 0)) {
            throw new IllegalArgumentException("faults must be in 0..9, and 0 without acceptors, got " + faults);
        }
    }

    /** A TM and N RMs (2PC, 3PC). */
    public static Layout coordinated(int participants, boolean colocated) {
        return new Layout(participants, 0, false, colocated);
    }

    /** A leader, N RMs and 2F+1 acceptors (Paxos Commit). */
    public static Layout paxos(int participants, int faults, boolean colocated) {
        return new Layout(participants, faults, true, colocated);
    }

    /** Number of acceptors, 2F+1 (0 without acceptors). */
    public int acceptorCount() {
        return acceptors ? 2 * faults + 1 : 0;
    }

    /** Acceptors a ballot needs: a majority, F+1. */
    public int majority() {
        return faults + 1;
    }

    /** Process of RM {@code r}. */
    public int rm(int r) {
        return r;
    }

    /** Process of the coordinator (TM or initial leader). */
    public int coordinator() {
        return colocated ? 0 : participants;
    }

    /** Process of acceptor {@code a}. */
    public int acceptor(int a) {
        if (colocated) {
            return a < participants ? a : participants + (a - participants);
        }
        return participants + 1 + a;
    }

    /** Number of processes the simulator must create. */
    public int processes() {
        if (colocated) {
            return participants + Math.max(0, acceptorCount() - participants);
        }
        return participants + 1 + acceptorCount();
    }

    /** The RM on process {@code p}, or -1. */
    public int rmAt(int p) {
        return p < participants ? p : -1;
    }

    /** The acceptor on process {@code p}, or -1. */
    public int acceptorAt(int p) {
        for (int a = 0; a < acceptorCount(); a++) {
            if (acceptor(a) == p) {
                return a;
            }
        }
        return -1;
    }

    /** Whether process {@code p} hosts the coordinator. */
    public boolean isCoordinator(int p) {
        return p == coordinator();
    }
}
