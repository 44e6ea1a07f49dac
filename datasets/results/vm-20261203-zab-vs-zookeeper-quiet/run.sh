#!/usr/bin/env bash
# Chapter 13's production anchor on a quiet machine (see provenance.md): a real 3-server ZooKeeper ensemble
# (curator-test TestingCluster, ZooKeeper 3.9) beside the project's Zab store (one change per PROPOSAL, and batched
# with pipelining) and Raft store, all in one JVM on 127.0.0.1, fsync'd logs, in rotating order, 5 repetitions.
# Part "closed": closed loop at 1, 8 and 32 clients. Part "open": open loop at a fixed total rate (--rate), 8 clients.
# The load average is appended to loadavg.txt before and after each part.
# Usage (from the repository's root, after mvn install): run.sh closed|open|dry   [dry: 1 s windows, 1 repetition, to /tmp]
set -euo pipefail
dir=datasets/results/vm-20261203-zab-vs-zookeeper-quiet
part=${1:?closed, open or dry}
java=${JAVA:-$(ls -d /usr/lib/jvm/*25* 2>/dev/null | head -1)/bin/java}
systems=zookeeper,dsw-zab,dsw-zab-batch,dsw-raft
reps=5; warm=2s; time=4s; csv=$dir/$part.csv; log=$dir/loadavg.txt; out=$dir/stdout-$part.txt
if [ "$part" = dry ]; then reps=1; warm=1s; time=1s; csv=/tmp/zab-quiet-dry.csv; log=/tmp/zab-quiet-dry-load.txt; out=/tmp/zab-quiet-dry.txt; fi
bench() { "$java" -cp benchmarks/target/benchmarks.jar io.github.dsw.cli.Main cluster-bench --systems "$systems" --nodes 3 --size 256 \
  --storage disk --warmup "$warm" --time "$time" --repeat "$reps" --csv "$csv" "$@" 2> >(grep -v '^WARNING\|^SLF4J' >&2); }
echo "$part before $(date -u +%FT%TZ) $(cat /proc/loadavg) commit $(git rev-parse HEAD)" >> "$log"
case $part in
  closed|dry) for c in 1 8 32; do bench --clients "$c" | tee -a "$out"; done ;;
  open) bench --clients 8 --rate 400 | tee -a "$out" ;;
esac
echo "$part after  $(date -u +%FT%TZ) $(cat /proc/loadavg)" >> "$log"
