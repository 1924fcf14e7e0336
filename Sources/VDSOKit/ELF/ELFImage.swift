/// The ELF header fields vdsogen looks at, for either class.
public struct ELFHeader: Sendable {
    public var is64: Bool
    public var littleEndian: Bool
    public var osabi: UInt8
    public var type: UInt16
    public var machine: UInt16
    public var version: UInt32
    public var entry: UInt64
    public var phoff: UInt64
    public var shoff: UInt64
    public var flags: UInt32
    public var ehsize: UInt16
    public var phentsize: UInt16
    public var phnum: Int
    public var shentsize: UInt16
    public var shnum: Int
    public var shstrndx: Int

    /// Size of one Elf_Sym for this class.
    public var symbolEntrySize: UInt64 { is64 ? 24 : 16 }
    /// Size of one Elf_Dyn for this class.
    public var dynamicEntrySize: UInt64 { is64 ? 16 : 8 }
    /// Size of the ELF header for this class.
    public var headerSize: UInt64 { is64 ? 64 : 52 }
    /// Size of one program header for this class.
    public var programHeaderSize: UInt64 { is64 ? 56 : 32 }
    /// Size of one section header for this class.
    public var sectionHeaderSize: UInt64 { is64 ? 64 : 40 }
}

/// One program header.
public struct Segment: Sendable {
    public var index: Int
    public var type: UInt32
    public var flags: UInt32
    public var offset: UInt64
    public var vaddr: UInt64
    public var paddr: UInt64
    public var filesz: UInt64
    public var memsz: UInt64
    public var align: UInt64
    /// The file's `e_machine`: processor-specific types are named by it (TypeNames).
    public var machine: UInt16 = 0

    public var isReadable: Bool { flags & PF.r != 0 }
    public var isWritable: Bool { flags & PF.w != 0 }
    public var isExecutable: Bool { flags & PF.x != 0 }
    public var typeName: String { TypeNames.segment(type, machine: machine) }
    /// `offset + filesz`, saturating.
    public var fileEnd: UInt64 { offset.addingReportingOverflow(filesz).overflow ? .max : offset + filesz }
    /// `vaddr + memsz`, saturating.
    public var memoryEnd: UInt64 { vaddr.addingReportingOverflow(memsz).overflow ? .max : vaddr + memsz }
}

/// One section header, with its name resolved.
public struct Section: Sendable {
    public var index: Int
    public var name: String
    public var type: UInt32
    public var flags: UInt64
    public var addr: UInt64
    public var offset: UInt64
    public var size: UInt64
    public var link: UInt32
    public var info: UInt32
    public var addralign: UInt64
    public var entsize: UInt64

    public var isAllocated: Bool { flags & SHF.alloc != 0 }
    public var isWritable: Bool { flags & SHF.write != 0 }
    public var isExecutable: Bool { flags & SHF.execinstr != 0 }
    /// Bytes the section occupies in the file (SHT_NOBITS occupies none).
    public var fileSize: UInt64 { type == SHT.nobits ? 0 : size }
}

/// One symbol of `.symtab` or `.dynsym`.
public struct Symbol: Sendable {
    public var index: Int
    public var name: String
    public var value: UInt64
    public var size: UInt64
    public var type: UInt8
    public var bind: UInt8
    public var other: UInt8
    public var shndx: UInt16

    public var isDefined: Bool { shndx != SHN.undef }
    public var isGlobalOrWeak: Bool { bind == STB.global || bind == STB.weak }
    /// STV_DEFAULT or STV_PROTECTED: visible outside the object.
    public var isExported: Bool { isGlobalOrWeak && isDefined && (other & 3) != 2 && (other & 3) != 1 }
}

/// One relocation entry of a SHT_REL/SHT_RELA/SHT_RELR section.
public struct Relocation: Sendable {
    public var section: String
    public var offset: UInt64
    public var type: UInt32
    public var symbolIndex: UInt32
}

/// One ELF note, wherever it was found.
public struct Note: Sendable {
    public var owner: String
    public var type: UInt32
    public var descriptor: [UInt8]
    /// Where the note lives: a section name or `PT_NOTE[n]`.
    public var location: String
    /// The file offset of the note's header.
    public var offset: UInt64 = 0
}

/// A parsed ELF file: the raw bytes plus everything libelf decoded from its headers and tables.
///
/// Structural defects met while reading (tables past the end of the file, bad string offsets)
/// do not throw: they are collected in `defects` and reported by the `elf-header` rule, so one
/// malformed table does not hide everything else that is wrong.
public struct ELFImage: Sendable {
    public var path: String
    public var bytes: ByteView
    public var header: ELFHeader
    public var segments: [Segment]
    public var sections: [Section]
    /// The full symbol table (`.symtab`), empty in a stripped image.
    public var symbols: [Symbol]
    /// The `.dynsym` section's symbols, as a section-reading tool sees them.
    public var dynamicSymbolSection: [Symbol]
    public var relocations: [Relocation]
    public var notes: [Note]
    public var defects: [String]
    /// Note areas that cannot be walked to their end (a note that runs past its area, an
    /// alignment other than 4 or 8): readelf and eu-readelf stop there too. Kept apart from
    /// `defects` because Linux has shipped images with them (a 4-byte-format note after an
    /// 8-byte-aligned property note): the notes before the fault are in `notes`.
    public var noteDefects: [String] = []
    /// The notes found by walking each PT_NOTE with its own p_align, as tools that read the
    /// mapped image do (perf, libdwfl, gdb reading memory), and where such a walk stops.
    public var segmentNotes: [Note] = []
    public var segmentNoteDefects: [String] = []

    public var fileSize: UInt64 { UInt64(bytes.count) }

    /// True when the file ends before the end of its first PT_LOAD: a file cut short (a failed
    /// copy, a partial download), in which every table past the cut reads as missing.
    public var isTruncated: Bool {
        guard let load = segments.first(where: { $0.type == PT.load }) else { return false }
        return load.fileEnd > fileSize
    }

    public func segments(ofType type: UInt32) -> [Segment] { segments.filter { $0.type == type } }
    public func section(named name: String) -> Section? { sections.first { $0.name == name } }

    /// The GNU build-id, if a note carries one.
    public var buildID: [UInt8]? {
        notes.first { $0.owner == "GNU" && $0.type == NT.gnuBuildID }?.descriptor
    }

    /// The section containing a virtual address, preferring allocated PROGBITS.
    public func section(containing address: UInt64) -> Section? {
        sections.first { $0.isAllocated && $0.size > 0 && address >= $0.addr && address - $0.addr < $0.size }
    }
}
