/**
 * Raft (Ongaro and Ousterhout, "In Search of an Understandable Consensus Algorithm", USENIX ATC 2014;
 * Ongaro's dissertation, "Consensus: Bridging Theory and Practice", Stanford 2014), in parts as etcd's
 * {@code raft} package is:
 * <ul>
 *   <li>{@link io.github.dsw.raft.RaftNode}: the protocol's core as a pure state machine (tick, step,
 *       propose; every effect handed out by {@code ready()} as a {@link io.github.dsw.raft.Ready});</li>
 *   <li>{@link io.github.dsw.raft.RaftLog}: entries, the snapshot base and the index arithmetic over it;</li>
 *   <li>{@link io.github.dsw.raft.Progress} and {@link io.github.dsw.raft.Inflights}: what a leader knows of
 *       each peer (probe, replicate, snapshot) and its window of AppendEntries in flight;</li>
 *   <li>{@link io.github.dsw.raft.ReadOnly}: ReadIndex rounds and the contexts that date leases;</li>
 *   <li>{@link io.github.dsw.raft.Membership}, {@link io.github.dsw.raft.ConfChange}: the configuration;</li>
 *   <li>{@link io.github.dsw.raft.RaftConfig}: a server's settings; {@link io.github.dsw.raft.Mutation}: the
 *       deliberate bugs kept to show that a checker catches each one;</li>
 *   <li>{@link io.github.dsw.raft.RaftHost}: the one host that runs a node on the runtime API with a
 *       {@link io.github.dsw.raft.StateMachine}, its storage ({@link io.github.dsw.raft.RaftStorage}) and
 *       ticks ({@link io.github.dsw.raft.TickClock}); {@link io.github.dsw.raft.KvService} and
 *       {@link io.github.dsw.raft.KvStore} are the replicated key-value store on it.</li>
 * </ul>
 *
 * <p>What is implemented, with the paper's names (Ongaro and Ousterhout, USENIX ATC 2014, Figure 2;
 * Ongaro's dissertation, Stanford 2014):
 * <ul>
 *   <li>leader election with randomised timeouts in [electionTicks, 2 electionTicks) (section 5.2);</li>
 *   <li><b>PreVote</b> (dissertation 9.6): a would-be candidate first asks whether it could win, without
 *       raising anyone's term, so a partitioned server that rejoins does not depose a working leader;</li>
 *   <li><b>CheckQuorum</b> (dissertation 6.2): a leader that has not heard from a majority within an
 *       election timeout steps down, and a server that heard from a leader within the minimum election
 *       timeout ignores vote requests (the "lease" that makes PreVote and leader stickiness work);</li>
 *   <li>log replication with the consistency check and the fast back-off of section 5.3 (conflict term
 *       and first index of that term), and etcd's two follower states: probe (one AppendEntries at
 *       a time until the match point is known) and replicate (optimistic pipelining: nextIndex advances
 *       when entries are sent, and a rejection sends the follower back to probe)</li>
 *   <li>the commitment rule of section 5.4.2 (Figure 8): only entries of the current term are committed
 *       by counting replicas; earlier ones become committed indirectly. {@link Mutation#NAIVE_COUNTING}
 *       exists only to show, in a test, how the naive rule loses a committed entry;</li>
 *   <li>a no-op entry at the start of each leader's term (section 8), so that it commits promptly;</li>
 *   <li><b>log compaction</b> with snapshots (extended paper section 7, Figures 12 and 13; dissertation
 *       chapter 5, section 5.1): the application hands {@link RaftNode#compact} a snapshot of its state machine
 *       at an applied index, the log keeps only the entries after it, and every log access goes through
 *       index arithmetic over that base, all in {@link RaftLog} ({@code termAt(snapshotIndex) = snapshotTerm}). A leader that
 *       has already discarded the entries a follower needs sends its snapshot with <b>InstallSnapshot</b>,
 *       in chunks of {@code snapshotChunkBytes}, one chunk in flight, resent after a heartbeat interval
 *       without answer; the follower assembles them in a volatile buffer (a crash loses it and the leader
 *       starts again from offset 0), persists the snapshot before answering, keeps its log after the
 *       snapshot if it holds the snapshot's last entry (Figure 13, step 6), else discards it, and
 *       {@link RaftNode#ready()} hands the snapshot to the application to restore before any later entry.
 *       Not done: copy-on-write or concurrent snapshotting (dissertation 5.1.1: the state machines here
 *       are tiny and snapshot in one step), the snapshot policy (the application decides when to call
 *       {@link RaftNode#compact}; dissertation 5.1.2). The snapshot's {@link SnapshotMeta} carries the cluster
 *       configuration as of its last entry (dissertation Figure 5.3), the base from which a server that
 *       restarts from it or installs it derives its membership.</li>
 *   <li><b>membership changes</b>, one server at a time (dissertation 4.1-4.3, {@link RaftNode#proposeConfChange}):
 *       a {@link ConfChange} entry adds a learner, promotes one, or removes a server, and takes effect on
 *       each server as soon as it is in its log (and reverts if truncated away). Single-server changes,
 *       not joint consensus: when the voter set changes by one server, any majority of the old set and
 *       any majority of the new one share a server, so the two configurations can never elect two leaders
 *       or commit two different entries, and no intermediate configuration is needed. Joint consensus
 *       (paper section 6, dissertation 4.3) goes through C_old,new, in which every decision needs
 *       separate majorities of both sets, and so can change many servers at once; it costs a second
 *       configuration entry and double quorum counting everywhere, which is harder to get right for no
 *       gain when servers are added or removed one by one. Rules: one uncommitted change at a time, and
 *       none before the leader has committed its term's no-op (the fix of the bug Ongaro reported on
 *       raft-dev in 2015). Quorums everywhere (votes, commitment, CheckQuorum, ReadIndex, leases) are
 *       majorities of the current configuration's voters; servers outside it, and learners, never campaign;</li>
 *   <li><b>learners</b> (dissertation 4.2.1): a new server joins without a vote and receives the log; it may
 *       be promoted once a catch-up round (up to the leader's last index when the round began) took less
 *       than an election timeout ({@link PeerStatus#learnerCaughtUp});</li>
 *   <li><b>removing the leader</b> (4.2.2): it keeps leading, without counting itself, until the
 *       configuration that excludes it is committed, then steps down. <b>Removed servers</b> (4.2.3) cannot
 *       disrupt the cluster: CheckQuorum's lease makes servers that hear from a leader ignore their votes;</li>
 *   <li><b>leadership transfer</b> (dissertation 3.10, {@link RaftNode#transferLeadership}): catch the target up,
 *       send it TimeoutNow, it campaigns at once past PreVote and the voters' lease; aborts after an
 *       election timeout;</li>
 *   <li><b>ReadIndex</b> (6.4, {@link RaftNode#readIndex}) and <b>lease reads</b> (6.4.1, {@link RaftNode#leaseRead}): a
 *       leader serves reads from its own state while a majority acknowledged it less than
 *       electionTicks / (1 + maxClockDrift) of its ticks ago (safe only under that clock-drift bound).</li>
 * </ul>
 * Replication to a follower in replicate state is flow-controlled by a window of {@code maxInflight}
 * unacknowledged AppendEntries, which also batches: proposals made while the window is full leave together.
 *
 */
package io.github.dsw.raft;
