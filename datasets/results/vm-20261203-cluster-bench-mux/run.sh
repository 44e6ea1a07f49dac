#!/usr/bin/env bash
# Chapter 8's measurement of session 34 (issue 14): the client connections whose reader thread writes the requests
# of the clients it woke, two such connections per server, in exclusive (quiet) slots, from the repository's root:
#   datasets/results/vm-20261203-cluster-bench-mux/run.sh goal JAR   # the performance goal, 5 measured repetitions
#   datasets/results/vm-20261203-cluster-bench-mux/run.sh disk JAR   # the same with fsync'd logs, 3 repetitions
#   datasets/results/vm-20261203-cluster-bench-mux/run.sh goal64 JAR # 64 clients again, 10 repetitions, no Ratis
# Every configuration measures its systems in one JVM: first one whole rotation that is not recorded (warm-up: on
# 2 cores the JIT compilers share the CPU with the benchmark), then --repeat rotations in rotating order;
# cluster-bench prints dsw-raft's ratio to every other system with a 95 % t interval, paired by repetition, and
# appends the measured rows to a CSV here (OUT=DIR: elsewhere).
# Table: python3 datasets/results/vm-20261203-cluster-bench-final/table.py CSV
set -uo pipefail
part=${1:?goal, disk or goal64}
jar=${2:-benchmarks/target/benchmarks.jar}
dir=${OUT:-datasets/results/vm-20261203-cluster-bench-mux}
log=$dir/cluster-bench.txt
java=${JAVA:-$(ls -d /usr/lib/jvm/*25* 2>/dev/null | head -1)/bin/java}
echo "# start $part $(date -u +%FT%TZ) jar $jar loadavg $(cat /proc/loadavg)" >> "$log"
bench() { # CSV ARGS...: one configuration
  local csv=$1; shift
  echo "# run ($(basename "$csv")): cluster-bench $*" >> "$log"
  timeout 600 "$java" -cp "$jar" io.github.dsw.cli.Main cluster-bench --csv "$csv" "$@" 2>&1 | grep -v '^WARNING\|SLF4J' >> "$log"
}
four=dsw-raft,dsw-raft-embedded,jgroups-raft,ratis
if [[ $part == goal64 ]]; then
  # the one cell whose interval contained 1: more repetitions, without Ratis (a tenth of the others' speed) to fit
  bench $dir/cluster-bench-goal64.csv --systems dsw-raft,dsw-raft-embedded,jgroups-raft --nodes 3 --clients 64 --size 256 \
    --storage memory --warmup ${WARM:-4s} --time ${TIME:-3s} --warmup-rounds 1 --repeat ${REPEAT:-10}
  echo "# end $part $(date -u +%FT%TZ) loadavg $(cat /proc/loadavg)" >> "$log"
  exit 0
fi
for c in 1 8 64; do
  if [[ $part == goal ]]; then
    # the performance goal: 3 nodes, 256 B, in memory; TCP clients and in-process clients beside jgroups-raft and Ratis
    bench $dir/cluster-bench-goal.csv --systems $four --nodes 3 --clients $c --size 256 --storage memory \
      --warmup ${WARM:-4s} --time ${TIME:-3s} --warmup-rounds 1 --repeat ${REPEAT:-5}
  else
    bench $dir/cluster-bench-disk.csv --systems dsw-raft,dsw-raft-embedded,jgroups-raft --nodes 3 --clients $c --size 256 \
      --storage disk --warmup ${WARM:-3s} --time ${TIME:-3s} --warmup-rounds 1 --repeat ${REPEAT:-3}
  fi
done
echo "# end $part $(date -u +%FT%TZ) loadavg $(cat /proc/loadavg)" >> "$log"
