import VDSOKit

/// A direct parser for the common forms of `vdsogen check`'s command line.
///
/// Checking an image is the hot path of CI (one process per image, or Linux's readelf pipeline to
/// beat). swift-argument-parser's reflection-driven parsing (mostly protocol-conformance lookups)
/// costs a whole check 1.30× (median of 200 alternating runs of `check out/vdso.so`, 11.8 ms
/// against 15.3 ms with `VDSOGEN_FULL_PARSER=1`; BENCHMARKS.md §2), so `main` first tries
/// this parser, in the executable, not the library. It accepts exactly the options `CheckCommand` declares, in their plain forms, and
/// returns nil for everything else — help, `--list-rules`, a bad value, an unknown option — which
/// then goes through swift-argument-parser for its full diagnostics. A test holds both parsers to
/// the same results.
enum CheckArguments {
    /// The request for `arguments` (without the program name; the first must be `check`), or
    /// nil to defer to the full parser.
    static func parse(_ arguments: [String]) -> CheckRequest? {
        guard arguments.first == "check" else { return nil }
        var r = CheckRequest()
        var args = arguments.dropFirst()
        var onlyImages = false
        while let arg = args.popFirst() {
            if onlyImages || !arg.hasPrefix("-") || arg == "-" {
                r.images.append(arg)
                continue
            }
            if arg == "--" { onlyImages = true; continue }
            var name = arg, inline: String?
            if let eq = arg.firstIndex(of: "=") {
                name = String(arg[..<eq])
                inline = String(arg[arg.index(after: eq)...])
            }
            func value() -> String? {
                if let inline { return inline }
                guard let next = args.popFirst(), !next.hasPrefix("-") else { return nil }
                return next
            }
            switch name {
            case "--running" where inline == nil: r.running = true
            case "--quiet" where inline == nil: r.quiet = true
            case "--werror" where inline == nil: r.werror = true
            case "--profile":
                guard let v = value(), let p = Profile(rawValue: v) else { return nil }
                r.profile = p
            case "--format":
                guard let v = value(), let f = ReportFormat(rawValue: v) else { return nil }
                r.format = f
            case "--debug":
                guard let v = value() else { return nil }
                r.debugPath = v
            case "--manifest":
                guard let v = value() else { return nil }
                r.manifestPath = v
            case "--arch":
                guard let v = value() else { return nil }
                r.arch = v
            case "--skip":
                guard let v = value() else { return nil }
                r.skip.append(v)
            case "--size-limit":
                guard let v = value(), let n = UInt64(v) else { return nil }
                r.sizeLimit = n
            default:
                return nil
            }
        }
        return r
    }
}
