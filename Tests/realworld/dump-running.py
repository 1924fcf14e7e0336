#!/usr/bin/env python3
"""Writes the running kernel's vDSO to a file: the [vdso] mapping of this very process.

Usage: dump-running.py OUT

The image is found where the kernel put it (the AT_SYSINFO_EHDR entry of /proc/self/auxv, checked
against the [vdso] line of /proc/self/maps) and read through /proc/self/mem.
"""
import struct
import sys


def main():
    if len(sys.argv) != 2:
        print("usage: dump-running.py OUT", file=sys.stderr)
        return 2
    ehdr = None
    with open("/proc/self/auxv", "rb") as f:
        auxv = f.read()
    word = struct.calcsize("P")
    fmt = "QQ" if word == 8 else "II"
    for i in range(0, len(auxv) - 2 * word + 1, 2 * word):
        key, value = struct.unpack_from(fmt, auxv, i)
        if key == 33:  # AT_SYSINFO_EHDR
            ehdr = value
    start = end = None
    with open("/proc/self/maps") as f:
        for line in f:
            if line.rstrip().endswith("[vdso]"):
                lo, hi = line.split()[0].split("-")
                start, end = int(lo, 16), int(hi, 16)
    if ehdr is None or start is None or ehdr != start:
        print("dump-running: this kernel maps no vDSO (no AT_SYSINFO_EHDR or [vdso] mapping)",
              file=sys.stderr)
        return 1
    with open("/proc/self/mem", "rb") as mem:
        mem.seek(start)
        image = mem.read(end - start)
    if image[:4] != b"\x7fELF":
        print(f"dump-running: no ELF header at 0x{start:x}", file=sys.stderr)
        return 1
    with open(sys.argv[1], "wb") as out:
        out.write(image)
    print(f"dump-running: {len(image)} bytes from 0x{start:x} -> {sys.argv[1]}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
