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
        var newer: [String] = []
        for node in c.expectations.nodes {
            for name in node.symbols {
                let matches = exports.filter { $0.name == name }
                guard let s = matches.first(where: { $0.versionName == node.name }) ?? matches.first else {
                    if c.expectations.requires(name, under: c.profile) {
                        out.append(error("\(name) is not exported: define it and list it under \(node.name) in the version script (manifest)"))
                    } else {
                        newer.append(name)
                    }
                    continue
                }
                if d.has(DT.verdef), s.versionName != node.name {
                    out.append(error("\(name) is exported in \(s.versionName ?? "no version"), not in \(node.name): move it to \(node.name) in the version script"))
                }
                out += checkShape(s, c)
            }
        }
        if !newer.isEmpty {
            out.append(warning("\(newer.joined(separator: ", ")) \(newer.count == 1 ? "is" : "are") not exported: later kernels of this architecture export \(newer.count == 1 ? "it" : "them"), and callers of this image fall back to the system call"))
        }
        out += aliasFindings(exports, c)
        for s in exports where !required.contains(s.name) {
            // An image with its own ABI and no manifest: every export is its own, judged by shape.
            if c.expectations.judgedGenerically { out += checkShape(s, c); continue }
            if c.expectations.knownExtras.contains(s.name) && c.profile.acceptsShippedOddities { continue }
            if c.expectations.knownExtras.contains(s.name) { out += checkShape(s, c); continue }
            out.append(warning("\(s.displayName) is exported but not expected: keep it local (local: * in the version script) or list it in the manifest"))
        }
        return out
    }

    /// Each manifest alias must be its target's code under another name: a C alias that points at
    /// another function builds, links and passes every other rule, and callers of the alias run
    /// the wrong code. (A missing alias or target is reported as not exported, above.)
    private func aliasFindings(_ exports: [DynamicSymbol], _ c: CheckContext) -> [Finding] {
        c.expectations.aliases.compactMap { pair -> Finding? in
            guard let alias = exports.first(where: { $0.name == pair.alias }),
                  let target = exports.first(where: { $0.name == pair.target }), alias.value != target.value else { return nil }
            return error("\(alias.displayName) is at 0x\(hex(alias.value)) but \(target.displayName) at 0x\(hex(target.value)), though the manifest makes it an alias (\(pair.alias) = \"\(pair.target)\"): an alias is the same function under another name; define it with __attribute__((alias(\"\(pair.target)\"))), or correct the manifest")
        }
    }

    private func checkShape(_ s: DynamicSymbol, _ c: CheckContext) -> [Finding] {
        var out: [Finding] = []
        // A signal trampoline is reached through the signal frame, never called; Linux defines
        // several as bare assembly labels. What they lack is real, but not worth rejecting a
        // shipped kernel's image for.
        // Under the profiles for shipped images every shape defect is a warning: real, but what
        // the producer ships (QEMU's Power images export NOTYPE labels, which rustix skips).
        let trampoline = c.linuxABI?.signalTrampolines.contains(s.name) ?? false
        func finding(_ message: String) -> Finding {
            trampoline || c.expectations.baseline != nil ? strictError(message, c) : error(message)
        }
        if s.type != STT.function {
            out.append(finding("\(s.name) is \(STT.name(s.type)), not FUNC: parse_vdso and rustix accept only STT_FUNC; define it as a C function (or .type \(s.name), @function in assembly)"))
        }
        if s.size == 0 {
            out.append(finding("\(s.name) has size 0: profilers and unwinders cannot attribute addresses to it; add .size in assembly"))
        }
        if s.shndx == SHN.abs {
            // An absolute symbol is not relative to the load base: a loader that honours
            // SHN_ABS (glibc does) hands out the raw value, the others base + value; neither is code.
            out.append(error("\(s.name) is an absolute symbol (SHN_ABS, value 0x\(hex(s.value))): no section holds code for it and loaders disagree on its address; define it in .text, not with an assignment in the linker script or .set"))
            return out
        }
        let at = s.codeAddress(c.image.header)
        let inCode = c.image.segments.contains { p in
            p.type == PT.load && p.isExecutable && at >= p.vaddr && at - p.vaddr < p.memsz && s.size <= p.memsz - (at - p.vaddr)
        }
        let section = c.image.section(containing: at)
        if !inCode || (section.map { !$0.isExecutable } ?? false) {
            let whereText = section.map { " (in \($0.name))" } ?? ""
            out.append(error("\(s.name) at 0x\(hex(at))\(whereText) does not lie in executable code"))
        }
        return out
    }
}
