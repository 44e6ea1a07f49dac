#!/usr/bin/env python3
"""Ratios with 95 % Student t intervals over the paired repetitions of run.sh's CSVs (standard library only).

For each part (closed.csv, open.csv), client count and system: mean throughput, mean p50/p99 latency, and the paired
ratios system/zookeeper of throughput, p50 and p99 (mean and 95 % t interval over the repetitions, each pairing the
two systems' runs of the same repetition); plus dsw-zab-batch/dsw-zab (what batching with pipelining buys on real
processes). An interval that contains 1 supports no ranking. Usage: analyse.py [DIR] > results.md
"""
import csv
import math
import statistics
import sys
from collections import defaultdict

T975 = {1: 12.706, 2: 4.303, 3: 3.182, 4: 2.776, 5: 2.571, 6: 2.447, 7: 2.365, 8: 2.306, 9: 2.262, 10: 2.228}


def ci(xs):
    m = statistics.mean(xs)
    if len(xs) < 2:
        return m, float("nan"), float("nan")
    h = T975.get(len(xs) - 1, 1.96) * statistics.stdev(xs) / math.sqrt(len(xs))
    return m, m - h, m + h


def fmt(t):
    m, lo, hi = t
    flag = "" if (lo > 1 or hi < 1) else " ·"
    return f"{m:.2f} [{lo:.2f}, {hi:.2f}]{flag}"


def part(path, title):
    rows = list(csv.DictReader(open(path)))
    by = defaultdict(dict)  # (clients, system) -> repeat -> row
    for r in rows:
        by[(int(r["clients"]), r["system"])][int(r["repeat"])] = r
    clients = sorted({c for c, _ in by})
    systems = []
    for r in rows:
        if r["system"] not in systems:
            systems.append(r["system"])
    mode = rows[0]["mode"] + ("" if float(rows[0]["rate"]) == 0 else f" at {float(rows[0]['rate']):.0f} writes/s")
    print(f"## {title} ({mode}; {len(by[(clients[0], systems[0])])} repetitions)\n")
    print("| clients | system | ops/s mean | p50 ms mean | p99 ms mean | ops/s ÷ zookeeper | p50 ÷ zookeeper | p99 ÷ zookeeper |")
    print("|---|---|---|---|---|---|---|---|")
    for c in clients:
        zk = by.get((c, "zookeeper"), {})
        for s in systems:
            runs = by[(c, s)]
            mean = lambda k: statistics.mean(float(r[k]) for r in runs.values())
            cells = [f"{mean('ops_per_s'):.0f}", f"{mean('p50_ms'):.2f}", f"{mean('p99_ms'):.1f}"]
            for k in ("ops_per_s", "p50_ms", "p99_ms"):
                if s == "zookeeper" or not zk:
                    cells.append("1" if s == "zookeeper" else "")
                else:
                    cells.append(fmt(ci([float(runs[i][k]) / float(zk[i][k]) for i in runs if i in zk])))
            print(f"| {c} | {s} | " + " | ".join(cells) + " |")
    if any(s == "dsw-zab-batch" for s in systems):
        print("\nBatching on real processes, dsw-zab-batch ÷ dsw-zab (paired):\n")
        print("| clients | ops/s | p50 | p99 |")
        print("|---|---|---|---|")
        for c in clients:
            a, b = by[(c, "dsw-zab-batch")], by[(c, "dsw-zab")]
            print(f"| {c} | " + " | ".join(fmt(ci([float(a[i][k]) / float(b[i][k]) for i in a if i in b]))
                                         for k in ("ops_per_s", "p50_ms", "p99_ms")) + " |")
    loads = [float(r["load_average"]) for r in rows]
    print(f"\nLoad average read after each measurement: {min(loads):.2f}-{max(loads):.2f}.\n")


d = sys.argv[1] if len(sys.argv) > 1 else "."
print("# Results (written by analyse.py; mean and 95 % t interval over paired repetitions; · marks an interval containing 1)\n")
for name, title in (("closed.csv", "Closed loop"), ("open.csv", "Open loop")):
    try:
        part(f"{d}/{name}", title)
    except FileNotFoundError:
        print(f"({name}: not run)\n")
