/// `no-dynamic-relocations`: nothing the loader would have to patch.
struct NoDynamicRelocationsRule: Rule {
    let id = "no-dynamic-relocations"
    let summary = "No relocation other than R_*_NONE, in a relocation section or behind DT_REL/RELA/RELR/JMPREL."
    let protects = "No one relocates a vDSO: the kernel maps it as is, so every relocated pointer stays wrong and the first call through it crashes."

    func check(_ c: CheckContext) -> [Finding] {
        let machine = c.image.header.machine
        var out: [Finding] = []
        // As a section reader sees them.
        var bySection: [String: [Relocation]] = [:]
        var order: [String] = []
        for r in c.image.relocations where r.type != 0 {
            if bySection[r.section] == nil { order.append(r.section) }
            bySection[r.section, default: []].append(r)
        }
        let locator = order.isEmpty ? nil : c.sourceLocator
        for name in order {
            let rels = bySection[name]!
            out.append(error("section \(name) holds \(rels.count) dynamic relocation\(rels.count == 1 ? "" : "s") (\(describe(rels, c, machine, locator))): \(advice(rels, machine))",
                             at: rels.lazy.compactMap { locator?.location(of: $0.offset) }.first))
        }
        // As a loader sees them, through the dynamic table.
        let d = c.dynamic
        let tables: [(Int64, Int64, String)] = [(DT.rela, DT.relasz, "DT_RELA"), (DT.rel, DT.relsz, "DT_REL"),
                                                (DT.relr, DT.relrsz, "DT_RELR"), (DT.jmprel, DT.pltrelsz, "DT_JMPREL"),
                                                (DT.androidRela, DT.androidRelasz, "DT_ANDROID_RELA"),
                                                (DT.androidRel, DT.androidRelsz, "DT_ANDROID_REL")]
        for (tag, sizeTag, name) in tables where d.has(tag) || (d.value(sizeTag) ?? 0) > 0 {
            let size = d.value(sizeTag) ?? 0
            if size == 0 { continue } // empty tables (RISC-V toolchains emit them) relocate nothing
            if out.isEmpty || c.image.sections.isEmpty {
                out.append(error("\(name) names a \(size)-byte relocation table that the loader would have to apply: remove what needs relocating (see the section findings), link with -Bsymbolic and hidden visibility"))
            }
        }
        return out
    }

    private func describe(_ rels: [Relocation], _ c: CheckContext, _ machine: UInt16, _ locator: SourceLocator?) -> String {
        let shown = rels.prefix(3).map { r -> String in
            var s = "\(RelocationNames.name(r.type, machine: machine)) at 0x\(hex(r.offset))"
            if r.symbolIndex != 0, Int(r.symbolIndex) < c.image.dynamicSymbolSection.count {
                let sym = c.image.dynamicSymbolSection[Int(r.symbolIndex)].name
                if !sym.isEmpty { s += " against \(sym)" }
            }
            // The variable (and its declaration) or function the patched word lies in, from
            // DWARF; else the object the full symbol table names.
            if let source = locator?.describe(r.offset), !source.isEmpty {
                s += source
            } else if let owner = c.image.symbols.first(where: { $0.type == STT.object && $0.size > 0 && r.offset >= $0.value && r.offset - $0.value < $0.size }) {
                s += " in \(owner.name)"
            }
            return s
        }
        return shown.joined(separator: ", ") + (rels.count > 3 ? ", ..." : "")
    }

    private func advice(_ rels: [Relocation], _ machine: UInt16) -> String {
        let names = Set(rels.map { RelocationNames.name($0.type, machine: machine) })
        if names.contains(where: { $0.hasSuffix("RELATIVE") }) {
            return "a table of pointers needs a load-time fixup: store offsets instead, or make the table part of the code (a switch); build with -fno-jump-tables"
        }
        if names.contains(where: { $0.hasSuffix("JUMP_SLOT") || $0.hasSuffix("JMP_SLOT") || $0.hasSuffix("GLOB_DAT") }) {
            return "calls or references to preemptible symbols go through the GOT/PLT: declare them hidden or static and link with -Bsymbolic"
        }
        return "an absolute address is stored in the image: reference data PC-relatively through a hidden symbol"
    }
}
