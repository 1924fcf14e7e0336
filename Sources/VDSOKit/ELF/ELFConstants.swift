// Typed ELF constants. The C macros import as Int32 and do not pattern-match against the UInt32 and
// Int64 fields of GElf structs, so the few vdsogen needs are restated here with the field's type.

/// Program header types (`p_type`).
public enum PT {
    public static let null: UInt32 = 0
    public static let load: UInt32 = 1
    public static let dynamic: UInt32 = 2
    public static let interp: UInt32 = 3
    public static let note: UInt32 = 4
    public static let shlib: UInt32 = 5
    public static let phdr: UInt32 = 6
    public static let tls: UInt32 = 7
    public static let gnuEHFrame: UInt32 = 0x6474_e550
    public static let gnuStack: UInt32 = 0x6474_e551
    public static let gnuRelro: UInt32 = 0x6474_e552
    public static let gnuProperty: UInt32 = 0x6474_e553
    /// RISC-V build attributes (`.riscv.attributes`), for tools that read the file.
    public static let riscvAttributes: UInt32 = 0x7000_0003

    /// The name readelf prints for a segment type.
    public static func name(_ type: UInt32) -> String {
        switch type {
        case null: return "NULL"
        case load: return "LOAD"
        case dynamic: return "DYNAMIC"
        case interp: return "INTERP"
        case note: return "NOTE"
        case shlib: return "SHLIB"
        case phdr: return "PHDR"
        case tls: return "TLS"
        case gnuEHFrame: return "GNU_EH_FRAME"
        case gnuStack: return "GNU_STACK"
        case gnuRelro: return "GNU_RELRO"
        case gnuProperty: return "GNU_PROPERTY"
        default: return "0x" + String(type, radix: 16)
        }
    }
}

/// Segment permission bits (`p_flags`).
public enum PF {
    public static let x: UInt32 = 1
    public static let w: UInt32 = 2
    public static let r: UInt32 = 4

    /// "R E"-style rendering, as readelf prints it.
    public static func describe(_ flags: UInt32) -> String {
        (flags & r != 0 ? "R" : " ") + (flags & w != 0 ? "W" : " ") + (flags & x != 0 ? "E" : " ")
    }
}

/// Section types (`sh_type`).
public enum SHT {
    public static let null: UInt32 = 0
    public static let progbits: UInt32 = 1
    public static let symtab: UInt32 = 2
    public static let strtab: UInt32 = 3
    public static let rela: UInt32 = 4
    public static let hash: UInt32 = 5
    public static let dynamic: UInt32 = 6
    public static let note: UInt32 = 7
    public static let nobits: UInt32 = 8
    public static let rel: UInt32 = 9
    public static let dynsym: UInt32 = 11
    public static let initArray: UInt32 = 14
    public static let finiArray: UInt32 = 15
    public static let preinitArray: UInt32 = 16
    public static let relr: UInt32 = 19
    public static let androidRel: UInt32 = 0x6000_0001
    public static let androidRela: UInt32 = 0x6000_0002
    public static let androidRelr: UInt32 = 0x6fff_ff00
    public static let gnuHash: UInt32 = 0x6fff_fff6
    public static let gnuVerdef: UInt32 = 0x6fff_fffd
    public static let gnuVerneed: UInt32 = 0x6fff_fffe
    public static let gnuVersym: UInt32 = 0x6fff_ffff
}

/// Section flags (`sh_flags`).
public enum SHF {
    public static let write: UInt64 = 0x1
    public static let alloc: UInt64 = 0x2
    public static let execinstr: UInt64 = 0x4
    public static let tls: UInt64 = 0x400
    /// The section's data starts with an `Elf_Chdr` and is compressed (`-gz`).
    public static let compressed: UInt64 = 0x800
}

/// `Elf_Chdr.ch_type`: how an SHF_COMPRESSED section is compressed.
public enum ELFCOMPRESS {
    public static let zlib: UInt32 = 1
    public static let zstd: UInt32 = 2
}

/// Dynamic tags (`d_tag`).
public enum DT {
    public static let null: Int64 = 0
    public static let needed: Int64 = 1
    public static let pltrelsz: Int64 = 2
    public static let pltgot: Int64 = 3
    public static let hash: Int64 = 4
    public static let strtab: Int64 = 5
    public static let symtab: Int64 = 6
    public static let rela: Int64 = 7
    public static let relasz: Int64 = 8
    public static let relaent: Int64 = 9
    public static let strsz: Int64 = 10
    public static let syment: Int64 = 11
    public static let initFn: Int64 = 12
    public static let finiFn: Int64 = 13
    public static let soname: Int64 = 14
    public static let rpath: Int64 = 15
    public static let symbolic: Int64 = 16
    public static let rel: Int64 = 17
    public static let relsz: Int64 = 18
    public static let relent: Int64 = 19
    public static let pltrel: Int64 = 20
    public static let debug: Int64 = 21
    public static let textrel: Int64 = 22
    public static let jmprel: Int64 = 23
    public static let bindNow: Int64 = 24
    public static let initArray: Int64 = 25
    public static let finiArray: Int64 = 26
    public static let initArraysz: Int64 = 27
    public static let finiArraysz: Int64 = 28
    public static let runpath: Int64 = 29
    public static let flags: Int64 = 30
    public static let preinitArray: Int64 = 32
    public static let preinitArraysz: Int64 = 33
    public static let relrsz: Int64 = 35
    public static let relr: Int64 = 36
    public static let relrent: Int64 = 37
    public static let androidRel: Int64 = 0x6000_000f
    public static let androidRelsz: Int64 = 0x6000_0010
    public static let androidRela: Int64 = 0x6000_0011
    public static let androidRelasz: Int64 = 0x6000_0012
    public static let androidRelr: Int64 = 0x6fff_e000
    public static let gnuHash: Int64 = 0x6fff_fef5
    public static let versym: Int64 = 0x6fff_fff0
    public static let relacount: Int64 = 0x6fff_fff9
    public static let relcount: Int64 = 0x6fff_fffa
    /// MIPS: the index of the first dynamic symbol with a global GOT entry, and the symbol count.
    public static let mipsSymtabno: Int64 = 0x7000_0011
    public static let mipsGotsym: Int64 = 0x7000_0013
    public static let flags1: Int64 = 0x6fff_fffb
    public static let verdef: Int64 = 0x6fff_fffc
    public static let verdefnum: Int64 = 0x6fff_fffd
    public static let verneed: Int64 = 0x6fff_fffe
    public static let verneednum: Int64 = 0x6fff_ffff

    /// DF_TEXTREL in DT_FLAGS.
    public static let dfTextrel: UInt64 = 0x4

    /// The name readelf prints for a tag, for messages.
    public static func name(_ tag: Int64) -> String {
        let names: [Int64: String] = [
            null: "DT_NULL", needed: "DT_NEEDED", pltrelsz: "DT_PLTRELSZ", pltgot: "DT_PLTGOT",
            hash: "DT_HASH", strtab: "DT_STRTAB", symtab: "DT_SYMTAB", rela: "DT_RELA",
            relasz: "DT_RELASZ", relaent: "DT_RELAENT", strsz: "DT_STRSZ", syment: "DT_SYMENT",
            initFn: "DT_INIT", finiFn: "DT_FINI", soname: "DT_SONAME", rpath: "DT_RPATH",
            symbolic: "DT_SYMBOLIC", rel: "DT_REL", relsz: "DT_RELSZ", relent: "DT_RELENT",
            pltrel: "DT_PLTREL", textrel: "DT_TEXTREL", jmprel: "DT_JMPREL",
            initArray: "DT_INIT_ARRAY", finiArray: "DT_FINI_ARRAY", initArraysz: "DT_INIT_ARRAYSZ",
            finiArraysz: "DT_FINI_ARRAYSZ", runpath: "DT_RUNPATH", flags: "DT_FLAGS",
            preinitArray: "DT_PREINIT_ARRAY", preinitArraysz: "DT_PREINIT_ARRAYSZ",
            relrsz: "DT_RELRSZ", relr: "DT_RELR", relrent: "DT_RELRENT", gnuHash: "DT_GNU_HASH",
            versym: "DT_VERSYM", verdef: "DT_VERDEF", verdefnum: "DT_VERDEFNUM",
            verneed: "DT_VERNEED", verneednum: "DT_VERNEEDNUM", androidRel: "DT_ANDROID_REL",
            androidRela: "DT_ANDROID_RELA", androidRelr: "DT_ANDROID_RELR",
            relacount: "DT_RELACOUNT", relcount: "DT_RELCOUNT", flags1: "DT_FLAGS_1",
        ]
        return names[tag] ?? "0x" + String(UInt64(bitPattern: tag), radix: 16)
    }
}

/// Symbol types and bindings (`st_info`), and special section indices.
public enum STT {
    public static let notype: UInt8 = 0
    public static let object: UInt8 = 1
    public static let function: UInt8 = 2
    public static let section: UInt8 = 3
    public static let file: UInt8 = 4
    public static let common: UInt8 = 5
    public static let tls: UInt8 = 6
    public static let gnuIFunc: UInt8 = 10

    public static func name(_ type: UInt8) -> String {
        switch type {
        case notype: return "NOTYPE"
        case object: return "OBJECT"
        case function: return "FUNC"
        case section: return "SECTION"
        case file: return "FILE"
        case common: return "COMMON"
        case tls: return "TLS"
        case gnuIFunc: return "IFUNC"
        default: return String(type)
        }
    }
}

public enum STB {
    public static let local: UInt8 = 0
    public static let global: UInt8 = 1
    public static let weak: UInt8 = 2
}

public enum SHN {
    public static let undef: UInt16 = 0
    public static let abs: UInt16 = 0xfff1
    public static let common: UInt16 = 0xfff2
}

/// ELF header values.
public enum ET {
    public static let rel: UInt16 = 1
    public static let exec: UInt16 = 2
    public static let dyn: UInt16 = 3
    public static let core: UInt16 = 4
}

/// Machine numbers vdsogen knows by name (`e_machine`).
public enum EM {
    public static let i386: UInt16 = 3
    public static let arm: UInt16 = 40
    // swift-format-ignore: AlwaysUseLowerCamelCase
    public static let x86_64: UInt16 = 62
    public static let aarch64: UInt16 = 183
    public static let riscv: UInt16 = 243
    public static let loongarch: UInt16 = 258
    public static let ppc64: UInt16 = 21
    public static let s390: UInt16 = 22
    public static let mips: UInt16 = 8
    public static let ppc: UInt16 = 20
    public static let sparc32plus: UInt16 = 18
    public static let sparcv9: UInt16 = 43
    public static let parisc: UInt16 = 15
    public static let csky: UInt16 = 252
    public static let sh: UInt16 = 42
    public static let alpha: UInt16 = 0x9026

    public static func name(_ machine: UInt16) -> String {
        switch machine {
        case i386: return "i386"
        case arm: return "arm"
        case x86_64: return "x86-64"
        case aarch64: return "aarch64"
        case riscv: return "riscv"
        case loongarch: return "loongarch"
        case ppc64: return "ppc64"
        case s390: return "s390"
        case mips: return "mips"
        case ppc: return "ppc"
        case sparc32plus: return "sparc32plus"
        case sparcv9: return "sparcv9"
        case parisc: return "parisc"
        case csky: return "csky"
        case sh: return "sh"
        case alpha: return "alpha"
        default: return "machine \(machine)"
        }
    }
}

/// Note types vdsogen reads.
public enum NT {
    public static let gnuBuildID: UInt32 = 3
    public static let gnuPropertyType0: UInt32 = 5
}

/// Version-definition flags and special `versym` values.
public enum VER {
    public static let flagBase: UInt16 = 0x1
    public static let defCurrent: UInt16 = 1
    public static let symHidden: UInt16 = 0x8000
}
