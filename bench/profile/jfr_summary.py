#!/usr/bin/env python3
"""jfr_summary.py FILE.jfr: execution samples per thread with hot methods, and the top allocation sites."""
import json
import re
import subprocess
import sys
from collections import Counter, defaultdict


def events(path, kind):
    text = subprocess.run(["jfr", "print", "--json", "--events", kind, path], capture_output=True, text=True).stdout
    return json.loads(text)["recording"]["events"] if text.strip() else []


def method(frame, line=False):
    m = frame["method"]
    name = m["type"]["name"].split("/")[-1] + "." + m["name"]
    return f"{name}:{frame.get('lineNumber')}" if line else name


path = sys.argv[1]
threads, hot = Counter(), defaultdict(Counter)
for e in events(path, "jdk.ExecutionSample"):
    v = e["values"]
    thread = re.sub(r"procpool-\d+-", "", (v.get("sampledThread") or {}).get("javaName") or "?")
    frames = (v.get("stackTrace") or {}).get("frames") or []
    threads[thread] += 1
    if frames:
        hot[thread][method(frames[0])] += 1
total = sum(threads.values()) or 1
print(f"== {path}: {total} execution samples")
for thread, n in threads.most_common(8):
    top = ", ".join(f"{m} {100 * k / n:.0f}%" for m, k in hot[thread].most_common(5))
    print(f"  {thread} {100 * n / total:.0f}%: {top}")
sites, weight = Counter(), 0
for e in events(path, "jdk.ObjectAllocationSample"):
    v = e["values"]
    frames = (v.get("stackTrace") or {}).get("frames") or []
    sites[" < ".join(method(f, True) for f in frames[:3])] += v.get("weight", 0)
    weight += v.get("weight", 0)
print(f"  allocation (sampled weight) {weight / 1e6:.0f} MB, top sites:")
for site, w in sites.most_common(6):
    print(f"    {w / 1e6:8.1f} MB  {site}")
