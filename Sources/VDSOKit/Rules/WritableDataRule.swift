/// `writable-data`: the image holds no writable data.
struct WritableDataRule: Rule {
    let id = "writable-data"
    let summary = "No writable PT_LOAD and no non-empty .data*, .bss*, .got* or .plt* section; other writable allocated sections (besides .dynamic) warn."
    let protects = "The vDSO is shared, read-only, by every process: a write faults, and data that expects to be written (or a GOT the loader must fill) silently misbehaves."

    private static let dataPrefixes = [".data", ".bss", ".got", ".plt", ".tdata", ".tbss"]
    /// Dynamic tags whose non-zero value means the image asks the loader to relocate something.
    private static let relocationSizes = [DT.relasz, DT.relsz, DT.pltrelsz, DT.relrsz, DT.androidRelsz, DT.androidRelasz]

    func check(_ c: CheckContext) -> [Finding] {
        var out: [Finding] = []
        for p in c.image.segments where p.type == PT.load && p.isWritable {
            out.append(error("PT_LOAD [\(p.index)] is writable (\(PF.describe(p.flags).trimmed)): the vDSO is mapped read-only into every process; remove writable data and make the segment FLAGS(5)"))
        }
        for s in c.image.sections where s.isAllocated && s.size > 0 {
            if Self.dataPrefixes.contains(where: { s.name == $0 || s.name.hasPrefix($0 + ".") }) {
                out.append(dataSection(s, c))
            } else if s.isWritable && s.name != ".dynamic" {
                out.append(warning("allocated section \(s.name) at 0x\(hex(s.addr))\(holding(s, c)) is flagged writable (SHF_WRITE) although it is mapped read-only; make its contents const", at: declaration(s, c)))
            }
        }
        return out
    }

    private func dataSection(_ s: Section, _ c: CheckContext) -> Finding {
        let place = "section \(s.name) (0x\(hex(s.size)) bytes at 0x\(hex(s.addr)))"
        if s.name == ".data" && Self.reservedHeader(s, c) != nil {
            // User-mode Linux's script gathers .got.plt into .data: GOT[0] = _DYNAMIC, two zero slots.
            return strictError("\(place) holds only what looks like the linker's reserved GOT words (_DYNAMIC's address and zero slots) and the image has no relocation to fill them: nothing is written at run time, but keep .got* out of .data (or discard it)", c)
        }
        guard s.name.hasPrefix(".got") || s.name.hasPrefix(".plt") else {
            return error("\(place)\(holding(s, c)) is writable or zero-initialised data: a vDSO cannot own state; read what you need from the data page, or make it const", at: declaration(s, c))
        }
        if let header = Self.reservedHeader(s, c) {
            // GNU ld emits the GOT's reserved header whenever anything names the GOT; Linux's
            // arm, s390, ppc64, mips and loongarch images ship one, and no loader writes it.
            return strictError("\(place) holds only the linker's reserved GOT header (\(header)) and the image has no relocation to fill it: nothing is written at run time, but discard the section (or fold it into .rodata, as Linux does on x86)", c)
        }
        return error("\(place) is an indirection table the loader would have to fill: reference only hidden symbols and link with -Bsymbolic")
    }

    /// Whether a GOT section (or a `.data` a script filled with one) is the linker's reserved
    /// header and nothing more, in an image without dynamic relocations: at most four words, each
    /// zero or the address of `_DYNAMIC` (the first non-zero in `.data`); on ppc64 one word, the
    /// TOC base (.TOC., the GOT plus 0x8000); on MIPS the ABI's two reserved local entries (the
    /// lazy-resolver slot, 0, and GNU ld's module-pointer marker, the top bit) with no global one.
    /// Returns what the header holds, in words, or nil when the section is more than that.
    static func reservedHeader(_ s: Section, _ c: CheckContext) -> String? {
        guard s.name.hasPrefix(".got") || s.name == ".data", s.type != SHT.nobits else { return nil }
        let d = c.dynamic
        guard !relocationSizes.contains(where: { (d.value($0) ?? 0) != 0 }) else { return nil }
        let is64 = c.image.header.is64
        let width: UInt64 = is64 ? 8 : 4
        guard s.size % width == 0, s.offset <= UInt64.max - s.size else { return nil }
        var words: [UInt64] = []
        for i in 0..<min(s.size / width, 5) {
            guard let w = c.image.bytes.word(s.offset + i * width, is64: is64) else { return nil }
            words.append(w)
        }
        return reservedHeader(words, s, c) ? Self.headerWords[c.image.header.machine] ?? "_DYNAMIC's address and zero slots" : nil
    }

    private static let headerWords: [UInt16: String] = [
        EM.ppc64: "the TOC base", EM.mips: "the lazy-resolver slot and the module-pointer marker",
    ]

    private static func reservedHeader(_ words: [UInt64], _ s: Section, _ c: CheckContext) -> Bool {
        let d = c.dynamic
        let is64 = c.image.header.is64
        switch c.image.header.machine {
        case EM.ppc64 where s.name == ".got":
            let lowest = c.image.segments(ofType: PT.load).map(\.vaddr).min() ?? 0
            return words.count == 1 && (words[0] == 0 || (words[0] >= lowest && words[0] - lowest <= s.addr &- lowest &+ 0x8000))
        case EM.mips where s.name == ".got":
            let marker: UInt64 = is64 ? 1 << 63 : 1 << 31
            let noGlobal = d.value(DT.mipsGotsym) == d.value(DT.mipsSymtabno)
            return words.count <= 2 && noGlobal && words.allSatisfy { $0 == 0 || $0 == marker }
        default:
            let dynamicAddress = d.segment?.vaddr
            guard words.count <= 4 else { return false }
            if s.name == ".data" && words.first == 0 { return false }
            return words.allSatisfy { $0 == 0 || $0 == dynamicAddress }
        }
    }

    /// ` holding vdso_calls (declared at vdso.c:65)`: the variables DWARF places in the section.
    private func holding(_ s: Section, _ c: CheckContext) -> String {
        let vars = c.sourceLocator.variables(in: s.addr, s.addr &+ s.size)
        guard !vars.isEmpty else { return "" }
        return " holding " + vars.prefix(3).map { v in v.name + (v.location.map { " (declared \($0.phrase))" } ?? "") }
            .joined(separator: ", ") + (vars.count > 3 ? ", ..." : "")
    }

    /// The first variable's declaration: the line a finding about the section points at.
    private func declaration(_ s: Section, _ c: CheckContext) -> SourceLocation? {
        c.sourceLocator.variables(in: s.addr, s.addr &+ s.size).lazy.compactMap(\.location).first
    }
}
