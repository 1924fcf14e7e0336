import CLibELF

/// Reads an ELF file of either class and byte order through libelf into an `ELFImage`.
///
/// Files that are not ELF at all, or whose ELF header cannot be read, throw `.notELF`; every
/// defect past that point is recorded in `ELFImage.defects` and left to the rules.
public enum ELFReader {
    private static let libelfReady: Bool = {
        elf_version(UInt32(EV_CURRENT)) != UInt32(EV_NONE)
    }()

    /// Reads and parses the file at `path`.
    public static func read(path: String) throws(VDSOError) -> ELFImage {
        let bytes = try FileIO.read(path)
        return try parse(bytes, path: path)
    }

    /// Parses an in-memory ELF file; `path` names it in messages.
    public static func parse(_ bytes: [UInt8], path: String) throws(VDSOError) -> ELFImage {
        guard libelfReady else { throw .notELF(path: path, reason: "libelf could not be initialised") }
        if bytes.isEmpty { throw .notELF(path: path, reason: "the file is empty") }
        if bytes.count < 4 || bytes[0] != 0x7f || bytes[1] != 0x45 || bytes[2] != 0x4c || bytes[3] != 0x46 {
            throw .notELF(path: path, reason: "no ELF magic (\\x7fELF) at the start of the file")
        }
        if bytes.count < 6 { throw .notELF(path: path, reason: "the file ends inside the ELF identification") }
        let cls = bytes[4], data = bytes[5]
        guard cls == 1 || cls == 2 else { throw .notELF(path: path, reason: "unknown ELF class \(cls)") }
        guard data == 1 || data == 2 else { throw .notELF(path: path, reason: "unknown ELF data encoding \(data)") }
        let ehsize = cls == 2 ? 64 : 52
        if bytes.count < ehsize {
            throw .notELF(path: path, reason: "truncated: \(bytes.count) bytes, shorter than the \(ehsize)-byte ELF header")
        }
        let view = ByteView(bytes, littleEndian: data == 1)
        let result: Result<ELFImage, VDSOError> = bytes.withUnsafeBytes { raw in
            // elf_memory wants a mutable pointer but with ELF_C_READ semantics it only reads.
            let base = UnsafeMutablePointer(mutating: raw.baseAddress!.assumingMemoryBound(to: CChar.self))
            guard let elf = elf_memory(base, raw.count) else {
                return .failure(.notELF(path: path, reason: String(cString: elf_errmsg(-1))))
            }
            defer { elf_end(elf) }
            guard elf_kind(elf) == ELF_K_ELF else { return .failure(.notELF(path: path, reason: "libelf does not recognise it as ELF")) }
            var parser = Parser(elf: elf, view: view, path: path)
            do throws(VDSOError) { return .success(try parser.run()) } catch { return .failure(error) }
        }
        return try result.get()
    }

    private struct Parser {
        let elf: OpaquePointer
        let view: ByteView
        let path: String
        var defects: [String] = []

        init(elf: OpaquePointer, view: ByteView, path: String) {
            self.elf = elf
            self.view = view
            self.path = path
        }

        mutating func run() throws(VDSOError) -> ELFImage {
            var ehdr = GElf_Ehdr()
            guard gelf_getehdr(elf, &ehdr) != nil else {
                throw .notELF(path: path, reason: String(cString: elf_errmsg(-1)))
            }
            let is64 = gelf_getclass(elf) == ELFCLASS64
            var header = ELFHeader(
                is64: is64, littleEndian: view.littleEndian, osabi: view.bytes[7],
                type: ehdr.e_type, machine: ehdr.e_machine, version: ehdr.e_version,
                entry: ehdr.e_entry, phoff: ehdr.e_phoff, shoff: ehdr.e_shoff, flags: ehdr.e_flags,
                ehsize: ehdr.e_ehsize, phentsize: ehdr.e_phentsize, phnum: Int(ehdr.e_phnum),
                shentsize: ehdr.e_shentsize, shnum: Int(ehdr.e_shnum), shstrndx: Int(ehdr.e_shstrndx))
            let segments = try readSegments(&header)
            let sections = readSections(&header)
            var symbols: [Symbol] = [], dynsyms: [Symbol] = [], relocations: [Relocation] = []
            for s in sections {
                switch s.type {
                case SHT.symtab: symbols = readSymbols(s, sections)
                case SHT.dynsym: dynsyms = readSymbols(s, sections)
                case SHT.rel, SHT.rela: relocations += readRelocations(s)
                case SHT.relr, SHT.androidRelr, SHT.androidRel, SHT.androidRela:
                    // Packed formats: any content is a relocation the loader would have to apply.
                    if s.size > 0 {
                        relocations.append(Relocation(section: s.name, offset: s.offset, type: UInt32.max, symbolIndex: 0))
                    }
                default: break
                }
            }
            var noteDefects: [String] = []
            let notes = readNotes(segments, sections, &noteDefects)
            var image = ELFImage(path: path, bytes: view, header: header, segments: segments, sections: sections,
                                 symbols: symbols, dynamicSymbolSection: dynsyms, relocations: relocations,
                                 notes: notes, defects: defects)
            image.noteDefects = noteDefects
            for p in segments where p.type == PT.note && view.contains(p.offset, p.filesz) {
                image.segmentNotes += NoteParser.parse(view, offset: p.offset, size: p.filesz, alignment: p.align,
                                                       location: "PT_NOTE[\(p.index)]", defects: &image.segmentNoteDefects)
            }
            return image
        }

        mutating func readSegments(_ header: inout ELFHeader) throws(VDSOError) -> [Segment] {
            // Bounds first, from the header's own count: libelf reports 0 for a table it cannot read.
            var count = header.phnum
            if count != 0xffff {
                let (end, o) = UInt64(count).multipliedReportingOverflow(by: UInt64(header.phentsize))
                if o || !view.contains(header.phoff, end) {
                    throw .notELF(path: path, reason: "truncated or corrupt: the program header table (\(count) entries at offset 0x\(hex(header.phoff))) lies past the end of the \(view.count)-byte file")
                }
            }
            guard elf_getphdrnum(elf, &count) == 0 else {
                throw .notELF(path: path, reason: "truncated or corrupt: the program header table (at offset 0x\(hex(header.phoff))) cannot be read: \(String(cString: elf_errmsg(-1)))")
            }
            header.phnum = count
            if count == 0 { return [] }
            if header.phentsize != UInt16(header.programHeaderSize) {
                defects.append("e_phentsize is \(header.phentsize), not \(header.programHeaderSize) as ELF\(header.is64 ? 64 : 32) requires")
                return []
            }
            let (size, o1) = UInt64(count).multipliedReportingOverflow(by: header.programHeaderSize)
            if o1 || !view.contains(header.phoff, size) {
                // Without its program headers nothing of the file can be mapped or looked into.
                throw .notELF(path: path, reason: "truncated or corrupt: the program header table (\(count) entries at offset 0x\(hex(header.phoff))) lies past the end of the \(view.count)-byte file")
            }
            var result: [Segment] = []
            result.reserveCapacity(count)
            for i in 0..<count {
                var p = GElf_Phdr()
                guard gelf_getphdr(elf, Int32(i), &p) != nil else {
                    // libelf loads the table whole: if one entry fails, they all do (one line, not one per entry).
                    defects.append("program headers \(i)..<\(count) cannot be read: \(String(cString: elf_errmsg(-1)))")
                    break
                }
                result.append(Segment(index: i, type: p.p_type, flags: p.p_flags, offset: p.p_offset,
                                      vaddr: p.p_vaddr, paddr: p.p_paddr, filesz: p.p_filesz,
                                      memsz: p.p_memsz, align: p.p_align, machine: header.machine))
            }
            return result
        }

        mutating func readSections(_ header: inout ELFHeader) -> [Section] {
            if header.shoff == 0 && header.shnum == 0 { return [] }
            if header.shentsize != UInt16(header.sectionHeaderSize) {
                defects.append("e_shentsize is \(header.shentsize), not \(header.sectionHeaderSize) as ELF\(header.is64 ? 64 : 32) requires")
                return []
            }
            if header.shnum != 0 {
                let (end, o) = UInt64(header.shnum).multipliedReportingOverflow(by: header.sectionHeaderSize)
                if o || !view.contains(header.shoff, end) {
                    defects.append("the section header table (\(header.shnum) entries at offset 0x\(hex(header.shoff))) lies past the end of the \(view.count)-byte file")
                    header.shnum = 0
                    return []
                }
            } else if !view.contains(header.shoff, header.sectionHeaderSize) {
                defects.append("e_shoff 0x\(hex(header.shoff)) lies past the end of the \(view.count)-byte file")
                return []
            } else if let extended = header.is64 ? view.u64(header.shoff + 32) : view.u32(header.shoff + 20).map(UInt64.init),
                      extended != 0 {
                // e_shnum 0 with a non-zero sh_size in section 0: the real count (SHN_LORESERVE or more).
                let (end, o) = extended.multipliedReportingOverflow(by: header.sectionHeaderSize)
                if o || !view.contains(header.shoff, end) {
                    defects.append("the section header table (\(extended) entries, from section 0's sh_size, at offset 0x\(hex(header.shoff))) lies past the end of the \(view.count)-byte file")
                    return []
                }
            }
            var count = 0
            guard elf_getshdrnum(elf, &count) == 0 else {
                defects.append("the section header count cannot be read: \(String(cString: elf_errmsg(-1)))")
                return []
            }
            let (size, o1) = UInt64(count).multipliedReportingOverflow(by: header.sectionHeaderSize)
            if o1 || !view.contains(header.shoff, size) {
                defects.append("the section header table (\(count) entries at offset 0x\(hex(header.shoff))) lies past the end of the \(view.count)-byte file")
                return []
            }
            header.shnum = count
            var strndx = 0
            if elf_getshdrstrndx(elf, &strndx) != 0 {
                defects.append("the section-name string table index cannot be read")
                strndx = -1
            } else if strndx >= count {
                defects.append("e_shstrndx \(strndx) is not a section (there are \(count))")
                strndx = -1
            }
            header.shstrndx = strndx
            var result: [Section] = []
            result.reserveCapacity(count)
            for i in 0..<count {
                guard let scn = elf_getscn(elf, i) else { continue }
                var sh = GElf_Shdr()
                guard gelf_getshdr(scn, &sh) != nil else {
                    defects.append("section header \(i) cannot be read")
                    continue
                }
                var name = ""
                if strndx > 0 {
                    if let p = elf_strptr(elf, strndx, Int(sh.sh_name)) {
                        name = String(cString: p)
                    } else if i != 0 {
                        defects.append("section \(i)'s name offset \(sh.sh_name) lies outside the section-name string table")
                        name = "<bad name>"
                    }
                }
                let s = Section(index: i, name: name, type: sh.sh_type, flags: sh.sh_flags, addr: sh.sh_addr,
                                offset: sh.sh_offset, size: sh.sh_size, link: sh.sh_link, info: sh.sh_info,
                                addralign: sh.sh_addralign, entsize: sh.sh_entsize)
                if s.type != SHT.nobits && s.type != SHT.null && !view.contains(s.offset, s.size) {
                    defects.append("section \(i) \(name) (offset 0x\(hex(s.offset)), size 0x\(hex(s.size))) extends past the end of the file")
                }
                result.append(s)
            }
            return result
        }

        mutating func readSymbols(_ s: Section, _ sections: [Section]) -> [Symbol] {
            guard view.contains(s.offset, s.size), let scn = elf_getscn(elf, s.index),
                  let data = elf_getdata(scn, nil) else { return [] }
            let entsize: UInt64 = gelf_getclass(elf) == ELFCLASS64 ? 24 : 16
            if s.entsize != 0 && s.entsize != entsize {
                defects.append("section \(s.name) has sh_entsize \(s.entsize), not sizeof(Elf\(entsize == 24 ? 64 : 32)_Sym) = \(entsize)")
            }
            let count = Int(s.size / entsize)
            let strtabValid = Int(s.link) < sections.count && sections[Int(s.link)].type == SHT.strtab
            var result: [Symbol] = []
            result.reserveCapacity(count)
            for i in 0..<count {
                var sym = GElf_Sym()
                guard gelf_getsym(data, Int32(i), &sym) != nil else { break }
                var name = ""
                if sym.st_name != 0 {
                    if strtabValid, let p = elf_strptr(elf, Int(s.link), Int(sym.st_name)) {
                        name = String(cString: p)
                    } else {
                        defects.append("\(s.name) symbol \(i): name offset \(sym.st_name) lies outside its string table")
                        name = "<bad name>"
                    }
                }
                result.append(Symbol(index: i, name: name, value: sym.st_value, size: sym.st_size,
                                     type: sym.st_info & 0xf, bind: sym.st_info >> 4,
                                     other: sym.st_other, shndx: sym.st_shndx))
            }
            return result
        }

        func readRelocations(_ s: Section) -> [Relocation] {
            guard view.contains(s.offset, s.size), let scn = elf_getscn(elf, s.index),
                  let data = elf_getdata(scn, nil) else { return [] }
            let is64 = gelf_getclass(elf) == ELFCLASS64
            let rela = s.type == SHT.rela
            let entsize: UInt64 = rela ? (is64 ? 24 : 12) : (is64 ? 16 : 8)
            var result: [Relocation] = []
            for i in 0..<Int(s.size / entsize) {
                var offset: UInt64 = 0, info: UInt64 = 0
                if rela {
                    var r = GElf_Rela()
                    guard gelf_getrela(data, Int32(i), &r) != nil else { break }
                    offset = r.r_offset; info = r.r_info
                } else {
                    var r = GElf_Rel()
                    guard gelf_getrel(data, Int32(i), &r) != nil else { break }
                    offset = r.r_offset; info = r.r_info
                }
                // GElf widens ELF32 r_info (sym << 8 | type) to the ELF64 form (sym << 32 | type).
                result.append(Relocation(section: s.name, offset: offset, type: UInt32(truncatingIfNeeded: info),
                                         symbolIndex: UInt32(truncatingIfNeeded: info >> 32)))
            }
            return result
        }

        /// The notes of every note section, and of every PT_NOTE that holds none. An area past
        /// the end of the file is a structural defect; a note that cannot be walked within its
        /// area goes to `noteDefects`.
        mutating func readNotes(_ segments: [Segment], _ sections: [Section], _ noteDefects: inout [String]) -> [Note] {
            var ranges: [(offset: UInt64, size: UInt64, align: UInt64, location: String)] = []
            for s in sections where s.type == SHT.note {
                ranges.append((s.offset, s.size, s.addralign, s.name))
            }
            for p in segments where p.type == PT.note {
                // A segment that holds note sections was read through them (several sections of
                // different alignments may share one PT_NOTE); read it only when none lies in it.
                let holdsSection = ranges.contains { $0.offset >= p.offset && $0.size <= p.filesz
                    && $0.offset - p.offset <= p.filesz - $0.size }
                if !holdsSection || !view.contains(p.offset, p.filesz) {
                    ranges.append((p.offset, p.filesz, p.align, "PT_NOTE[\(p.index)]"))
                }
            }
            var notes: [Note] = []
            for r in ranges {
                guard view.contains(r.offset, r.size) else {
                    defects.append("note area \(r.location) extends past the end of the file")
                    continue
                }
                notes += NoteParser.parse(view, offset: r.offset, size: r.size, alignment: r.align,
                                          location: r.location, defects: &noteDefects)
            }
            return notes
        }

        func hex(_ v: UInt64) -> String { String(v, radix: 16) }
    }
}
