#!/usr/bin/env python3
"""Carves the vDSO images embedded in a binary (User-mode Linux's kernel, gVisor's runsc).

Usage: carve.py --out DIR [--prefix NAME] BINARY

Every ELF shared object found inside BINARY (after its own header) whose dynamic string table
names a vDSO (a soname with "vdso" or "linux-gate", or a "LINUX_2.6" version) is written to
DIR/NAME-<offset>.so, cut at the end of the furthest of its section table, sections and segments.
Everything read is bounds-checked: a candidate that does not hold together is skipped.
"""
import argparse
import os
import struct
import sys


def parse(blob, at):
    """Returns the length of the ELF object at `at`, or None if it is not a whole shared object."""
    if blob[at:at + 4] != b"\x7fELF" or len(blob) < at + 64:
        return None
    cls, data = blob[at + 4], blob[at + 5]
    if cls not in (1, 2) or data not in (1, 2):
        return None
    e = "<" if data == 1 else ">"
    if cls == 2:
        fmt_h = e + "HHIQQQIHHHHHH"
        (etype, _mach, _ver, _entry, phoff, shoff, _flags, _ehsz, phentsize, phnum,
         shentsize, shnum, _shstrndx) = struct.unpack_from(fmt_h, blob, at + 16)
    else:
        fmt_h = e + "HHIIIIIHHHHHH"
        (etype, _mach, _ver, _entry, phoff, shoff, _flags, _ehsz, phentsize, phnum,
         shentsize, shnum, _shstrndx) = struct.unpack_from(fmt_h, blob, at + 16)
    if etype != 3 or phnum == 0 or phnum > 64 or shnum > 256:
        return None
    limit = len(blob) - at
    end = shoff + shnum * shentsize
    if shnum and end > limit:
        return None
    if phoff + phnum * phentsize > limit:
        return None
    dynamic = None
    for i in range(phnum):
        p = at + phoff + i * phentsize
        if cls == 2:
            ptype, _f, off, _va, _pa, filesz = struct.unpack_from(e + "IIQQQQ", blob, p)
        else:
            ptype, off, _va, _pa, filesz = struct.unpack_from(e + "IIIII", blob, p)
        if off + filesz > limit:
            return None
        end = max(end, off + filesz)
        if ptype == 2:
            dynamic = (off, filesz)
    for i in range(shnum):
        s = at + shoff + i * shentsize
        if cls == 2:
            _n, stype, _fl, _a, off, size = struct.unpack_from(e + "IIQQQQ", blob, s)
        else:
            _n, stype, _fl, _a, off, size = struct.unpack_from(e + "IIIIII", blob, s)
        if stype != 8 and stype != 0:
            if off + size > limit:
                return None
            end = max(end, off + size)
    if dynamic is None:
        return None
    image = blob[at:at + end]
    if not any(tag in image for tag in (b"linux-vdso", b"linux-gate", b"LINUX_2.6", b"vdso")):
        return None
    return end


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", required=True)
    ap.add_argument("--prefix", default="vdso")
    ap.add_argument("binary")
    args = ap.parse_args()
    with open(args.binary, "rb") as f:
        blob = f.read()
    os.makedirs(args.out, exist_ok=True)
    found = 0
    at = blob.find(b"\x7fELF", 1)
    while at != -1:
        try:
            size = parse(blob, at)
        except struct.error:
            size = None
        if size:
            path = os.path.join(args.out, f"{args.prefix}-{at:x}.so")
            with open(path, "wb") as out:
                out.write(blob[at:at + size])
            print(f"carve: {args.binary}+0x{at:x}: {size} bytes -> {path}", file=sys.stderr)
            found += 1
        at = blob.find(b"\x7fELF", at + 1)
    if not found:
        print(f"carve: no embedded vDSO in {args.binary}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
