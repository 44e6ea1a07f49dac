package io.github.dsw.labs;

import io.github.dsw.raft.RaftRules;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Lab {@code raft}: the student's four Raft parts together (as MIT 6.5840's 3A-3D graded as one Raft). Where the
 * four part labs each swap one part into the reference, here every server runs the student's election, replication,
 * persistence and snapshot rules at once, and the same tests as the four labs grade it: each part's hand-made cases
 * on that part, and every simulated run (Figure 3 invariants after every event, the linearizability checker under the
 * nemeses, restarts, InstallSnapshot catch-up, the performance targets) on the whole student Raft. A test is named
 * after its part: {@code election/request-vote-receiver-cases}.
 */
final class RaftLabGrader implements Lab<RaftRules> {

    private final RaftElectionLabGrader election = new RaftElectionLabGrader();
    private final RaftReplicationLabGrader replication = new RaftReplicationLabGrader();
    private final RaftPersistenceLabGrader persistence = new RaftPersistenceLabGrader();
    private final RaftSnapshotsLabGrader snapshots = new RaftSnapshotsLabGrader();

    @Override
    public String name() {
        return "raft";
    }

    @Override
    public String summary() {
        return "chapter 7: your four Raft parts (election, replication, persistence, snapshots) together, graded by their labs' tests";
    }

    @Override
    public Class<RaftRules> api() {
        return RaftRules.class;
    }

    @Override
    public String studentClass() {
        return "StudentRaftElection, StudentRaftReplication, StudentRaftPersistence, StudentRaftSnapshots";
    }

    @Override
    public List<String> skeletons() {
        List<String> files = new ArrayList<>();
        for (Lab<?> part : List.<Lab<?>>of(election, replication, persistence, snapshots)) {
            files.addAll(part.skeletons());
        }
        return files;
    }

    @Override
    public RaftRules load(ClassLoader loader, Path dir) throws Grader.NotGradable {
        return new RaftRules(election.load(loader, dir), replication.load(loader, dir), persistence.load(loader, dir),
                snapshots.load(loader, dir));
    }

    @Override
    public RaftRules reference() {
        return RaftRules.REFERENCE;
    }

    @Override
    public List<LabTest> tests(RaftRules impl, Seeds seeds) {
        Supplier<RaftRules> rules = RaftLabRuns.all(impl);
        List<LabTest> t = new ArrayList<>();
        named(t, "election", election.tests(impl.election(), seeds, rules));
        named(t, "replication", replication.tests(impl.replication(), seeds, rules));
        named(t, "persistence", persistence.tests(impl.persistence(), seeds, rules));
        named(t, "snapshots", snapshots.tests(impl.snapshots(), seeds, rules));
        return t;
    }

    private static void named(List<LabTest> into, String part, List<LabTest> tests) {
        for (LabTest x : tests) {
            into.add(new LabTest(part + "/" + x.name(), x.points(), x.body()));
        }
    }
}
