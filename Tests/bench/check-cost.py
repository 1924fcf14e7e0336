#!/usr/bin/env python3
"""Tests/bench/check-cost.py [OUT] — one check, start to verdict, against Linux's readelf pipeline,
and where its milliseconds go (BENCHMARKS.md section 2). Every command is run in turn, N times
(CHECK_COST_RUNS, default 150), so the medians share one machine state; run from the checkout."""
import os, statistics, subprocess, sys, time

out = sys.argv[1] if len(sys.argv) > 1 else "out"
V = out + "/bin/vdsogen"
runs = int(os.environ.get("CHECK_COST_RUNS", "150"))
rules = subprocess.run([V, "check", "--list-rules"], capture_output=True, text=True).stdout
ids = [l.split("`")[1] for l in rules.splitlines() if l.startswith("### `")]
def skip(rs): return sum((["--skip", r] for r in rs), [])
pair = ["--debug", out + "/vdso.so.dbg", out + "/vdso.so"]
readelf = "readelf -rW %s | grep -v _NONE | grep -q ' R_'"
cases = {
    "check pair": [V, "check"] + pair,
    "check .dbg": [V, "check", out + "/vdso.so.dbg"],
    "check pair, full parser": ["env", "VDSOGEN_FULL_PARSER=1", V, "check"] + pair,
    "readelf pipeline .so": ["sh", "-c", readelf % (out + "/vdso.so")],
    "readelf pipeline .dbg": ["sh", "-c", readelf % (out + "/vdso.so.dbg")],
    "stage: start, parse, error": [V, "check", "/nonexistent.so"],
    "stage: read pair, no rule": [V, "check"] + skip(ids) + pair,
    "stage: rules but DWARF ones": [V, "check"] + skip(["dwarf", "stack-usage", "debug-match"]) + pair,
    "stage: json": [V, "check", "--format", "json"] + pair,
}
t = {k: [] for k in cases}
for _ in range(runs):
    for k, c in cases.items():
        s = time.perf_counter_ns()
        subprocess.run(c, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        t[k].append((time.perf_counter_ns() - s) / 1e6)
m = {k: statistics.median(v) for k, v in t.items()}
for k in cases:
    print("%-30s median %6.2f ms" % (k, m[k]))
print("check pair / readelf .so  %.2f" % (m["check pair"] / m["readelf pipeline .so"]))
print("check .dbg / readelf .dbg %.2f" % (m["check .dbg"] / m["readelf pipeline .dbg"]))
print("full parser / direct      %.2f" % (m["check pair, full parser"] / m["check pair"]))
print("rules read: %d" % len(ids))
