/// `writable-data`: the image holds no writable data.
struct WritableDataRule: Rule {
    let id = "writable-data"
    let summary = "No writable PT_LOAD and no non-empty .data*, .bss*, .got* or .plt* section; other writable allocated sections (besides .dynamic) warn."
    let protects = "The vDSO is shared, read-only, by every process: a write faults, and data that expects to be written (or a GOT the loader must fill) silently misbehaves."

    private static let dataPrefixes = [".data", ".bss", ".got", ".plt", ".tdata", ".tbss"]

    func check(_ c: CheckContext) -> [Finding] {
        var out: [Finding] = []
        for p in c.image.segments where p.type == PT.load && p.isWritable {
            out.append(error("PT_LOAD [\(p.index)] is writable (\(PF.describe(p.flags).trimmed)): the vDSO is mapped read-only into every process; remove writable data and make the segment FLAGS(5)"))
        }
        var locator: SourceLocator?
        // ` holding vdso_calls (declared at vdso.c:65)`: the variables DWARF places in the section.
        func holding(_ s: Section) -> String {
            if locator == nil { locator = SourceLocator(image: c.image, debug: c.debug) }
            let vars = locator!.variables(in: s.addr, s.addr &+ s.size)
            guard !vars.isEmpty else { return "" }
            return " holding " + vars.prefix(3).map { v in v.name + (v.location.map { " (declared \($0.phrase))" } ?? "") }
                .joined(separator: ", ") + (vars.count > 3 ? ", ..." : "")
        }
        // The first variable's declaration: the line a finding about the section points at.
        func declaration(_ s: Section) -> SourceLocation? {
            if locator == nil { locator = SourceLocator(image: c.image, debug: c.debug) }
            return locator!.variables(in: s.addr, s.addr &+ s.size).lazy.compactMap(\.location).first
        }
        for s in c.image.sections where s.isAllocated && s.size > 0 {
            if Self.dataPrefixes.contains(where: { s.name == $0 || s.name.hasPrefix($0 + ".") }) {
                let what = s.name.hasPrefix(".got") || s.name.hasPrefix(".plt")
                    ? "an indirection table the loader would have to fill: reference only hidden symbols and link with -Bsymbolic"
                    : "writable or zero-initialised data: a vDSO cannot own state; read what you need from the data page, or make it const"
                out.append(error("section \(s.name) (0x\(hex(s.size)) bytes at 0x\(hex(s.addr)))\(holding(s)) is \(what)", at: declaration(s)))
            } else if s.isWritable && s.name != ".dynamic" {
                out.append(warning("allocated section \(s.name) at 0x\(hex(s.addr))\(holding(s)) is flagged writable (SHF_WRITE) although it is mapped read-only; make its contents const", at: declaration(s)))
            }
        }
        return out
    }
}
