/// SARIF 2.1.0 (OASIS Static Analysis Results Interchange Format), so CI systems annotate the
/// offending source line: one run, the rules' metadata from `RuleRegistry`, one result per
/// finding with the image as artifact and, where the message cites one, the source line.
public enum SARIFRenderer {
    /// The log of `reports`. `sourceRoot` is the absolute directory source locations are relative
    /// to (`SRCROOT`: the build's source root, or where `check` ran); nil leaves it to the viewer.
    public static func render(_ reports: [ImageReport], sourceRoot: String? = nil) -> String {
        let rules = RuleRegistry.all
        let images = reports.map(\.image).reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
        var results: [JSONValue] = []
        for r in reports {
            for f in r.findings {
                results.append(result(f, image: r.image, imageIndex: images.firstIndex(of: r.image) ?? 0,
                                      ruleIndex: rules.firstIndex { $0.id == f.rule }))
            }
        }
        let driver = JSONValue.object([
            ("name", .string("vdsogen")),
            ("version", .string(VDSOGenVersion.string)),
            ("semanticVersion", .string(VDSOGenVersion.string)),
            ("rules", .array(rules.map(descriptor))),
        ])
        let run = JSONValue.object([
            ("tool", .object([("driver", driver)])),
            ("originalUriBaseIds", .object([("SRCROOT", srcroot(sourceRoot))])),
            ("artifacts", .array(images.map { .object([("location", .object([("uri", .string(uri($0)))])),
                                                       ("roles", .array([.string("analysisTarget")]))]) })),
            ("results", .array(results)),
            ("columnKind", .string("unicodeCodePoints")),
        ])
        return JSONValue.object([
            ("$schema", .string("https://json.schemastore.org/sarif-2.1.0.json")),
            ("version", .string("2.1.0")),
            ("runs", .array([run])),
        ]).render() + "\n"
    }

    /// The `SRCROOT` base: an absolute `file:` URI ending in `/` (as SARIF §3.14.14 requires of a
    /// base id's URI), and what it is.
    static func srcroot(_ root: String?) -> JSONValue {
        var fields: [(String, JSONValue)] = []
        if let root, root.hasPrefix("/") {
            fields.append(("uri", .string("file://" + uri(root.hasSuffix("/") ? root : root + "/"))))
        }
        fields.append(("description", .object([("text", .string("The directory source paths are relative to (the build's source root, mapped to . in debug info)."))])))
        return .object(fields)
    }

    /// A `reportingDescriptor`: id, summary, what it protects against, how to act on it.
    static func descriptor(_ rule: any Rule) -> JSONValue {
        .object([
            ("id", .string(rule.id)),
            ("name", .string(rule.id.split(separator: "-").map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined())),
            ("shortDescription", .object([("text", .string(rule.summary))])),
            ("fullDescription", .object([("text", .string(rule.protects))])),
            ("help", .object([("text", .string("Requires: \(rule.summary) Protects against: \(rule.protects) Each message says where and what to do; `vdsogen check --skip \(rule.id)` disables the rule."))])),
            ("defaultConfiguration", .object([("level", .string("error"))])),
        ])
    }

    static func result(_ f: Finding, image: String, imageIndex: Int, ruleIndex: Int?) -> JSONValue {
        var locations: [JSONValue] = []
        if let src = f.location {
            locations.append(.object([("physicalLocation", .object([
                ("artifactLocation", .object([("uri", .string(uri(src.file))), ("uriBaseId", .string("SRCROOT"))])),
                ("region", .object([("startLine", .int(Int64(src.line)))])),
            ]))]))
        }
        locations.append(.object([("physicalLocation", .object([
            ("artifactLocation", .object([("uri", .string(uri(image))), ("index", .int(Int64(imageIndex)))])),
        ]))]))
        var fields: [(String, JSONValue)] = [("ruleId", .string(f.rule))]
        if let ruleIndex { fields.append(("ruleIndex", .int(Int64(ruleIndex)))) }
        fields += [
            ("level", .string(f.severity == .error ? "error" : "warning")),
            ("message", .object([("text", .string(f.message))])),
            ("locations", .array(locations)),
        ]
        return .object(fields)
    }

    /// A URI reference for a path: percent-encodes what may not appear in one.
    static func uri(_ path: String) -> String {
        var out = ""
        for b in path.utf8 {
            let c = Character(Unicode.Scalar(b))
            if c.isASCII && (c.isLetter || c.isNumber || "-._~/!$&'()*+,;=:@".contains(c)) { out.append(c) } else {
                out += "%" + (b < 16 ? "0" : "") + String(b, radix: 16, uppercase: true)
            }
        }
        return out
    }
}
