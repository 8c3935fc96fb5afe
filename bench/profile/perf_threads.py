#!/usr/bin/env python3
"""perf_threads.py OUT SECONDS: per-thread CPU us and context switches per operation from profile.sh threads."""
import collections
import csv
import re
import sys

out, secs = sys.argv[1], float(sys.argv[2])
names = {}
for line in open(f"{out}/threads.txt"):
    tid, pid, name = line.rstrip("\n").split(" ", 2)
    names[tid] = (pid, re.sub(r"procpool-\d+-", "", name))
counts = collections.defaultdict(dict)
for row in csv.reader(l for l in open(f"{out}/perf.csv") if l.strip() and not l.startswith("#")):
    try:
        counts[row[0].rsplit("-", 1)[-1]][row[3]] = float(row[1])
    except (ValueError, IndexError):
        pass
m = re.search(r"(\d+) ops in ([\d.]+) s", open(f"{out}/load.txt").read())
ops = int(m.group(1)) / float(m.group(2)) * secs  # operations during the perf window
total = collections.Counter()
print(f"{'thread':36s} {'pid':>7s} {'CPU us/op':>11s} {'ctx sw/op':>10s} {'migr/op':>8s}")
for tid, ev in sorted(counts.items(), key=lambda kv: -kv[1].get("task-clock", 0)):
    pid, name = names.get(tid, ("?", "tid " + tid))
    cpu = ev.get("task-clock", 0) * 1000 / ops  # task-clock is in ms
    cs = ev.get("context-switches", 0) / ops
    mig = ev.get("cpu-migrations", 0) / ops
    total.update(cpu=cpu, cs=cs, mig=mig)
    if cpu >= 0.05 or cs >= 0.01:
        print(f"{name[:36]:36s} {pid:>7s} {cpu:11.2f} {cs:10.3f} {mig:8.3f}")
print(f"{'TOTAL':36s} {'':>7s} {total['cpu']:11.2f} {total['cs']:10.3f} {total['mig']:8.3f}")
