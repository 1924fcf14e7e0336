/// A direct parser for the common forms of `vdsogen check`'s command line.
///
/// Checking an image is the hot path of CI (one process per image, or Linux's readelf pipeline to
/// beat). swift-argument-parser's reflection-driven parsing costs more than all the rules
/// together (about 3 ms of a 7 ms run, mostly protocol-conformance lookups), so `main` first tries
/// this parser. It accepts exactly the options `CheckCommand` declares, in their plain forms, and
/// returns nil for everything else — help, `--list-rules`, a bad value, an unknown option — which
/// then goes through swift-argument-parser for its full diagnostics. A test holds both parsers to
/// the same results.
public enum CheckArguments {
    /// The request for `arguments` (without the program name; the first must be `check`), or
    /// nil to defer to the full parser.
    public static func parse(_ arguments: [String]) -> CheckRequest? {
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

extension CheckRequest: Equatable {
    public static func == (a: CheckRequest, b: CheckRequest) -> Bool {
        a.images == b.images && a.running == b.running && a.debugPath == b.debugPath
            && a.manifestPath == b.manifestPath && a.profile == b.profile && a.skip == b.skip
            && a.format == b.format && a.sizeLimit == b.sizeLimit && a.arch == b.arch
            && a.quiet == b.quiet && a.werror == b.werror && a.color == b.color
    }
}
