/// `exports`: the required functions are there, typed, sized and in code.
struct ExportsRule: Rule {
    let id = "exports"
    let summary = "Every required symbol is exported in its node as an STT_FUNC with non-zero size inside executable code; unexpected exports warn."
    let protects = "parse_vdso and rustix accept only STT_FUNC; a symbol without size or outside code breaks profilers and unwinders; a missing one silently costs every call a system call."

    func check(_ c: CheckContext) -> [Finding] {
        let d = c.dynamic
        guard d.segment != nil else { return [] }
        let exports = d.exports
        var out: [Finding] = []
        let required = Set(c.expectations.requiredSymbols)
        for node in c.expectations.nodes {
            for name in node.symbols {
                let matches = exports.filter { $0.name == name }
                guard let s = matches.first(where: { $0.versionName == node.name }) ?? matches.first else {
                    out.append(error("\(name) is not exported: define it and list it under \(node.name) in the version script (manifest)"))
                    continue
                }
                if d.has(DT.verdef), s.versionName != node.name {
                    out.append(error("\(name) is exported in \(s.versionName ?? "no version"), not in \(node.name): move it to \(node.name) in the version script"))
                }
                out += checkShape(s, c)
            }
        }
        for s in exports where !required.contains(s.name) {
            if c.expectations.knownExtras.contains(s.name) && c.profile == .linux { continue }
            if c.expectations.knownExtras.contains(s.name) { out += checkShape(s, c); continue }
            out.append(warning("\(s.displayName) is exported but not expected: keep it local (local: * in the version script) or list it in the manifest"))
        }
        return out
    }

    private func checkShape(_ s: DynamicSymbol, _ c: CheckContext) -> [Finding] {
        var out: [Finding] = []
        if s.type != STT.function {
            out.append(error("\(s.name) is \(STT.name(s.type)), not FUNC: parse_vdso and rustix accept only STT_FUNC; define it as a C function (or .type \(s.name), @function in assembly)"))
        }
        if s.size == 0 {
            out.append(error("\(s.name) has size 0: profilers and unwinders cannot attribute addresses to it; add .size in assembly"))
        }
        let inCode = c.image.segments.contains { p in
            p.type == PT.load && p.isExecutable && s.value >= p.vaddr && s.value < p.vaddr &+ p.memsz
                && s.value &+ s.size <= p.vaddr &+ p.memsz
        }
        let section = c.image.section(containing: s.value)
        if !inCode || (section.map { !$0.isExecutable } ?? false) {
            let whereText = section.map { " (in \($0.name))" } ?? ""
            out.append(error("\(s.name) at 0x\(hex(s.value))\(whereText) does not lie in executable code"))
        }
        return out
    }
}
