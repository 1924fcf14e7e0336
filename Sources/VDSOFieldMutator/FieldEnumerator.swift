/// Lists every field of an ELF image that the boundary mutator sets: the ELF header, each program
/// and section header, each dynamic entry's value, each `.dynsym` symbol, the version definitions,
/// the DT_HASH / DT_GNU_HASH header words, note headers, `.eh_frame_hdr` and its FDE table, and the
/// length, CIE pointer and pc range of each `.eh_frame` entry, and the DWARF unit headers and
/// abbreviations of a debug image (FieldEnumerator+DWARF.swift). Both ELF classes, both byte orders.
///
/// The walk is bounded everywhere (at most `limit` entries per table, every offset checked
/// against the file), so it runs on hostile images as well as on the default ones.
struct FieldEnumerator {
    let f: FieldBytes
    var fields: [ELFField] = []
    /// Address fields that only the rebase moves (`.symtab` values in a debug twin).
    var rebaseOnly: [ELFField] = []
    /// `.eh_frame` edits (FieldEnumerator+CFI.swift).
    var patches: [CFIPatch] = []
    /// One past the highest address of any PT_LOAD (saturating), for the rebase to the top.
    var loadEnd: UInt64 = 0
    private var seen: Set<Int> = []
    /// At most this many entries of any one table.
    let limit = 4096

    init(_ f: FieldBytes) { self.f = f }

    struct SectionRow { var index: Int; var name: String; var type: UInt32; var addr: UInt64; var offset: Int?; var size: UInt64; var link: UInt32; var info: UInt32; var align: UInt64 }
    struct SegmentRow { var type: UInt32; var offset: Int?; var vaddr: UInt64; var filesz: UInt64 }

    mutating func add(_ name: String, _ offset: Int, _ width: Int, address: Bool = false, rebaseOnly only: Bool = false) {
        guard offset >= 0, offset <= f.bytes.count - width, !seen.contains(offset) else { return }
        seen.insert(offset)
        let field = ELFField(name: name, offset: offset, width: width, isAddress: address)
        if only { if address { rebaseOnly.append(field) } } else { fields.append(field) }
    }

    mutating func run() {
        let w = f.wordSize, is64 = f.is64
        for (n, o) in [("EI_CLASS", 4), ("EI_DATA", 5), ("EI_VERSION", 6), ("EI_OSABI", 7)] { add("ehdr.\(n)", o, 1) }
        add("ehdr.e_type", 16, 2); add("ehdr.e_machine", 18, 2); add("ehdr.e_version", 20, 4)
        add("ehdr.e_entry", 24, w, address: true)
        add("ehdr.e_phoff", is64 ? 32 : 28, w); add("ehdr.e_shoff", is64 ? 40 : 32, w)
        let e = is64 ? 48 : 36
        add("ehdr.e_flags", e, 4)
        for (i, n) in ["e_ehsize", "e_phentsize", "e_phnum", "e_shentsize", "e_shnum", "e_shstrndx"].enumerated() {
            add("ehdr.\(n)", e + 4 + 2 * i, 2)
        }
        let segments = programHeaders()
        let sections = sectionHeaders()
        dynamic(segments)
        for s in sections {
            switch s.type {
            case 11, 2: symbols(s, label: s.type == 11 ? "dynsym" : "symtab", all: s.type == 11)
            case 0x6fff_fffd: versionDefinitions(s)
            case 5: if let o = s.offset { add("hash.nbucket", o, 4); add("hash.nchain", o + 4, 4) }
            case 0x6fff_fff6:
                if let o = s.offset {
                    for (i, n) in ["nbuckets", "symoffset", "bloom_size", "bloom_shift"].enumerated() { add("gnu_hash.\(n)", o + 4 * i, 4) }
                }
            case 7: notes(s.offset, size: s.size, align: s.align, label: s.name)
            default: break
            }
        }
        for (i, p) in segments.enumerated() where p.type == 4 { notes(p.offset, size: p.filesz, align: 4, label: "PT_NOTE[\(i)]") }
        if let hdr = segments.first(where: { $0.type == 0x6474_e550 }) { ehFrameHeader(hdr.offset, size: hdr.filesz) }
        if let eh = sections.first(where: { $0.name == ".eh_frame" }) { ehFrame(eh.offset, size: eh.size) }
        dwarf(sections)
    }

    private mutating func programHeaders() -> [SegmentRow] {
        let is64 = f.is64, w = f.wordSize
        guard let phoff = f.offset(f.word(is64 ? 32 : 28)), let num = f.read(is64 ? 56 : 44, 2) else { return [] }
        let size = is64 ? 56 : 32
        var rows: [SegmentRow] = []
        for i in 0..<min(Int(num), limit) {
            let (base, overflow) = phoff.addingReportingOverflow(i * size)
            guard !overflow, base <= f.bytes.count - size else { break }
            let names: [(String, Int, Int, Bool)] = is64
                ? [("p_type", 0, 4, false), ("p_flags", 4, 4, false), ("p_offset", 8, 8, false), ("p_vaddr", 16, 8, true),
                   ("p_paddr", 24, 8, true), ("p_filesz", 32, 8, false), ("p_memsz", 40, 8, false), ("p_align", 48, 8, false)]
                : [("p_type", 0, 4, false), ("p_offset", 4, 4, false), ("p_vaddr", 8, 4, true), ("p_paddr", 12, 4, true),
                   ("p_filesz", 16, 4, false), ("p_memsz", 20, 4, false), ("p_flags", 24, 4, false), ("p_align", 28, 4, false)]
            for (n, o, width, a) in names { add("phdr[\(i)].\(n)", base + o, width, address: a) }
            let at = { (k: Int) in names[k].1 + base }
            if f.read(base, 4) == 1, let v = f.read(at(3), w), let m = f.read(at(6), w) {  // PT_LOAD: vaddr + memsz
                let (end, overflow) = v.addingReportingOverflow(m)
                loadEnd = max(loadEnd, overflow ? .max : end)
            }
            rows.append(SegmentRow(type: UInt32(f.read(base, 4) ?? 0), offset: f.offset(f.read(at(2), w)),
                                   vaddr: f.read(at(3), w) ?? 0, filesz: f.read(at(5), w) ?? 0))
        }
        return rows
    }

    private mutating func sectionHeaders() -> [SectionRow] {
        let is64 = f.is64, w = f.wordSize
        guard let shoff = f.offset(f.word(is64 ? 40 : 32)), let num = f.read(is64 ? 60 : 48, 2),
              let strndx = f.read(is64 ? 62 : 50, 2) else { return [] }
        let size = is64 ? 64 : 40
        func base(_ i: Int) -> Int? {
            let (b, overflow) = shoff.addingReportingOverflow(i * size)
            return !overflow && b <= f.bytes.count - size ? b : nil
        }
        let names: [(String, Int, Int, Bool)] = is64
            ? [("sh_name", 0, 4, false), ("sh_type", 4, 4, false), ("sh_flags", 8, 8, false), ("sh_addr", 16, 8, true),
               ("sh_offset", 24, 8, false), ("sh_size", 32, 8, false), ("sh_link", 40, 4, false), ("sh_info", 44, 4, false),
               ("sh_addralign", 48, 8, false), ("sh_entsize", 56, 8, false)]
            : [("sh_name", 0, 4, false), ("sh_type", 4, 4, false), ("sh_flags", 8, 4, false), ("sh_addr", 12, 4, true),
               ("sh_offset", 16, 4, false), ("sh_size", 20, 4, false), ("sh_link", 24, 4, false), ("sh_info", 28, 4, false),
               ("sh_addralign", 32, 4, false), ("sh_entsize", 36, 4, false)]
        let strtab = base(Int(strndx)).flatMap { f.offset(f.read($0 + names[4].1, w)) }
        var rows: [SectionRow] = []
        for i in 0..<min(Int(num), limit) {
            guard let b = base(i) else { break }
            let nameOffset = Int(f.read(b, 4) ?? 0)
            let name = strtab.map { f.name($0 + nameOffset) } ?? "?"
            for (n, o, width, a) in names { add("shdr[\(i) \(name)].\(n)", b + o, width, address: a) }
            let bytes = f
            let v = { (k: Int) in bytes.read(b + names[k].1, names[k].2) ?? 0 }
            rows.append(SectionRow(index: i, name: name, type: UInt32(v(1)), addr: v(3), offset: f.offset(v(4)), size: v(5),
                                   link: UInt32(v(6)), info: UInt32(v(7)), align: v(8)))
        }
        return rows
    }

    /// Each entry's d_val (through PT_DYNAMIC, as the loader finds them).
    private mutating func dynamic(_ segments: [SegmentRow]) {
        guard let p = segments.first(where: { $0.type == 2 }), let start = p.offset else { return }
        let w = f.wordSize
        for i in 0..<min(Int(clamping: p.filesz) / (2 * w), limit) {
            let at = start + i * 2 * w
            guard let tag = f.word(at) else { break }
            let signed = Int64(bitPattern: w == 8 ? tag : UInt64(bitPattern: Int64(Int32(truncatingIfNeeded: tag))))
            add("dynamic[\(i) tag 0x\(String(tag, radix: 16))].d_val", at + w, w, address: Self.addressTags.contains(signed)
                || (0x6fff_fe00...0x6fff_feff).contains(signed))
            if tag == 0 { break }
        }
    }

    /// DT_PLTGOT, DT_HASH, DT_STRTAB, DT_SYMTAB, DT_RELA, DT_INIT, DT_FINI, DT_REL, DT_JMPREL,
    /// DT_INIT_ARRAY, DT_FINI_ARRAY, DT_PREINIT_ARRAY, DT_RELR, DT_VERSYM, DT_VERDEF, DT_VERNEED.
    static let addressTags: Set<Int64> = [3, 4, 5, 6, 7, 12, 13, 17, 23, 25, 26, 32, 36, 0x6fff_fff0, 0x6fff_fffc, 0x6fff_fffe]

    private mutating func symbols(_ s: SectionRow, label: String, all: Bool) {
        guard let start = s.offset else { return }
        let size = f.is64 ? 24 : 16
        let layout: [(String, Int, Int)] = f.is64
            ? [("st_name", 0, 4), ("st_info", 4, 1), ("st_other", 5, 1), ("st_shndx", 6, 2), ("st_value", 8, 8), ("st_size", 16, 8)]
            : [("st_name", 0, 4), ("st_value", 4, 4), ("st_size", 8, 4), ("st_info", 12, 1), ("st_other", 13, 1), ("st_shndx", 14, 2)]
        for i in 0..<min(Int(clamping: s.size) / size, limit) {
            let b = start + i * size
            guard b <= f.bytes.count - size else { break }
            let shndx = f.read(b + (f.is64 ? 6 : 14), 2) ?? 0
            let defined = shndx != 0 && shndx != 0xfff1
            for (n, o, width) in layout where all || n == "st_value" {
                // .symtab only joins the rebase (its values stay consistent with .dynsym's).
                add("\(label)[\(i)].\(n)", b + o, width, address: n == "st_value" && defined, rebaseOnly: !all)
            }
        }
    }
}
