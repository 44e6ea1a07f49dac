#!/bin/bash
# issue 23 measurement: new vs old (commit 0028a05) checker in-process, then CLI wall + RSS
J=/usr/lib/jvm/temurin-25-jdk-amd64/bin
cd /work/wt23
echo "# date $(date -u +%FT%TZ) host $(hostname) load $(cut -d' ' -f1-3 /proc/loadavg) cores $(nproc)"
for s in register-10k kv10-10k corrupt-10k info-300 register-100k info-100k flip-20k; do
  reps=5; case $s in *100k|flip-20k) reps=3;; esac
  echo "## $s load $(cut -d' ' -f1 /proc/loadavg)"
  /usr/bin/time -f "new rss_kb=%M wall_s=%e" timeout 300 $J/java -Xmx2g -cp /tmp/drv/new:algorithms/target/classes Drive /tmp/shapes/$s.jsonl $reps 2>&1 | sed 's/^/new /'
  /usr/bin/time -f "old rss_kb=%M wall_s=%e" timeout 150 $J/java -Xmx2g -cp /tmp/drv/old:/tmp/old23/classes Drive /tmp/shapes/$s.jsonl $reps 2>&1 | tail -3 | sed 's/^/old /'
done
echo "## CLI cold start (java -jar benchmarks.jar check-history FILE), wall and max RSS, no CDS vs AppCDS archive"
rm -f /tmp/dsw-cds.jsa
$J/java -XX:ArchiveClassesAtExit=/tmp/dsw-cds.jsa -jar benchmarks/target/benchmarks.jar check-history /tmp/shapes/corrupt-10k.jsonl >/dev/null 2>&1
for s in info-300 register-10k corrupt-10k kv10-10k register-100k flip-20k; do
  for mode in plain cds; do
    opt=""; [ $mode = cds ] && opt="-XX:SharedArchiveFile=/tmp/dsw-cds.jsa"
    for i in 1 2 3; do
      /usr/bin/time -f "cli $s $mode rss_kb=%M wall_s=%e" timeout 300 $J/java $opt -jar benchmarks/target/benchmarks.jar check-history /tmp/shapes/$s.jsonl 2>&1 >/tmp/cli-out.txt | tail -1
      head -2 /tmp/cli-out.txt | cut -c1-200 | sed "s/^/   /"
    done
  done
done
echo "# end $(date -u +%FT%TZ) load $(cut -d' ' -f1-3 /proc/loadavg)"
