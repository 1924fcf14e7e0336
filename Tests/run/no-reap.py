#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""no-reap.py CMD [ARGS...]

Runs CMD as a child subreaper that reaps nothing but CMD itself, the way a
container's PID 1 that does not reap behaves: whatever CMD leaves behind
(an orphan, a zombie) becomes our child and stays.  Waits for CMD, then up to
2 s for such children to go, and prints each one left as "PID STATE COMM".
Exits with CMD's status as a shell reports it (128+N for signal N).
"""
import ctypes, os, sys, time

PR_SET_CHILD_SUBREAPER = 36
if ctypes.CDLL(None, use_errno=True).prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) != 0:
    sys.exit("no-reap.py: prctl(PR_SET_CHILD_SUBREAPER) failed")
pid = os.fork()
if pid == 0:
    os.execvp(sys.argv[1], sys.argv[1:])
_, st = os.waitpid(pid, 0)


def children():
    me, left = os.getpid(), []
    for p in filter(str.isdigit, os.listdir("/proc")):
        try:
            stat = open(f"/proc/{p}/stat").read()
        except OSError:
            continue
        comm = stat[stat.index("(") + 1:stat.rindex(")")]
        state, ppid = stat[stat.rindex(")") + 2:].split()[:2]
        if int(ppid) == me:
            left.append(f"{p} {state} {comm}")
    return left


deadline = time.time() + 2
while children() and time.time() < deadline:
    time.sleep(0.05)
for c in children():
    print(c)
sys.exit(os.waitstatus_to_exitcode(st) if os.WIFEXITED(st) else 128 + os.WTERMSIG(st))
