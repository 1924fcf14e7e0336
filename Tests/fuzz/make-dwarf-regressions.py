#!/usr/bin/env python3
"""Writes the DWARF regression pairs of Tests/fuzz/regressions (issue 21's DWARF sites).

    Tests/fuzz/make-dwarf-regressions.py IMAGE DEBUG OUTDIR

IMAGE/DEBUG: a pair whose debug image has DW_FORM_implicit_const abbreviations (GCC -gdwarf-5;
BoundarySweepTests.gccDWARF5 builds one), ELF64 little-endian. For each edit it writes
OUTDIR/NAME (a copy of IMAGE) and OUTDIR/NAME.dbg (the edited DEBUG), which the fuzz replay runs
as a pair:

  dwarf-implicit-const-*: every implicit_const value of DW_AT_decl_file/line/column set to a
      boundary value (the field mutator can only set the 1-byte values GCC writes; these need a
      longer SLEB128, so .debug_abbrev is re-encoded and appended at the end of the file);
  dwarf-strings-at-end-*: .debug_str and .debug_line_str moved to the last bytes of the file, so
      every name read from them runs off the end of the mapped bytes (the 204 s hang of
      `DWARFSummary.declaration` reading a name byte by byte past its table).
"""
import os, struct, sys

def uleb(b, i):
    v = s = 0
    while True:
        x = b[i]; i += 1; v |= (x & 0x7f) << s; s += 7
        if not x & 0x80: return v, i

def sleb(b, i):
    v = s = 0
    while True:
        x = b[i]; i += 1; v |= (x & 0x7f) << s; s += 7
        if not x & 0x80:
            if x & 0x40: v -= 1 << s
            return v, i

def enc_uleb(v):
    out = bytearray()
    while True:
        x = v & 0x7f; v >>= 7
        out.append(x | (0x80 if v else 0))
        if not v: return bytes(out)

def enc_sleb(v):
    out = bytearray()
    while True:
        x = v & 0x7f; v >>= 7
        done = (v == 0 and not x & 0x40) or (v == -1 and x & 0x40)
        out.append(x | (0 if done else 0x80))
        if done: return bytes(out)

def sections(d):
    assert d[:4] == b"\x7fELF" and d[4] == 2 and d[5] == 1, "ELF64 little-endian only"
    shoff, = struct.unpack_from("<Q", d, 40)
    shentsize, shnum, shstrndx = struct.unpack_from("<HHH", d, 58)
    rows = [struct.unpack_from("<IIQQQQIIQQ", d, shoff + i * shentsize) for i in range(shnum)]
    stroff = rows[shstrndx][4]
    def name(n): return d[stroff + n:d.index(b"\0", stroff + n)].decode()
    return {name(r[0]): (shoff + i * shentsize, r) for i, r in enumerate(rows)}

def relocate(d, shdr_at, data):
    """Appends data at the end of d (8-aligned) and points the section header at it."""
    while len(d) % 8: d.append(0)
    struct.pack_into("<QQ", d, shdr_at + 24, len(d), len(data))
    d += data

def reencode_abbrev(table, value):
    out, i = bytearray(), 0
    while i < len(table):
        code, i = uleb(table, i); out += enc_uleb(code)
        if code == 0: continue
        tag, i = uleb(table, i); out += enc_uleb(tag); out.append(table[i]); i += 1
        while True:
            attr, i = uleb(table, i); form, i = uleb(table, i)
            out += enc_uleb(attr) + enc_uleb(form)
            if attr == 0 and form == 0: break
            if form == 0x21:
                v, i = sleb(table, i)
                out += enc_sleb(value if attr in (0x39, 0x3a, 0x3b) else v)
    return bytes(out)

def main():
    image, debug, outdir = sys.argv[1:4]
    plain, d0 = open(image, "rb").read(), open(debug, "rb").read()
    shdrs = sections(d0)
    at, r = shdrs[".debug_abbrev"]
    table = d0[r[4]:r[4] + r[5]]
    edits = {}
    for label, v in [("int32max", 2**31 - 1), ("2e32", 2**32), ("int64max", 2**63 - 1), ("int64min", -2**63), ("minus1", -1)]:
        d = bytearray(d0)
        relocate(d, at, reencode_abbrev(table, v))
        edits["dwarf-implicit-const-" + label] = d
    d = bytearray(d0)
    for name in (".debug_str", ".debug_line_str"):
        if name in shdrs:
            at2, r2 = shdrs[name]
            # The table's last byte (a NUL) dropped: the last name has no terminator in the file.
            relocate(d, at2, d0[r2[4]:r2[4] + r2[5] - 1])
    edits["dwarf-strings-at-end"] = d
    for name, d in edits.items():
        open(os.path.join(outdir, name), "wb").write(plain)
        open(os.path.join(outdir, name + ".dbg"), "wb").write(bytes(d))
        print(name)

main()
