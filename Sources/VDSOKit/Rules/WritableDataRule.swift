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
        if s.name == ".data" && Self.holdsOnlyReservedWords(s, c) {
            // User-mode Linux's script gathers .got.plt into .data: GOT[0] = _DYNAMIC, two zero slots.
            return strictError("\(place) holds only what looks like the linker's reserved GOT words (_DYNAMIC's address and zero slots) and the image has no relocation to fill them: nothing is written at run time, but keep .got* out of .data (or discard it)", c)
        }
        guard s.name.hasPrefix(".got") || s.name.hasPrefix(".plt") else {
            return error("\(place)\(holding(s, c)) is writable or zero-initialised data: a vDSO cannot own state; read what you need from the data page, or make it const", at: declaration(s, c))
        }
        if Self.holdsOnlyReservedWords(s, c) {
            // GNU ld emits GOT[0] = _DYNAMIC and the loader's zero slots whenever anything names
            // the GOT; Linux's arm, s390 and loongarch images ship them, and no loader writes them.
            return strictError("\(place) holds only the linker's reserved words (_DYNAMIC's address and zero slots) and the image has no relocation to fill them: nothing is written at run time, but discard the section (or fold it into .rodata, as Linux does on x86)", c)
        }
        return error("\(place) is an indirection table the loader would have to fill: reference only hidden symbols and link with -Bsymbolic")
    }

    /// True when a GOT section (or a `.data` a script filled with one) is the linker's reserved
    /// header and nothing more: at most four words, each zero or the address of `_DYNAMIC`, the
    /// first non-zero, in an image without dynamic relocations.
    static func holdsOnlyReservedWords(_ s: Section, _ c: CheckContext) -> Bool {
        guard s.name.hasPrefix(".got") || s.name == ".data", s.type != SHT.nobits else { return false }
        let d = c.dynamic
        guard !relocationSizes.contains(where: { (d.value($0) ?? 0) != 0 }) else { return false }
        let is64 = c.image.header.is64
        let width: UInt64 = is64 ? 8 : 4
        guard s.size % width == 0, s.size / width <= 4 else { return false }
        let dynamicAddress = d.segment?.vaddr
        for i in 0..<(s.size / width) {
            guard let w = c.image.bytes.word(s.offset &+ i * width, is64: is64), s.offset <= UInt64.max - s.size else { return false }
            if w != 0 && w != dynamicAddress { return false }
            if i == 0 && s.name == ".data" && w == 0 { return false }
        }
        return true
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
