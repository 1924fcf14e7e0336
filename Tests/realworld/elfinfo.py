#!/usr/bin/env python3
"""Small facts about an ELF file, for run.sh and report.py.

Usage: elfinfo.py --arch FILE        prints the architecture (x86_64, i386, x32, aarch64, ...)
       elfinfo.py --has-dwarf FILE   exits 0 if FILE has a .debug_info section, 1 if not
"""
import struct
import sys

MACHINES = {
    3: "i386", 8: "mips", 20: "ppc", 21: "ppc64", 22: "s390", 40: "arm", 62: "x86_64",
    183: "aarch64", 243: "riscv", 258: "loongarch",
}


def header(blob):
    """Returns (class, little-endian, e_machine) or raises ValueError."""
    if len(blob) < 64 or blob[:4] != b"\x7fELF" or blob[4] not in (1, 2) or blob[5] not in (1, 2):
        raise ValueError("not an ELF file")
    little = blob[5] == 1
    (machine,) = struct.unpack_from("<H" if little else ">H", blob, 18)
    return blob[4], little, machine


def arch(blob):
    """The architecture name a person would use for this image."""
    cls, little, machine = header(blob)
    name = MACHINES.get(machine, f"EM_{machine}")
    bits = 64 if cls == 2 else 32
    if machine == 62 and bits == 32:
        return "x32"
    if machine == 3:
        return "i386"
    if machine == 40:
        return "arm" if little else "armeb"
    if machine == 183:
        return "aarch64" if little else "aarch64_be"
    if machine == 22:
        return "s390x" if bits == 64 else "s390"
    if machine in (20, 21):
        return ("ppc64" if bits == 64 else "ppc") + ("le" if little else "")
    if machine == 8:
        # e_flags: EF_MIPS_ABI2 (0x20) marks n32, an ELF32 image of a 64-bit ABI.
        (flags,) = struct.unpack_from("<I" if little else ">I", blob, 48 if bits == 64 else 36)
        abi = "mips64" if bits == 64 else ("mipsn32" if flags & 0x20 else "mips")
        return abi + ("el" if little else "")
    if machine in (243, 258):
        return f"{name}{bits}"
    return name


def sections(blob):
    """Yields the name of every section."""
    cls, little, _ = header(blob)
    e = "<" if little else ">"
    if cls == 2:
        shoff, = struct.unpack_from(e + "Q", blob, 40)
        shentsize, shnum, shstrndx = struct.unpack_from(e + "HHH", blob, 58)
        fmt = e + "IIQQQQ"
    else:
        shoff, = struct.unpack_from(e + "I", blob, 32)
        shentsize, shnum, shstrndx = struct.unpack_from(e + "HHH", blob, 46)
        fmt = e + "IIIIII"
    if shnum == 0 or shstrndx >= shnum or shoff + shnum * shentsize > len(blob):
        return
    hdrs = [struct.unpack_from(fmt, blob, shoff + i * shentsize) for i in range(shnum)]
    stroff, strsize = hdrs[shstrndx][4], hdrs[shstrndx][5]
    table = blob[stroff:stroff + strsize]
    for h in hdrs:
        end = table.find(b"\0", h[0])
        yield table[h[0]:end if end >= 0 else None].decode("latin-1")


def main():
    if len(sys.argv) != 3 or sys.argv[1] not in ("--arch", "--has-dwarf"):
        print(__doc__, file=sys.stderr)
        return 2
    with open(sys.argv[2], "rb") as f:
        blob = f.read()
    try:
        if sys.argv[1] == "--arch":
            print(arch(blob))
            return 0
        return 0 if any(n in (".debug_info", ".zdebug_info") for n in sections(blob)) else 1
    except (ValueError, struct.error):
        print(f"elfinfo: {sys.argv[2]}: not a readable ELF file", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
