#!/usr/bin/env bash
# Chapter 8's sweep of session 32 (issue 14): warm-up rounds before the measured repetitions, in exclusive (quiet)
# slots of at most 15 minutes, from the repository's root:
#   datasets/results/vm-20261203-cluster-bench-rounds/run.sh grid JAR   # the cells session 31's sweep did not reach
#   datasets/results/vm-20261203-cluster-bench-rounds/run.sh goal JAR   # the performance goal, 5 measured repetitions
# Every configuration measures its systems in one JVM: first --warmup-rounds whole rotations that are not recorded
# (every system keeps speeding up over its first runs on 2 cores: the JIT compilers share the CPU with the
# benchmark), then --repeat rotations in rotating order; cluster-bench prints dsw-raft's ratio to every other system
# with a 95 % t interval, paired by repetition, and appends the measured rows to a CSV here (OUT=DIR: elsewhere).
# Table: python3 datasets/results/vm-20261203-cluster-bench-final/table.py CSV
set -uo pipefail
part=${1:?grid or goal}
jar=${2:-benchmarks/target/benchmarks.jar}
dir=${OUT:-datasets/results/vm-20261203-cluster-bench-rounds}
log=$dir/cluster-bench.txt
java=${JAVA:-$(ls -d /usr/lib/jvm/*25* 2>/dev/null | head -1)/bin/java}
guard=${GUARD:-780}
t0=$(date +%s)
echo "# start $part $(date -u +%FT%TZ) jar $jar loadavg $(cat /proc/loadavg)" >> "$log"
bench() { # CSV ARGS...: one configuration, unless the guard says the slot is nearly over
  local csv=$1; shift
  if (( $(date +%s) - t0 > guard )); then echo "# guard: skipped $*" >> "$log"; return; fi
  echo "# run ($(basename "$csv")): cluster-bench $*" >> "$log"
  timeout 400 "$java" -cp "$jar" io.github.dsw.cli.Main cluster-bench --csv "$csv" "$@" 2>&1 | grep -v '^WARNING\|SLF4J' >> "$log"
}
four=dsw-raft,dsw-raft-embedded,jgroups-raft,ratis
three=dsw-raft,jgroups-raft,ratis
if [[ $part == grid ]]; then
  # the cells the time guard skipped last session: 3 nodes 4 KiB in memory (1/8/64 clients), 5 nodes 4 KiB on disk at 1
  for c in 1 8 64; do bench $dir/cluster-bench-grid.csv --systems $four --nodes 3 --clients $c --size 4096 --storage memory \
    --warmup 2s --time 2s --warmup-rounds 1 --repeat 2; done
  bench $dir/cluster-bench-grid.csv --systems $three --nodes 5 --clients 1 --size 4096 --storage disk --warmup 2s --time 2s \
    --warmup-rounds 1 --repeat 2
else
  # the performance goal: 3 nodes, 256 B, in memory; TCP clients and in-process clients beside jgroups-raft and Ratis
  for c in 1 8 64; do bench $dir/cluster-bench-goal.csv --systems $four --nodes 3 --clients $c --size 256 --storage memory \
    --warmup ${WARM:-4s} --time ${TIME:-3s} --warmup-rounds 1 --repeat ${REPEAT:-5}; done
fi
echo "# end $part $(date -u +%FT%TZ) loadavg $(cat /proc/loadavg)" >> "$log"
