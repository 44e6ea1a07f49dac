#!/usr/bin/env bash
# Chapter 13's production anchor as it was run (see provenance.md): a real 3-server ZooKeeper ensemble (curator-test
# TestingCluster, ZooKeeper 3.9) beside the project's Zab store (one change per PROPOSAL, and batched) and Raft store,
# all in one JVM on 127.0.0.1, fsync'd logs, in rotating order, --repeat times, appending to one CSV. The first system
# listed is the anchor of the printed throughput ratios (ratio zookeeper/OTHER with a 95 % t interval).
# Usage: datasets/results/vm-20261203-zab-vs-zookeeper/run.sh [CSV]   (from the repository's root, after mvn install)
set -euo pipefail
dir=datasets/results/vm-20261203-zab-vs-zookeeper
csv=${1:-$dir/zab-vs-zookeeper.csv}
java=${JAVA:-$(ls -d /usr/lib/jvm/*25* 2>/dev/null | head -1)/bin/java}
bench() { "$java" -cp benchmarks/target/benchmarks.jar io.github.dsw.cli.Main cluster-bench --warmup 2s --time 5s --csv "$csv" "$@" \
  2> >(grep -v '^WARNING\|^SLF4J' >&2); }
for c in 1 8 32; do
  bench --systems zookeeper,zookeeper-create,dsw-zab,dsw-zab-batch,dsw-raft --nodes 3 --clients "$c" --size 256 --storage disk --repeat 3
done
