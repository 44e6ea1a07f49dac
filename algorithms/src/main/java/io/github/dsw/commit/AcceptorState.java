package io.github.dsw.commit;

import java.util.Arrays;

/**
 * What one acceptor holds, durably, for one transaction: for each of the N instances (one per RM) the
 * highest ballot it promised ({@code mbal}), and the ballot and value of its last vote ({@code bal} = -1:
 * none). Immutable: every change returns a copy, so that the durable value cannot change behind the
 * storage's back. The names are those of Gray and Lamport's TLA+ specification (section 4 and appendix).
 */
final class AcceptorState {
    private final int[] mbal;
    private final int[] bal;
    private final boolean[] prepared;

    private AcceptorState(int[] mbal, int[] bal, boolean[] prepared) {
        this.mbal = mbal;
        this.bal = bal;
        this.prepared = prepared;
    }

    /** Nothing promised, nothing accepted, for {@code n} instances. */
    static AcceptorState initial(int n) {
        int[] b = new int[n];
        Arrays.fill(b, -1);
        return new AcceptorState(new int[n], b, new boolean[n]);
    }

    int mbal(int ins) {
        return mbal[ins];
    }

    int bal(int ins) {
        return bal[ins];
    }

    boolean prepared(int ins) {
        return prepared[ins];
    }

    int instances() {
        return mbal.length;
    }

    /** A copy that promises ballot {@code b} for instance {@code ins}. */
    AcceptorState promise(int ins, int b) {
        AcceptorState s = copy();
        s.mbal[ins] = b;
        return s;
    }

    /** A copy that votes {@code value} in ballot {@code b} for instance {@code ins}. */
    AcceptorState accept(int ins, int b, boolean value) {
        AcceptorState s = copy();
        s.mbal[ins] = b;
        s.bal[ins] = b;
        s.prepared[ins] = value;
        return s;
    }

    private AcceptorState copy() {
        return new AcceptorState(mbal.clone(), bal.clone(), prepared.clone());
    }
}
