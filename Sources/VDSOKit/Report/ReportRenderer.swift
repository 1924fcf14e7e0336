/// Output formats for check reports. Each is a pure function of the reports: the findings are
/// data, the formats only render them.
public enum ReportFormat: String, Sendable, CaseIterable {
    case text
    case json
    /// SARIF 2.1.0, for CI code-scanning annotations (see `SARIFRenderer`).
    case sarif
}

public enum ReportRenderer {
    /// One line per finding: `IMAGE: error[RULE]: message`. With `color`, severities are coloured
    /// like a compiler's diagnostics. `consumerTables` adds, after the findings
    /// of an image that has a `consumers` finding, the report's symbols × consumers table, indented
    /// by two spaces so that no line of it looks like a finding.
    public static func text(_ reports: [ImageReport], color: Bool = false, summary: Bool = true,
                            consumerTables: Bool = false) -> String {
        var out = ""
        for r in reports {
            func line(_ f: Finding) -> String {
                let sev = f.severity.rawValue
                let tag = color ? (f.severity == .error ? "\u{1B}[1;31m\(sev)\u{1B}[0m" : "\u{1B}[1;35m\(sev)\u{1B}[0m") : sev
                let subject = f.subject ?? r.image
                let head = color ? "\u{1B}[1m\(subject):\u{1B}[0m" : "\(subject):"
                return "\(head) \(tag)[\(f.rule)]: \(f.message)\n"
            }
            // Errors first, then warnings, each in rule order (a stable partition, no sort).
            for f in r.findings where f.severity == .error { out += line(f) }
            for f in r.findings where f.severity != .error { out += line(f) }
            if consumerTables, let m = r.consumers, r.findings.contains(where: { $0.rule == "consumers" }) {
                out += "\(r.image): what each consumer finds of the symbols it looks up (absent: not in the image, the consumer falls back to the system call; -: not looked up):\n" + m.text(color: color)
            }
            if summary {
                let errors = r.errors, warnings = r.findings.count - errors
                let verdict = errors == 0 ? "ok" : "REJECTED"
                out += "\(r.image): \(verdict) (\(errors) error\(errors == 1 ? "" : "s"), \(warnings) warning\(warnings == 1 ? "" : "s"))\n"
            }
        }
        return out
    }

    /// `[{"image", "passed", "findings": [{"rule", "severity", "message", "file"?, "line"?,
    /// "subject"?}]}]`: `file`/`line` when the finding cites a source line, `subject` when it is
    /// about a file other than the image (a build's pre-link findings).
    public static func json(_ reports: [ImageReport]) -> String {
        JSONValue.array(reports.map { r in
            .object([
                ("image", .string(r.image)),
                ("passed", .bool(r.passed)),
                ("findings", .array(r.findings.map(finding))),
            ])
        }).render() + "\n"
    }

    static func finding(_ f: Finding) -> JSONValue {
        var fields: [(String, JSONValue)] = [
            ("rule", .string(f.rule)), ("severity", .string(f.severity.rawValue)), ("message", .string(f.message)),
        ]
        if let loc = f.location { fields += [("file", .string(loc.file)), ("line", .int(Int64(loc.line)))] }
        if let subject = f.subject { fields.append(("subject", .string(subject))) }
        return .object(fields)
    }
}
