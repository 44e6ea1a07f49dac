"""table.md of this folder: python3 table.py cluster-bench.csv [cluster-bench-base.csv] > table.md
Means over repetitions; ratios paired by repetition with a 95 % Student t interval."""
import csv, sys, statistics, math
T = {1: 12.706, 2: 4.303, 3: 3.182, 4: 2.776, 5: 2.571, 6: 2.447, 7: 2.365, 8: 2.306, 9: 2.262}


def load(path):
    return list(csv.DictReader(open(path)))


def key(r):
    return (int(r['nodes']), int(r['size_bytes']), r['storage'], int(r['clients']), r['mode'], r['rate'])


def pick(rows, s, k):
    return [r for r in rows if r['system'] == s and key(r) == k]


def mean(rs, c):
    return statistics.mean(float(r[c]) for r in rs) if rs else float('nan')


def ratio(rows, a, b, k):
    br = {r['repeat']: float(r['ops_per_s']) for r in pick(rows, b, k)}
    v = [float(r['ops_per_s']) / br[r['repeat']] for r in pick(rows, a, k) if r['repeat'] in br and br[r['repeat']] > 0]
    if not v:
        return '-'
    m = statistics.mean(v)
    if len(v) < 2:
        return f"{m:.2f}"
    h = T.get(len(v) - 1, 1.96) * statistics.stdev(v) / math.sqrt(len(v))
    return f"{m:.2f} [{m - h:.2f}, {m + h:.2f}]"


def table(rows):
    cfgs = []
    for r in rows:
        if key(r) not in cfgs:
            cfgs.append(key(r))
    print("| nodes | size | log | clients | mode | n | dsw-raft ops/s | dsw-raft-embedded | jgroups-raft | ratis | ratis-embedded "
          "| dsw/jgroups (95 % CI) | embedded/jgroups (95 % CI) | dsw/ratis (95 % CI) | dsw/ratis-embedded | dsw p50/p99 ms | jgroups p50/p99 ms |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    for k in cfgs:
        n = len(pick(rows, 'dsw-raft', k))
        f = lambda s: (f"{mean(pick(rows, s, k), 'ops_per_s'):.0f}" if pick(rows, s, k) else '-')
        lat = lambda s: (f"{mean(pick(rows, s, k), 'p50_ms'):.2f} / {mean(pick(rows, s, k), 'p99_ms'):.1f}" if pick(rows, s, k) else '-')
        mode = k[4] if k[4] == 'closed' else f"open {float(k[5]):.0f}/s"
        print(f"| {k[0]} | {k[1]} B | {k[2]} | {k[3]} | {mode} | {n} | {f('dsw-raft')} | {f('dsw-raft-embedded')} | {f('jgroups-raft')} "
              f"| {f('ratis')} | {f('ratis-embedded')} | {ratio(rows, 'dsw-raft', 'jgroups-raft', k)} "
              f"| {ratio(rows, 'dsw-raft-embedded', 'jgroups-raft', k)} | {ratio(rows, 'dsw-raft', 'ratis', k)} "
              f"| {ratio(rows, 'dsw-raft', 'ratis-embedded', k)} | {lat('dsw-raft')} | {lat('jgroups-raft')} |")


table(load(sys.argv[1]))
if len(sys.argv) > 2:
    print()
    print("Before (the base commit's dsw-raft beside jgroups-raft, same slot):")
    print()
    table(load(sys.argv[2]))
