package io.github.dsw.raft;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.dsw.raft.RaftMessage.RequestVote;
import io.github.dsw.raft.RaftMessage.VoteResponse;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link RaftConfig#timerResetOnNewTerm}: the paper's Figure 2 ("If election timeout elapses without receiving
 * AppendEntries RPC from current leader or granting vote to candidate: convert to candidate") against etcd's
 * {@code becomeFollower}, which restarts the timer on every new term. Election timeout fixed at 10 ticks.
 */
class RaftTimerRuleTest {

    private static RaftNode follower(boolean resetOnNewTerm) {
        RaftConfig c = RaftConfig.builder(0, 3).preVote(false).checkQuorum(false).electionTicks(10, 10).heartbeatTicks(2)
                .timerResetOnNewTerm(resetOnNewTerm).build();
        // One entry of term 1: a candidate with an empty log is less up-to-date (section 5.4.1) and is refused.
        return RaftNode.restart(c, b -> 0, new HardState(1, RaftNode.NONE), List.of(new LogEntry(1, "x")));
    }

    private static void tick(RaftNode n, int times) {
        for (int i = 0; i < times; i++) {
            n.tick();
        }
    }

    @Test
    void paperRuleRefusedVoteInANewTermKeepsTheRunningTimer() {
        RaftNode n = follower(false);
        tick(n, 5);
        n.step(1, new RequestVote(2, 0, 0, false));
        assertEquals(2, n.currentTerm());
        assertEquals(RaftNode.NONE, n.status().vote(), "refused: the candidate's log is shorter");
        tick(n, 4);
        assertEquals(RaftNode.Role.FOLLOWER, n.role());
        tick(n, 1); // 10 ticks since the last reset: the new term did not restart the timer
        assertEquals(RaftNode.Role.CANDIDATE, n.role());
        assertEquals(3, n.currentTerm());
    }

    @Test
    void etcdRuleRefusedVoteInANewTermRestartsTheTimer() {
        RaftNode n = follower(true);
        tick(n, 5);
        n.step(1, new RequestVote(2, 0, 0, false));
        tick(n, 9);
        assertEquals(RaftNode.Role.FOLLOWER, n.role());
        tick(n, 1);
        assertEquals(RaftNode.Role.CANDIDATE, n.role());
    }

    @Test
    void paperRuleGrantedVoteStillRestartsTheTimer() {
        RaftNode n = follower(false);
        tick(n, 5);
        n.step(1, new RequestVote(2, 1, 1, false)); // as up-to-date as ours: granted
        assertEquals(1, n.status().vote());
        tick(n, 9);
        assertEquals(RaftNode.Role.FOLLOWER, n.role());
        tick(n, 1);
        assertEquals(RaftNode.Role.CANDIDATE, n.role());
    }

    @Test
    void paperRuleCandidateSeeingAHigherTermKeepsItsCandidacyTimer() {
        RaftNode n = follower(false);
        tick(n, 10);
        assertEquals(RaftNode.Role.CANDIDATE, n.role()); // term 2, timer restarted by the candidacy
        tick(n, 3);
        n.step(2, new VoteResponse(3, false, false)); // a higher term: step down to follower of term 3
        assertEquals(RaftNode.Role.FOLLOWER, n.role());
        tick(n, 6);
        assertEquals(RaftNode.Role.FOLLOWER, n.role());
        tick(n, 1); // 10 ticks after the candidacy began
        assertEquals(RaftNode.Role.CANDIDATE, n.role());
        assertEquals(4, n.currentTerm());
    }
}
