#!/usr/bin/env bash
# The chapter 8 comparison as it was run (see cluster-bench-provenance.md): every configuration measures
# dsw-raft, jgroups-raft and ratis in one JVM, in rotating order, --repeat times, appending to one CSV.
# Usage: datasets/results/08-real-processes/cluster-bench.sh [CSV]   (from the repository's root)
set -euo pipefail
csv=${1:-datasets/results/08-real-processes/cluster-bench.csv}
java=${JAVA:-$(ls -d /usr/lib/jvm/*25* 2>/dev/null | head -1)/bin/java}
bench() { "$java" -cp benchmarks/target/benchmarks.jar io.github.dsw.cli.Main cluster-bench --warmup 2s --time 5s --csv "$csv" "$@" \
  2> >(grep -v '^WARNING\|^SLF4J' >&2); }
# the performance goal first: 3 nodes, in memory, 256 B
for c in 8 1 64; do bench --nodes 3 --clients "$c" --size 256 --storage memory --repeat 3; done
# fsync'd logs
for c in 8 1 64; do bench --nodes 3 --clients "$c" --size 256 --storage disk --repeat 2; done
# 4 KiB values
bench --nodes 3 --clients 8 --size 4096 --storage memory --repeat 2
bench --nodes 3 --clients 8 --size 4096 --storage disk --repeat 2
# 5 nodes
bench --nodes 5 --clients 8 --size 256 --storage memory --repeat 2
bench --nodes 5 --clients 8 --size 256 --storage disk --repeat 2
# open loop (coordinated omission corrected) at a rate every system sustained closed-loop with 8 clients
bench --nodes 3 --clients 8 --size 256 --storage memory --rate 500 --repeat 2
