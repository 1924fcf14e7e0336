/// `consumers`: glibc, musl, Go and rustix each find every required symbol, and none crashes.
struct ConsumersRule: Rule {
    let id = "consumers"
    let summary = "Every required symbol is found by glibc (either hash table, version by name and vd_hash), musl (DT_HASH only), the Go runtime (needs DT_VERDEF and the architecture's node) and rustix/parse_vdso (R+X first PT_LOAD, no PT_INTERP/RELRO, DT_SYMENT, STT_FUNC), each simulated the way its source looks symbols up."
    let protects = "Each consumer reads the vDSO its own way: an image one of them cannot read costs every call a system call (or, for Go without DT_VERDEF, crashes every Go program at start-up)."

    func check(_ c: CheckContext) -> [Finding] {
        let matrix = c.consumerMatrix
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
                case .crash(let p):
                    out.append(error("\(Self.name(consumer)) would crash looking up \(list): \(p.reason); \(p.remedy.text)"))
                case .notFound(let p):
                    // A symbol the image defines and a consumer misses costs every call a
                    // system call; Linux has shipped that (no DT_HASH for musl), so it is a
                    // warning under the profiles for shipped images.
                    out.append(strictError("\(Self.name(consumer)) cannot find \(list): \(p.reason); \(p.remedy.text)", c))
                default:
                    break
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
}
