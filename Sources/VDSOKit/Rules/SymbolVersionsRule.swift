/// `symbol-versions`: version definitions that glibc, Go and parse_vdso can match.
struct SymbolVersionsRule: Rule {
    let id = "symbol-versions"
    let summary = "DT_VERSYM and DT_VERDEF exist; the base definition names the soname; each vd_hash is the ELF hash of its name; every export is bound to a non-base node; the expected nodes exist."
    let protects = "glibc, Go and rustix look vDSO symbols up by version; Go dereferences the version table without a check, so an image without DT_VERDEF crashes every Go program."

    func check(_ c: CheckContext) -> [Finding] {
        let d = c.dynamic
        guard d.segment != nil else { return [] }
        var out = d.versionProblems.map { error("\($0)") }
        if !d.has(DT.versym) {
            out.append(error("no DT_VERSYM: symbols carry no versions; link with a version script (e.g. LINUX_2.6 { global: ...; local: *; };)"))
        }
        if !d.has(DT.verdef) {
            out.append(error("no DT_VERDEF: Go programs crash on such an image and glibc cannot match versions; link with a version script"))
            return out
        }
        let defs = d.versionDefinitions
        if let base = defs.first(where: { $0.isBase }) {
            if let soname = d.soname, base.name != soname {
                out.append(error("the base version definition names \"\(base.name)\", not the soname \"\(soname)\""))
            }
        } else {
            out.append(error("no base version definition (VER_FLG_BASE): the linker did not emit a proper version table"))
        }
        for v in defs {
            if v.revision != VER.defCurrent {
                out.append(error("version definition \(v.name) has vd_version \(v.revision), not 1: rustix refuses it"))
            }
            if v.hash != elfHash(v.name) {
                out.append(error("version definition \(v.name) has vd_hash 0x\(String(v.hash, radix: 16)), but elf_hash(\"\(v.name)\") is 0x\(String(elfHash(v.name), radix: 16)): glibc and parse_vdso will not match it"))
            }
        }
        for s in d.exports {
            guard let idx = s.versionIndex else { continue }
            if idx <= 1 {
                out.append(error("\(s.name) is exported unversioned (versym \(idx)): list it under a version node in the version script"))
            } else if !defs.contains(where: { $0.index == idx }) {
                out.append(error("\(s.name) names version index \(idx), which no version definition has"))
            }
        }
        for node in c.expectations.nodes where !defs.contains(where: { $0.name == node.name && !$0.isBase }) {
            out.append(error("version node \(node.name) is missing (nodes: \(defs.filter { !$0.isBase }.map(\.name).joined(separator: ", "))): libcs look the vDSO's symbols up in \(node.name)"))
        }
        return out
    }
}
