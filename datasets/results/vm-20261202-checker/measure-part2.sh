#!/bin/bash
J=/usr/lib/jvm/temurin-25-jdk-amd64/bin
cd /work/wt23
echo "# part 2 date $(date -u +%FT%TZ) load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "## corrupt-10k (old only; new above) load $(cut -d' ' -f1 /proc/loadavg)"
/usr/bin/time -f "old rss_kb=%M wall_s=%e" timeout 90 $J/java -Xmx2g -cp /tmp/drv/old:/tmp/old23/classes Drive /tmp/shapes/corrupt-10k.jsonl 1 2>&1 | tail -2 | sed 's/^/old /'
for s in info-300 register-100k info-100k flip-20k; do
  echo "## $s load $(cut -d' ' -f1 /proc/loadavg)"
  /usr/bin/time -f "new rss_kb=%M wall_s=%e" timeout 120 $J/java -Xmx2g -cp /tmp/drv/new:algorithms/target/classes Drive /tmp/shapes/$s.jsonl 1 2>&1 | sed 's/^/new /'
  /usr/bin/time -f "old rss_kb=%M wall_s=%e" timeout 90 $J/java -Xmx2g -cp /tmp/drv/old:/tmp/old23/classes Drive /tmp/shapes/$s.jsonl 1 2>&1 | tail -2 | sed 's/^/old /'
done
echo "## CLI cold start (java -jar benchmarks.jar check-history FILE): wall and max RSS, without and with an AppCDS archive"
rm -f /tmp/dsw-cds.jsa
$J/java -XX:ArchiveClassesAtExit=/tmp/dsw-cds.jsa -jar benchmarks/target/benchmarks.jar check-history /tmp/shapes/corrupt-10k.jsonl >/dev/null 2>&1
for s in info-300 register-10k corrupt-10k kv10-10k; do
  for i in 1 2; do
    for mode in plain cds; do
      opt=""; [ $mode = cds ] && opt="-XX:SharedArchiveFile=/tmp/dsw-cds.jsa"
      /usr/bin/time -f "cli $s $mode rss_kb=%M wall_s=%e load=$(cut -d' ' -f1 /proc/loadavg)" timeout 120 $J/java $opt -jar benchmarks/target/benchmarks.jar check-history /tmp/shapes/$s.jsonl 2>&1 >/tmp/cli-out.txt | tail -1
      head -2 /tmp/cli-out.txt | cut -c1-220 | sed "s/^/   /"
    done
  done
done
echo "# end $(date -u +%FT%TZ) load $(cut -d' ' -f1-3 /proc/loadavg)"
