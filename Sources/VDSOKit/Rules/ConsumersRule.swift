/// `consumers`: glibc, musl, Go and rustix each find every required symbol, and none crashes.
struct ConsumersRule: Rule {
    let id = "consumers"
    let summary = "Every required symbol is found by glibc (either hash table, version by name and vd_hash), musl (DT_HASH only), the Go runtime (needs DT_VERDEF and the architecture's node) and rustix/parse_vdso (R+X first PT_LOAD, no PT_INTERP/RELRO, DT_SYMENT, STT_FUNC), each simulated the way its source looks symbols up."
    let protects = "Each consumer reads the vDSO its own way: an image one of them cannot read costs every call a system call (or, for Go without DT_VERDEF, crashes every Go program at start-up)."

    func check(_ c: CheckContext) -> [Finding] {
        let matrix = ConsumerMatrix(c.dynamic, expectations: c.expectations)
        var out: [Finding] = []
        for (j, consumer) in matrix.consumers.enumerated() {
            // One finding per consumer and reason, listing the symbols it concerns.
            var groups: [(outcome: ConsumerOutcome, symbols: [String])] = []
            for (i, s) in matrix.symbols.enumerated() {
                let o = matrix.outcomes[i][j]
                guard o.reason != nil else { continue }
                if let k = groups.firstIndex(where: { $0.outcome == o }) { groups[k].symbols.append(s.name) } else { groups.append((o, [s.name])) }
            }
            for g in groups {
                let list = g.symbols.count > 4 ? g.symbols.prefix(4).joined(separator: ", ") + " and \(g.symbols.count - 4) more" : g.symbols.joined(separator: ", ")
                switch g.outcome {
                case .crash(let why):
                    out.append(error("\(Self.name(consumer)) would crash looking up \(list): \(why); \(Self.fix(why))"))
                default:
                    out.append(error("\(Self.name(consumer)) cannot find \(list): \(g.outcome.reason ?? ""); \(Self.fix(g.outcome.reason ?? ""))"))
                }
            }
        }
        return out
    }

    static func name(_ c: Consumer) -> String {
        switch c {
        case .glibc: return "glibc"
        case .musl: return "musl"
        case .go: return "the Go runtime"
        case .rustix: return "rustix (and parse_vdso)"
        }
    }

    /// What to do, from the reason's wording.
    static func fix(_ why: String) -> String {
        if why.contains("DT_VERDEF") || why.contains("version") { return "link with a version script that puts every export in the architecture's node (see symbol-versions)" }
        if why.contains("HASH") || why.contains("hash") { return "link with --hash-style=both, and relink rather than edit the tables" }
        if why.contains("PT_LOAD") || why.contains("load bias") { return "put every section in one R+X PT_LOAD at offset 0 (see load-layout)" }
        if why.contains("DT_SYMENT") || why.contains("PT_DYNAMIC") || why.contains("DT_NULL") { return "see dynamic-section" }
        if why.contains("PT_INTERP") || why.contains("RELRO") { return "link with -z norelro and no .interp" }
        if why.contains("PT_TLS") { return "remove thread-local variables" }
        return "export it as an STT_FUNC in its version node (see exports)"
    }
}
