#!/bin/bash
# H14 quiet slot 1: RaftSteps old (2612ccb) vs now, three systems 3n memory 256 B, JFR of dsw-raft
out=/tmp/h14-slot1
J=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
NEW=/work/wt14/benchmarks/target/benchmarks.jar
OLD=/tmp/h14-old/benchmarks/target/benchmarks.jar
echo "before $(date -u +%FT%TZ) $(cat /proc/loadavg)" > $out/load.txt
for round in 1 2; do
  $J -cp $OLD org.openjdk.jmh.Main RaftSteps -f 1 -wi 3 -i 5 -w 1s -r 1s -rf json -rff $out/jmh-old-$round.json > $out/jmh-old-$round.txt 2>&1
  $J -cp $NEW org.openjdk.jmh.Main RaftSteps -f 1 -wi 3 -i 5 -w 1s -r 1s -rf json -rff $out/jmh-new-$round.json > $out/jmh-new-$round.txt 2>&1
done
echo "after-jmh $(date -u +%FT%TZ) $(cat /proc/loadavg)" >> $out/load.txt
cd /work/wt14
for c in 1 8 64; do
  timeout 120 $J -cp $NEW io.github.dsw.cli.Main cluster-bench --systems dsw-raft,jgroups-raft,ratis --nodes 3 --clients $c --size 256 --storage memory --warmup 1s --time 3s --csv $out/bench.csv 2>&1 | grep -v '^WARNING\|SLF4J' >> $out/bench.txt
done
for c in 64 8; do
  timeout 60 $J -XX:StartFlightRecording=filename=$out/dsw-c$c.jfr,settings=profile -cp $NEW io.github.dsw.cli.Main cluster-bench --systems dsw-raft --nodes 3 --clients $c --size 256 --storage memory --warmup 1s --time 5s 2>&1 | grep -v '^WARNING\|SLF4J' >> $out/jfr-bench.txt
done
echo "after $(date -u +%FT%TZ) $(cat /proc/loadavg)" >> $out/load.txt
