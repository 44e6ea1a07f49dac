import csv,sys,statistics,math,collections
rows=list(csv.DictReader(open(sys.argv[1])))
T={1:12.706,2:4.303,3:3.182,4:2.776,5:2.571}
cfgs=[]
for r in rows:
    k=(int(r['nodes']),int(r['size_bytes']),r['storage'],int(r['clients']),r['mode'],r['rate'])
    if k not in cfgs: cfgs.append(k)
def pick(s,k): return [r for r in rows if r['system']==s and (int(r['nodes']),int(r['size_bytes']),r['storage'],int(r['clients']),r['mode'],r['rate'])==k]
def mean(rs,c): return statistics.mean(float(r[c]) for r in rs) if rs else float('nan')
def ratio(a,b,k):
    br={r['repeat']:float(r['ops_per_s']) for r in pick(b,k)}
    v=[float(r['ops_per_s'])/br[r['repeat']] for r in pick(a,k) if r['repeat'] in br and br[r['repeat']]>0]
    if not v: return '-'
    m=statistics.mean(v)
    if len(v)<2: return f"{m:.2f}"
    h=T.get(len(v)-1,1.96)*statistics.stdev(v)/math.sqrt(len(v))
    return f"{m:.2f} [{m-h:.2f}, {m+h:.2f}]"
print("| nodes | size | log | clients | mode | n | dsw-raft ops/s | dsw-raft-embedded | jgroups-raft | ratis | dsw/jgroups (95 % CI) | embedded/jgroups (95 % CI) | dsw/ratis | dsw p50/p99 ms | jgroups p50/p99 ms |")
print("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
for k in cfgs:
    n=len(pick('dsw-raft',k))
    f=lambda s: (f"{mean(pick(s,k),'ops_per_s'):.0f}" if pick(s,k) else '-')
    lat=lambda s: (f"{mean(pick(s,k),'p50_ms'):.2f} / {mean(pick(s,k),'p99_ms'):.1f}" if pick(s,k) else '-')
    mode=k[4] if k[4]=='closed' else f"open {float(k[5]):.0f}/s"
    print(f"| {k[0]} | {k[1]} B | {k[2]} | {k[3]} | {mode} | {n} | {f('dsw-raft')} | {f('dsw-raft-embedded')} | {f('jgroups-raft')} | {f('ratis')} | {ratio('dsw-raft','jgroups-raft',k)} | {ratio('dsw-raft-embedded','jgroups-raft',k)} | {ratio('dsw-raft','ratis',k)} | {lat('dsw-raft')} | {lat('jgroups-raft')} |")
