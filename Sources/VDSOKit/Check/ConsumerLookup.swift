/// The programs that look symbols up in a vDSO, each simulated the way its source does it
/// (see shared/reference/consumers.md): glibc (elf/setup-vdso.h, dl-lookup.c), musl
/// (src/internal/vdso.c), the Go runtime (runtime/vdso_linux.go) and rustix (a port of the
/// kernel's parse_vdso.c, whose rules it shares).
public enum Consumer: String, Sendable, CaseIterable {
    case glibc, musl, go, rustix
}

/// What one consumer gets when it looks one symbol up.
public enum ConsumerOutcome: Sendable, Equatable {
    /// Found, at this offset from the image's base (what it would call, minus AT_SYSINFO_EHDR).
    case found(UInt64)
    /// Not found: the consumer falls back to the system call (or fails), for this reason.
    case notFound(ConsumerProblem)
    /// The consumer would crash, or call a wrong address, for this reason.
    case crash(ConsumerProblem)
    /// This consumer never looks this symbol up.
    case notLookedUp
    /// The consumer looks it up, and the image does not define it at all (an older kernel's
    /// image): the consumer falls back to the system call, as designed.
    case absent

    /// One word for the matrix.
    public var word: String {
        switch self {
        case .found: return "found"
        case .notFound: return "MISSING"
        case .crash: return "CRASH"
        case .notLookedUp: return "-"
        case .absent: return "absent"
        }
    }

    /// Why it was not found or would crash.
    public var reason: String? {
        switch self {
        case .notFound(let p), .crash(let p): return p.reason
        default: return nil
        }
    }
}

/// Why a consumer misses a symbol or would crash, and which fix the `consumers` rule suggests.
public struct ConsumerProblem: Sendable, Equatable {
    /// What the consumer's own code does with this image, in one clause.
    public var reason: String
    /// What the image's author should change.
    public var remedy: Remedy

    init(_ reason: String, _ remedy: Remedy) {
        self.reason = reason
        self.remedy = remedy
    }

    /// The fixes, each pointing at the rule that explains it.
    public enum Remedy: Sendable, Equatable {
        case versions, hashTables, loadLayout, dynamicSection, interpOrRelro, tls, export

        /// The advice, as the rule prints it after the reason.
        public var text: String {
            switch self {
            case .versions: return "link with a version script that puts every export in the architecture's node (see symbol-versions)"
            case .hashTables: return "link with --hash-style=both, and relink rather than edit the tables"
            case .loadLayout: return "put every section in one R+X PT_LOAD at offset 0 (see load-layout)"
            case .dynamicSection: return "see dynamic-section"
            case .interpOrRelro: return "link with -z norelro and no .interp"
            case .tls: return "remove thread-local variables"
            case .export: return "export it as an STT_FUNC in its version node (see exports)"
            }
        }
    }
}

/// Every symbol each consumer looks up, looked up by that consumer: the data behind the
/// `consumers` rule, the text matrix and `inspect`.
public struct ConsumerMatrix: Sendable {
    /// The symbols looked up, with the version node each is looked up in.
    public var symbols: [(name: String, version: String)]
    public var consumers: [Consumer] = Consumer.allCases
    /// `outcomes[symbol][consumer]`, indexed like `symbols` and `consumers`.
    public var outcomes: [[ConsumerOutcome]]

    /// For a Linux architecture's ABI (`abi`), what each consumer really looks up there, each
    /// under the node it asks for; otherwise (a custom ABI from a manifest) every symbol
    /// `expectations` requires, looked up by the libcs and rustix as their code would look up
    /// any name (the Go runtime knows only Linux's names).
    public init(_ d: DynamicView, expectations: Expectations, abi: ArchABI? = nil) {
        let sim = ConsumerSimulator(d)
        // A name the image does not define at all is absent for every consumer: `exports` reports
        // it if it is required; a lookup-specific cause (a hash table, a version) would be wrong.
        let named = Set(d.symbols.lazy.filter(\.isDefined).map(\.name))
        guard let abi else {
            symbols = expectations.nodes.flatMap { n in n.symbols.map { ($0, n.name) } }
            outcomes = symbols.map { s in
                Consumer.allCases.map {
                    $0 == .go ? .notLookedUp : named.contains(s.name) ? sim.lookup($0, name: s.name, version: s.version) : .absent
                }
            }
            return
        }
        let lookups = Consumer.allCases.map { ConsumerSymbols.lookups($0, abi) }
        var rows: [(name: String, version: String)] = []
        for l in lookups.joined() where !rows.contains(where: { $0.name == l.name }) { rows.append(l) }
        symbols = rows
        outcomes = rows.map { row in
            zip(Consumer.allCases, lookups).map { consumer, list in
                guard let l = list.first(where: { $0.name == row.name }) else { return .notLookedUp }
                guard named.contains(row.name) else { return .absent }
                return sim.lookup(consumer, name: l.name, version: l.version)
            }
        }
    }

    /// The matrix the checker and `inspect` show for `image`: by the Linux ABI of its
    /// architecture when `expectations` keep that ABI's soname, else by `expectations` alone.
    public static func forImage(_ d: DynamicView, expectations: Expectations) -> ConsumerMatrix {
        let abi = ArchABI.forHeader(d.image.header).flatMap { $0.expectations.soname == expectations.soname ? $0 : nil }
        return ConsumerMatrix(d, expectations: expectations, abi: abi)
    }

    /// The outcome for one symbol and consumer.
    public func outcome(_ symbol: String, _ consumer: Consumer) -> ConsumerOutcome? {
        guard let i = symbols.firstIndex(where: { $0.name == symbol }), let j = consumers.firstIndex(of: consumer) else { return nil }
        return outcomes[i][j]
    }

    /// True if no consumer misses a symbol it looks up or would crash.
    public var allFound: Bool {
        outcomes.allSatisfy { $0.allSatisfy { if case .found = $0 { return true }; return $0 == .notLookedUp || $0 == .absent } }
    }

    /// A small table, symbols down and consumers across, each line indented by `indent`.
    public func text(indent: String = "  ", color: Bool = false) -> String {
        let width = max(symbols.map(\.name.count).max() ?? 0, "symbol".count) + 2
        func pad(_ s: String, _ n: Int) -> String { s + String(repeating: " ", count: max(n - s.count, 1)) }
        var header = indent + pad("symbol", width) + consumers.map { pad($0.rawValue, 9) }.joined()
        while header.hasSuffix(" ") { header.removeLast() }
        var out = header + "\n"
        for (i, s) in symbols.enumerated() {
            var line = indent + pad(s.name, width)
            for o in outcomes[i] {
                let cell = pad(o.word, 9)
                switch o {
                case .crash where color, .notFound where color: line += "\u{1B}[1;31m\(o.word)\u{1B}[0m" + String(cell.dropFirst(o.word.count))
                default: line += cell
                }
            }
            while line.hasSuffix(" ") { line.removeLast() }
            out += line + "\n"
        }
        return out
    }

    /// `{"consumers": [...], "symbols": [{"name", "version", "results": {"glibc": {"outcome", "reason"?, "offset"?}}}]}`.
    public var json: JSONValue {
        .object([
            ("consumers", .array(consumers.map { .string($0.rawValue) })),
            ("symbols", .array(symbols.enumerated().map { i, s in
                .object([("name", .string(s.name)), ("version", .string(s.version)),
                         ("results", .object(zip(consumers, outcomes[i]).map { c, o in
                             var fields: [(String, JSONValue)] = [("outcome", .string(o.word.lowercased()))]
                             if case .found(let at) = o { fields.append(("offset", .int(Int64(bitPattern: at)))) }
                             if let r = o.reason { fields.append(("reason", .string(r))) }
                             return (c.rawValue, .object(fields))
                         }))])
            })),
        ])
    }
}
