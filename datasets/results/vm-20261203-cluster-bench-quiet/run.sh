#!/usr/bin/env bash
# The chapter 8 sweep as it was run in one exclusive (quiet) slot of at most 15 minutes (from the repository's root):
#   datasets/results/vm-20261203-cluster-bench-quiet/run.sh JAR
# Every configuration measures the systems in one JVM, --repeat times in rotating order (cluster-bench prints
# dsw-raft's throughput ratio to each other system with a 95 % t interval, paired by repetition) and appends to
# cluster-bench.csv here. Most important first; a guard stops starting configurations after GUARD seconds so
# that the slot ends in time (what it skipped is logged).
set -uo pipefail
jar=${1:-benchmarks/target/benchmarks.jar}
dir=datasets/results/vm-20261203-cluster-bench-quiet
csv=$dir/cluster-bench.csv
log=$dir/cluster-bench.txt
java=${JAVA:-$(ls -d /usr/lib/jvm/*25* 2>/dev/null | head -1)/bin/java}
warm=${WARM:-1s}; time=${TIME:-2s}; guard=${GUARD:-700}
t0=$(date +%s)
echo "# start $(date -u +%FT%TZ) jar $jar loadavg $(cat /proc/loadavg)" >> "$log"
bench() {
  if (( $(date +%s) - t0 > guard )); then echo "# guard: skipped $*" >> "$log"; return; fi
  echo "# run: cluster-bench --warmup $warm --time $time $*" >> "$log"
  timeout 200 "$java" -cp "$jar" io.github.dsw.cli.Main cluster-bench --warmup "$warm" --time "$time" --csv "$csv" "$@" 2>&1 \
    | grep -v '^WARNING\|SLF4J' >> "$log"
}
all=dsw-raft,dsw-raft-embedded,jgroups-raft,ratis
three=dsw-raft,jgroups-raft,ratis
# 1. the performance goal: 3 nodes, in memory, 256 B, with the embedded-client variant (what jgroups-raft's clients save)
for c in 1 8 64; do bench --systems $all --nodes 3 --clients $c --size 256 --storage memory --repeat 3; done
# 1b. before/after of the batching fix: dsw-raft alone with the simulator's window of 256 AppendEntries in flight
for c in 8 64; do
  if (( $(date +%s) - t0 > guard )); then break; fi
  echo "# run (window 256): cluster-bench --systems dsw-raft --nodes 3 --clients $c --size 256 --storage memory --repeat 2" >> "$log"
  timeout 100 "$java" -Ddsw.raft.maxInflight=256 -cp "$jar" io.github.dsw.cli.Main cluster-bench --systems dsw-raft --warmup "$warm" \
    --time "$time" --nodes 3 --clients $c --size 256 --storage memory --repeat 2 --csv $dir/cluster-bench-window256.csv 2>&1 \
    | grep -v '^WARNING\|SLF4J' >> "$log"
done
# 2. fsync'd logs, 3 nodes, 256 B
for c in 1 8 64; do bench --systems $three --nodes 3 --clients $c --size 256 --storage disk --repeat 2; done
# 3. one open-loop point (coordinated omission corrected)
bench --systems $three --nodes 3 --clients 8 --size 256 --storage memory --rate ${RATE:-2000} --repeat 2
# 4. five nodes and 4 KiB values
for c in 1 8 64; do bench --systems $three --nodes 5 --clients $c --size 256 --storage memory --repeat 2; done
for c in 1 8 64; do bench --systems $three --nodes 3 --clients $c --size 4096 --storage memory --repeat 2; done
for c in 8 64; do bench --systems $three --nodes 5 --clients $c --size 4096 --storage memory --repeat 2; done
for c in 8 64; do bench --systems $three --nodes 5 --clients $c --size 256 --storage disk --repeat 2; done
for c in 8 64; do bench --systems $three --nodes 3 --clients $c --size 4096 --storage disk --repeat 2; done
echo "# end $(date -u +%FT%TZ) loadavg $(cat /proc/loadavg)" >> "$log"
