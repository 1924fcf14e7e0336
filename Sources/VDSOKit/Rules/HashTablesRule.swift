/// `hash-tables`: every export can be found through DT_HASH and DT_GNU_HASH.
struct HashTablesRule: Rule {
    let id = "hash-tables"
    let summary = "DT_HASH exists, and every export is found by a real lookup through DT_HASH and, where present, DT_GNU_HASH."
    let protects = "musl reads only DT_HASH (arm64 dropping it broke musl, CRIU and rustix); a broken chain or Bloom filter hides a symbol and the libc silently falls back to system calls."

    func check(_ c: CheckContext) -> [Finding] {
        let d = c.dynamic
        var out = d.hashProblems.map { error("\($0)") }
        if d.segment == nil { return out }
        if !d.has(DT.hash) {
            // Linux's arm64, riscv and loongarch images lost DT_HASH when their link stopped
            // asking for --hash-style=sysv: a shipped kernel's image is judged, not rejected.
            out.append(strictError("no DT_HASH: musl looks symbols up only through the SysV hash table, so musl programs fall back to system calls; link with --hash-style=both", c))
        }
        let names = Set(d.exports.map(\.name)).union(c.expectations.requiredSymbols.filter { n in d.exports.contains { $0.name == n } })
        for name in names.sorted() {
            if let t = d.sysvHash {
                switch t.lookup(name, in: d) {
                case .found: break
                case .notFound: out.append(error("\(name) is exported but a DT_HASH lookup does not find it: the hash table does not match the symbol table; relink rather than edit the image"))
                case .malformed(let why): out.append(error("DT_HASH lookup of \(name): \(why)"))
                }
            }
            if let t = d.gnuHash {
                switch t.lookup(name, in: d) {
                case .found: break
                case .notFound:
                    let bloom = t.bloomAdmits(name, in: d) ? "" : " (the Bloom filter rejects it)"
                    out.append(error("\(name) is exported but a DT_GNU_HASH lookup does not find it\(bloom): glibc will not see it; relink rather than edit the image"))
                case .malformed(let why): out.append(error("DT_GNU_HASH lookup of \(name): \(why)"))
                }
            }
        }
        return out
    }
}
