#!/usr/bin/env python3
"""Idle worker memory of multiprocessing.Pool(2), the twin of SideBySide's idle_memory measurement.

Pool(2) is warmed with map(f, range(1000), chunksize=1); then VmRSS (/proc/PID/status) and Pss
(/proc/PID/smaps_rollup) of each worker are read. A fork child's RSS counts the pages it shares with its parent;
Pss divides shared pages among their sharers.

Output: one JSON line, as the anchors in shared/anchors/python-pool print them.
Usage: python3 idle_rss.py [--start fork|spawn|forkserver]
"""
import argparse
import json
import multiprocessing as mp


def f(x):
    return x * x


def field(path, name):
    with open(path) as fh:
        for line in fh:
            if line.startswith(name):
                return int(line.split()[1])
    return -1


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--start", default="fork")
    a = ap.parse_args()
    with mp.get_context(a.start).Pool(2) as pool:
        pool.map(f, range(1000), chunksize=1)
        pids = [p.pid for p in pool._pool]  # private; read-only, for the pids
        rss = [field(f"/proc/{pid}/status", "VmRSS:") for pid in pids]
        pss = [field(f"/proc/{pid}/smaps_rollup", "Pss:") for pid in pids]
    print(json.dumps({"script": "idle_rss.py", "name": f"pool_{a.start}.idle_worker_rss", "workers": len(pids),
                      "rss_kib": rss, "pss_kib": pss, "max_mb": max(rss) / 1024, "max_pss_mb": max(pss) / 1024}),
          flush=True)
