#!/usr/bin/env python3
"""Summarises a JFR recording: allocation by site (sampled weight) and CPU by method.

  bench/jfr-top.py recording.jfr [N]

Allocation sites are keyed by the allocated class and the first few frames; the weight is JFR's
sampled estimate of bytes allocated there. Only frames are shown, so the output is comparable
between a recording before and after a change (it does not depend on machine noise much).
"""
import collections, json, subprocess, sys

def events(path, name):
    out = subprocess.run(["jfr", "print", "--json", "--stack-depth", "12", "--events", name, path],
                         check=True, capture_output=True, text=True).stdout
    return json.loads(out)["recording"]["events"]

def frame(f):
    m = f["method"]
    return f'{m["type"]["name"].split(".")[-1]}.{m["name"]}:{f.get("lineNumber", "?")}'

def site(stack, depth):
    frames = (stack or {}).get("frames", [])
    return " < ".join(frame(f) for f in frames[:depth])

def main():
    path, n = sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 25
    alloc = collections.Counter()
    total = 0
    for e in events(path, "jdk.ObjectAllocationSample"):
        v = e["values"]
        if "vert.x-eventloop" not in str(v.get("eventThread", {}).get("javaName", "")):
            continue
        w = v["weight"]
        total += w
        alloc[v["objectClass"]["name"].split(".")[-1] + " @ " + site(v["stackTrace"], 6)] += w
    print(f"== allocation on event-loop threads: {total / 2**20:.0f} MiB sampled weight")
    for k, w in alloc.most_common(n):
        print(f"{100 * w / max(total, 1):5.1f}%  {k}")
    cpu = collections.Counter()
    samples = 0
    for e in events(path, "jdk.ExecutionSample"):
        samples += 1
        frames = (e["values"]["stackTrace"] or {}).get("frames", [])
        if frames:
            cpu[frame(frames[0])] += 1
    print(f"\n== execution samples (top frame), {samples} samples")
    for k, c in cpu.most_common(n):
        print(f"{100 * c / max(samples, 1):5.1f}%  {k}")

main()
