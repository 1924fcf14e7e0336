/// The raw ELF walk behind `QEMUVdsoScan`: the headers read straight from the bytes at the field
/// offsets of the file's class (the offsets gen-vdso's relocation list names are field offsets
/// in the file, so a decoded view would not do), each table bounds-checked before it is used.
struct QEMUElfWalk {
    struct Header {
        /// File offset of the header entry.
        var at: UInt32
        var type: UInt32
        var flags: UInt32 = 0
        var offset: UInt64
        var vaddr: UInt64 = 0
        var filesz: UInt64 = 0
        var memsz: UInt64 = 0
        var size: UInt64 = 0
        var link: UInt32 = 0
        var offset32: UInt32 { UInt32(truncatingIfNeeded: offset) }
        /// Whole entries of `entrySize` in a section of `size` bytes (gen-vdso divides likewise).
        func entries(_ entrySize: UInt32) -> Int { Int(size / UInt64(entrySize)) }
    }

    let bytes: [UInt8]
    let view: ByteView
    let path: String
    let is64: Bool
    let littleEndian: Bool
    var machine: UInt16 = 0
    var phoff: UInt64 = 0
    var programHeaders: [Header] = []
    var sectionHeaders: [Header] = []
    var symtabIndex: Int?
    var dynsymIndex: Int?

    init(bytes: [UInt8], path: String, is64: Bool, littleEndian: Bool) {
        self.bytes = bytes
        self.view = ByteView(bytes, littleEndian: littleEndian)
        self.path = path
        self.is64 = is64
        self.littleEndian = littleEndian
    }

    // Field offsets of the class: Elf64_Phdr/Elf32_Phdr, _Shdr, _Sym.
    var phSize: UInt32 { is64 ? 56 : 32 }
    var shSize: UInt32 { is64 ? 64 : 40 }
    var symbolSize: UInt32 { is64 ? 24 : 16 }
    var wordSize: UInt64 { is64 ? 8 : 4 }
    var phVaddr: UInt32 { is64 ? 16 : 8 }
    var phPaddr: UInt32 { is64 ? 24 : 12 }
    var phFilesz: UInt32 { is64 ? 32 : 16 }
    var phMemsz: UInt32 { is64 ? 40 : 20 }
    var shAddr: UInt32 { is64 ? 16 : 12 }
    var symValue: UInt32 { is64 ? 8 : 4 }

    func word(_ at: UInt64) -> UInt64 { view.word(at, is64: is64) ?? 0 }

    /// The ELF header, then the program and section header tables, which must lie in the file
    /// with entries of the class's size (gen-vdso indexes them as arrays of its structs).
    mutating func readHeaders() throws(VDSOError) {
        guard view.contains(0, is64 ? 64 : 52) else { throw .notELF(path: path, reason: "shorter than its ELF header") }
        machine = view.u16(18) ?? 0
        phoff = word(is64 ? 32 : 28)
        let shoff = word(is64 ? 40 : 32)
        let e = is64 ? UInt64(54) : 42
        let phentsize = view.u16(e) ?? 0, phnum = view.u16(e + 2) ?? 0
        let shentsize = view.u16(e + 4) ?? 0, shnum = view.u16(e + 6) ?? 0
        if phnum > 0 && UInt32(phentsize) != phSize {
            throw .usage("\(path): e_phentsize is \(phentsize), not \(phSize): gen-vdso reads the program headers as Elf\(is64 ? 64 : 32)_Phdr")
        }
        if shnum > 0 && UInt32(shentsize) != shSize {
            throw .usage("\(path): e_shentsize is \(shentsize), not \(shSize): gen-vdso reads the section headers as Elf\(is64 ? 64 : 32)_Shdr")
        }
        guard view.contains(phoff, UInt64(phnum) * UInt64(phSize)) else {
            throw .notELF(path: path, reason: "the \(phnum) program headers at \(phoff) run past the end of the file")
        }
        guard view.contains(shoff, UInt64(shnum) * UInt64(shSize)) else {
            throw .notELF(path: path, reason: "the \(shnum) section headers at \(shoff) run past the end of the file")
        }
        for i in 0..<UInt64(phnum) {
            let at = phoff + i * UInt64(phSize)
            programHeaders.append(Header(at: UInt32(at), type: view.u32(at) ?? 0, flags: view.u32(at + (is64 ? 4 : 24)) ?? 0,
                                         offset: word(at + (is64 ? 8 : 4)), vaddr: word(at + UInt64(phVaddr)),
                                         filesz: word(at + UInt64(phFilesz)), memsz: word(at + UInt64(phMemsz))))
        }
        for i in 0..<UInt64(shnum) {
            let at = shoff + i * UInt64(shSize)
            let h = Header(at: UInt32(at), type: view.u32(at + 4) ?? 0, offset: word(at + (is64 ? 24 : 16)),
                           size: word(at + (is64 ? 32 : 20)), link: view.u32(at + (is64 ? 40 : 24)) ?? 0)
            sectionHeaders.append(h)
            // The last of each wins, as in gen-vdso's loop.
            if h.type == SHT.symtab { symtabIndex = Int(i) }
            if h.type == SHT.dynsym { dynsymIndex = Int(i) }
        }
        for index in [symtabIndex, dynsymIndex].compactMap({ $0 }) {
            let s = sectionHeaders[index]
            guard view.contains(s.offset, s.size) else {
                throw .notELF(path: path, reason: "symbol table section [\(index)] runs past the end of the file")
            }
        }
    }

    /// gen-vdso's checks of the PT_LOAD, and its widening of the LOAD to the whole file (in the
    /// copy). Returns nothing; records the link base.
    func checkLoad(into image: inout QEMUVdsoImage, makeWritable: Bool, refusals: inout [String]) {
        let loads = programHeaders.filter { $0.type == PT.load }
        guard let load = loads.first else {
            refusals.append("no PT_LOAD segment: QEMU's loader maps the image from it")
            return
        }
        let len = UInt64(bytes.count)
        if loads.count > 1 { refusals.append("Multiple LOAD segments (\(loads.count)): link the image into one PT_LOAD") }
        if load.offset != 0 { refusals.append("LOAD segment does not cover EHDR (p_offset \(hex(load.offset))): put FILEHDR in the PT_LOAD") }
        if load.vaddr % 4096 != 0 {
            refusals.append("LOAD segment not loaded at a page boundary (p_vaddr \(hex(load.vaddr))): link the image at 0")
        }
        if load.filesz != load.memsz {
            refusals.append("LOAD segment's filesz and memsz differ (\(hex(load.filesz)), \(hex(load.memsz))): a vDSO for QEMU can have no .bss")
        }
        if load.filesz > len { refusals.append("LOAD segment is larger than the whole VDSO (\(hex(load.filesz)) > \(hex(len))): is the file truncated?") }
        if len < phoff + UInt64(programHeaders.count) * UInt64(phSize) { refusals.append("LOAD segment does not cover PHDRs") }
        let rw = PF.r | PF.w
        if load.flags & rw != rw && !makeWritable {
            refusals.append("LOAD segment is not read-write (QEMU's loader writes the relocations into it, then makes it read-only): "
                            + "link the PT_LOAD with FLAGS(7), or pass --qemu-writable to set PF_W in the copy")
        }
        image.linkBase = load.vaddr
        put(len, at: UInt64(load.at + phFilesz), in: &image.bytes)
        put(len, at: UInt64(load.at + phMemsz), in: &image.bytes)
        if makeWritable {
            let flagsAt = UInt64(load.at) + (is64 ? 4 : 24)
            put32(load.flags | rw, at: flagsAt, in: &image.bytes)
        }
    }

    /// gen-vdso's check that PT_PHDR, PT_NOTE and PT_DYNAMIC lie in the (widened) LOAD; returns
    /// the file offset of the last PT_DYNAMIC, as gen-vdso keeps.
    func checkCovered(base: UInt64, refusals: inout [String]) -> UInt64? {
        var dynamic: UInt64?
        let names: [UInt32: String] = [PT.phdr: "PT_PHDR", PT.note: "PT_NOTE", PT.dynamic: "PT_DYNAMIC"]
        for p in programHeaders {
            guard let which = names[p.type] else { continue }
            if p.type == PT.dynamic { dynamic = p.offset }
            let (start, below) = p.vaddr.subtractingReportingOverflow(base)
            let (end, over) = start.addingReportingOverflow(p.filesz)
            if below || over || end > UInt64(bytes.count) { refusals.append("LOAD segment does not cover \(which)") }
        }
        return dynamic
    }

    func hex(_ v: UInt64) -> String { "0x" + String(v, radix: 16) }

    func put(_ value: UInt64, at offset: UInt64, in out: inout [UInt8]) {
        if is64 { putBytes(value, 8, at: offset, in: &out) } else { putBytes(value, 4, at: offset, in: &out) }
    }

    func put32(_ value: UInt32, at offset: UInt64, in out: inout [UInt8]) { putBytes(UInt64(value), 4, at: offset, in: &out) }

    private func putBytes(_ value: UInt64, _ size: Int, at offset: UInt64, in out: inout [UInt8]) {
        guard view.contains(offset, UInt64(size)) else { return }
        for i in 0..<size {
            let shift = UInt64(littleEndian ? i : size - 1 - i) * 8
            out[Int(offset) + i] = UInt8(truncatingIfNeeded: value >> shift)
        }
    }
}
