#!/usr/bin/env bash
# Chapter 8's final sweep (issue 14), in two exclusive (quiet) slots of at most 15 minutes, from the repository's root:
#   datasets/results/vm-20261203-cluster-bench-final/run.sh goal NEW_JAR BASE_JAR   # slot A: the goal configuration
#   datasets/results/vm-20261203-cluster-bench-final/run.sh rest NEW_JAR            # slot B: everything else
#   datasets/results/vm-20261203-cluster-bench-final/run.sh warm NEW_JAR            # slot C: goal config, warmed JITs
# NEW_JAR: benchmarks.jar of the commit under test; BASE_JAR: the same jar of the commit before this session's client
# path and RaftSteps changes (b5d9898), for the before/after rows. Every configuration measures its systems in one JVM,
# --repeat times in rotating order (cluster-bench prints dsw-raft's ratio to every other system with a 95 % t
# interval, paired by repetition) and appends to cluster-bench.csv here (OUT=DIR writes elsewhere: a dry run). Most important first; a guard stops starting
# configurations after GUARD seconds so that the slot ends in time (what it skipped is logged).
set -uo pipefail
part=${1:?goal or rest}
jar=${2:-benchmarks/target/benchmarks.jar}
base=${3:-}
dir=${OUT:-datasets/results/vm-20261203-cluster-bench-final}
log=$dir/cluster-bench.txt
java=${JAVA:-$(ls -d /usr/lib/jvm/*25* 2>/dev/null | head -1)/bin/java}
warm=${WARM:-1s}; time=${TIME:-2s}; guard=${GUARD:-720}
t0=$(date +%s)
echo "# start $part $(date -u +%FT%TZ) jar $jar base ${base:-none} loadavg $(cat /proc/loadavg)" >> "$log"
bench() { # CSV JAR ARGS...: one configuration, unless the guard says the slot is nearly over
  local csv=$1 j=$2; shift 2
  if (( $(date +%s) - t0 > guard )); then echo "# guard: skipped $*" >> "$log"; return; fi
  echo "# run ($(basename "$csv")): cluster-bench --warmup $warm --time $time $*" >> "$log"
  timeout 240 "$java" -cp "$j" io.github.dsw.cli.Main cluster-bench --warmup "$warm" --time "$time" --csv "$csv" "$@" 2>&1 \
    | grep -v '^WARNING\|SLF4J' >> "$log"
}
all=dsw-raft,dsw-raft-embedded,jgroups-raft,ratis,ratis-embedded
four=dsw-raft,dsw-raft-embedded,jgroups-raft,ratis
three=dsw-raft,jgroups-raft,ratis
csv=$dir/cluster-bench.csv
if [[ $part == goal ]]; then
  # 1. the performance goal: 3 nodes, in memory, 256 B, TCP clients and in-process clients, both anchors (Ratis with
  #    its clients over gRPC and in process)
  for c in 1 8 64; do bench "$csv" "$jar" --systems $all --nodes 3 --clients $c --size 256 --storage memory --repeat 4; done
  # 2. before/after of the client path: the base commit's dsw-raft (a connection and threads per client) beside
  #    jgroups-raft, same configuration, same slot
  for c in 1 8 64; do bench $dir/cluster-bench-base.csv "$base" --systems dsw-raft,jgroups-raft --nodes 3 --clients $c --size 256 --storage memory --repeat 3; done
  # 3. RaftSteps.followerAppend before/after (JMH, 1 fork, 3 x 1 s warm-up, 5 x 1 s), interleaved base, new, base, new
  for round in 1 2; do
    for v in base new; do
      j=$jar; [[ $v == base ]] && j=$base
      "$java" -cp "$j" org.openjdk.jmh.Main 'RaftSteps.followerAppend' -f 1 ${JMH:--wi 3 -i 5 -w 1s -r 1s} -rf json \
        -rff $dir/jmh-$v-$round.json > $dir/jmh-$v-$round.txt 2>&1
    done
  done
  # 2b. what each part of the client path change does: this commit with one part switched back (dsw-raft alone)
  for c in 1 64; do
    for v in dsw.bench.clientMux=false dsw.cluster.ioThreads=virtual; do
      if (( $(date +%s) - t0 > guard )); then echo "# guard: skipped variant -D$v $c clients" >> "$log"; continue; fi
      echo "# run (variant -D$v): cluster-bench --systems dsw-raft --nodes 3 --clients $c --size 256 --storage memory --repeat 2" >> "$log"
      timeout 120 "$java" -D$v -cp "$jar" io.github.dsw.cli.Main cluster-bench --systems dsw-raft --warmup "$warm" --time "$time" \
        --nodes 3 --clients $c --size 256 --storage memory --repeat 2 --csv $dir/cluster-bench-variant-${v##*.}.csv 2>&1 \
        | grep -v '^WARNING\|SLF4J' >> "$log"
    done
  done
  # 2c. where the time goes at 64 TCP clients: a JFR profile of dsw-raft alone (summaries kept, the recording is not)
  if (( $(date +%s) - t0 <= guard )); then
    jfr=/tmp/dsw-final-c64.jfr
    timeout 120 "$java" -XX:StartFlightRecording=filename=$jfr,settings=profile -cp "$jar" io.github.dsw.cli.Main cluster-bench \
      --systems dsw-raft --nodes 3 --clients 64 --size 256 --storage memory --warmup 2s --time 4s 2>&1 | grep '^system' > $dir/jfr-c64.txt
    "$(dirname "$java")/jfr" view --width 160 hot-methods $jfr >> $dir/jfr-c64.txt 2>&1
    "$(dirname "$java")/jfr" print --events jdk.ExecutionSample $jfr | grep -o 'sampledThread = "[^"]*"' | sed 's/[0-9]*"$/N"/' \
      | sort | uniq -c | sort -rn >> $dir/jfr-c64.txt
  fi
elif [[ $part == warm ]]; then
  # 8. the goal configuration again after a long JIT warm-up (Ratis compiles for tens of seconds here: 89 ops/s in its
  #    first second, ~850 at 30 s, H14r), with the merged Ratis adapter (a RaftClient per client, async API)
  warm=${WARM:-8s}; time=${TIME:-3s}
  for c in 1 8 64; do bench $dir/cluster-bench-warm.csv "$jar" --systems $all --nodes 3 --clients $c --size 256 --storage memory --repeat 3; done
else
  # 4. fsync'd logs, 3 nodes, 256 B, with the in-process variant of dsw-raft
  for c in 1 8 64; do bench "$csv" "$jar" --systems $four --nodes 3 --clients $c --size 256 --storage disk --repeat 2; done
  # 5. open loop (coordinated omission corrected), 64 clients, two offered rates
  for r in 2000 8000; do bench "$csv" "$jar" --systems $four --nodes 3 --clients 64 --size 256 --storage memory --rate $r --repeat 2; done
  # 6. 4 KiB on disk (1 client and 64 clients were missing), five nodes at 1 client, five nodes 4 KiB on disk
  for c in 1 8 64; do bench "$csv" "$jar" --systems $three --nodes 3 --clients $c --size 4096 --storage disk --repeat 2; done
  for s in memory disk; do bench "$csv" "$jar" --systems $three --nodes 5 --clients 1 --size 256 --storage $s --repeat 2; done
  for c in 8 64; do bench "$csv" "$jar" --systems $three --nodes 5 --clients $c --size 4096 --storage disk --repeat 2; done
  # 7. the rest of the grid
  for c in 8 64; do bench "$csv" "$jar" --systems $three --nodes 5 --clients $c --size 256 --storage memory --repeat 2; done
  for c in 8 64; do bench "$csv" "$jar" --systems $three --nodes 5 --clients $c --size 256 --storage disk --repeat 2; done
  for c in 1 8 64; do bench "$csv" "$jar" --systems $three --nodes 3 --clients $c --size 4096 --storage memory --repeat 2; done
fi
echo "# end $part $(date -u +%FT%TZ) loadavg $(cat /proc/loadavg)" >> "$log"
