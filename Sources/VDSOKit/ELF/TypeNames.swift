/// The names of segment and section types, as readelf prints them, including the
/// processor-specific ranges (0x70000000-0x7fffffff), which mean different things per machine:
/// segment type 0x70000003 is PT_RISCV_ATTRIBUTES on RISC-V and PT_MIPS_ABIFLAGS on MIPS. A
/// message naming a type this table does not know prints it in hex.
public enum TypeNames {
    /// `PT_` names beyond `PT.name`'s, for every machine (GNU and LLVM extensions).
    static let genericSegments: [UInt32: String] = [
        0x6474_e554: "GNU_SFRAME",
        0x65a3_dbe5: "OPENBSD_MUTABLE", 0x65a3_dbe6: "OPENBSD_RANDOMIZE", 0x65a3_dbe7: "OPENBSD_WXNEEDED",
        0x65a4_1be6: "OPENBSD_BOOTDATA",
    ]

    /// Processor-specific `PT_` names, by `e_machine`.
    static let processorSegments: [UInt16: [UInt32: String]] = [
        EM.arm: [0x7000_0000: "ARM_ARCHEXT", 0x7000_0001: "ARM_EXIDX"],
        EM.aarch64: [0x7000_0000: "AARCH64_ARCHEXT", 0x7000_0001: "AARCH64_UNWIND", 0x7000_0002: "AARCH64_MEMTAG_MTE"],
        EM.riscv: [0x7000_0003: "RISCV_ATTRIBUTES"],
        EM.mips: [0x7000_0000: "MIPS_REGINFO", 0x7000_0001: "MIPS_RTPROC", 0x7000_0002: "MIPS_OPTIONS", 0x7000_0003: "MIPS_ABIFLAGS"],
        EM.parisc: [0x7000_0000: "PARISC_ARCHEXT", 0x7000_0001: "PARISC_UNWIND"],
    ]

    /// `SHT_` names of the generic and OS ranges (readelf's spelling: GNU_verdef, not GNU_VERDEF).
    static let genericSections: [UInt32: String] = [
        0: "NULL", 1: "PROGBITS", 2: "SYMTAB", 3: "STRTAB", 4: "RELA", 5: "HASH", 6: "DYNAMIC", 7: "NOTE",
        8: "NOBITS", 9: "REL", 10: "SHLIB", 11: "DYNSYM", 14: "INIT_ARRAY", 15: "FINI_ARRAY",
        16: "PREINIT_ARRAY", 17: "GROUP", 18: "SYMTAB_SHNDX", 19: "RELR",
        0x6000_0001: "ANDROID_REL", 0x6000_0002: "ANDROID_RELA", 0x6fff_ff00: "ANDROID_RELR",
        0x6fff_4c00: "LLVM_ODRTAB", 0x6fff_4c01: "LLVM_LINKER_OPTIONS", 0x6fff_4c03: "LLVM_ADDRSIG",
        0x6fff_4c04: "LLVM_DEPENDENT_LIBRARIES", 0x6fff_4c05: "LLVM_SYMPART", 0x6fff_4c06: "LLVM_PART_EHDR",
        0x6fff_4c07: "LLVM_PART_PHDR", 0x6fff_4c09: "LLVM_CALL_GRAPH_PROFILE", 0x6fff_4c0a: "LLVM_BB_ADDR_MAP",
        0x6fff_4c0b: "LLVM_OFFLOADING", 0x6fff_4c0c: "LLVM_LTO",
        0x6fff_fff4: "GNU_SFRAME", 0x6fff_fff5: "GNU_ATTRIBUTES", 0x6fff_fff6: "GNU_HASH", 0x6fff_fff7: "GNU_LIBLIST",
        0x6fff_fffd: "GNU_verdef", 0x6fff_fffe: "GNU_verneed", 0x6fff_ffff: "GNU_versym",
    ]

    /// Processor-specific `SHT_` names, by `e_machine`.
    static let processorSections: [UInt16: [UInt32: String]] = [
        EM.x86_64: [0x7000_0001: "X86_64_UNWIND"],
        EM.arm: [0x7000_0001: "ARM_EXIDX", 0x7000_0002: "ARM_PREEMPTMAP", 0x7000_0003: "ARM_ATTRIBUTES"],
        EM.aarch64: [0x7000_0003: "AARCH64_ATTRIBUTES", 0x7000_0004: "AARCH64_AUTH_RELR",
                     0x7000_0007: "AARCH64_MEMTAG_GLOBALS_STATIC", 0x7000_0008: "AARCH64_MEMTAG_GLOBALS_DYNAMIC"],
        EM.riscv: [0x7000_0003: "RISCV_ATTRIBUTES"],
        EM.mips: [0x7000_0006: "MIPS_REGINFO", 0x7000_000d: "MIPS_OPTIONS", 0x7000_002a: "MIPS_ABIFLAGS"],
    ]

    /// readelf's name of segment type `type` on `machine`: LOAD, GNU_EH_FRAME, RISCV_ATTRIBUTES,
    /// or the type in hex.
    public static func segment(_ type: UInt32, machine: UInt16) -> String {
        if let name = processorSegments[machine]?[type] ?? genericSegments[type] { return name }
        return PT.name(type)
    }

    /// The constant's name, `PT_RISCV_ATTRIBUTES`, or the type in hex when it has none here.
    public static func segmentConstant(_ type: UInt32, machine: UInt16) -> String {
        let name = segment(type, machine: machine)
        return name.hasPrefix("0x") ? name : "PT_" + name
    }

    /// readelf's name of section type `type` on `machine`: PROGBITS, GNU_HASH, RISCV_ATTRIBUTES,
    /// or the type in hex.
    public static func section(_ type: UInt32, machine: UInt16) -> String {
        processorSections[machine]?[type] ?? genericSections[type] ?? "0x" + String(type, radix: 16)
    }

    /// The constant's name, `SHT_RISCV_ATTRIBUTES`, or the type in hex when it has none here.
    public static func sectionConstant(_ type: UInt32, machine: UInt16) -> String {
        let name = section(type, machine: machine)
        return name.hasPrefix("0x") ? name : "SHT_" + name
    }
}

extension Segment {
    /// readelf's name of this segment's type on `machine` (processor-specific types named).
    public func typeName(machine: UInt16) -> String { TypeNames.segment(type, machine: machine) }
}

extension Section {
    /// readelf's name of this section's type on `machine` (processor-specific types named).
    public func typeName(machine: UInt16) -> String { TypeNames.section(type, machine: machine) }
}
