/// Linker errors that are defects in the user's code or manifest, as findings with the rule id
/// `check` reports the same defect under: an undefined symbol (a compiler-inserted `memset`),
/// thread-local storage, a version node naming a symbol nothing defines. A defect exits 1 with a
/// rule id whichever stage finds it; a link that fails for any other reason stays a tool failure.
public enum LinkDiagnosis {
    /// One defect, located at a source line or the manifest.
    public struct Defect: Sendable, Equatable, CustomStringConvertible {
        public var location: String
        public var rule: String
        public var message: String
        public var description: String { "\(location): error[\(rule)]: \(message)" }
        /// The defect as a finding about its location (a source line is also its SARIF region).
        public var finding: Finding {
            Finding(rule: rule, severity: .error, message: message, location: SourceLocation(parsing: location),
                    subject: location)
        }
    }

    /// The defects in ld.lld's `output`, or nil when some error in it is not one of them (then the
    /// link failed for a reason of its own). `manifest` locates the version nodes.
    public static func defects(in output: String, manifest: String,
                               aliases: [(alias: String, target: String)] = []) -> [Defect]? {
        let lines = output.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var out: [Defect] = []
        for (i, line) in lines.enumerated() {
            guard let e = line.firstRange(of: "error: ") else { continue }
            let text = line[e.upperBound...]
            if let r = text.firstRange(of: "undefined symbol: ") {
                let name = String(text[r.upperBound...].split(separator: " ").first ?? "")
                out.append(undefined(name, at: referencingSource(lines, after: i)))
            } else if let node = quoted(text, after: "version script assignment of "),
                      let symbol = quoted(text, after: "to symbol "), text.hasSuffix("failed: symbol not defined") {
                if let target = aliases.first(where: { $0.alias == symbol })?.target {
                    out.append(Defect(location: manifest, rule: "exports",
                                      message: "version node \(node) lists the alias \(symbol) = \"\(target)\", which no source defines: "
                                          + "the manifest names an alias, the C defines it; add `extern __typeof__(\(target)) \(symbol) "
                                          + "__attribute__((alias(\"\(target)\")));` after \(target)"))
                    continue
                }
                out.append(Defect(location: manifest, rule: "exports",
                                  message: "version node \(node) lists \(symbol), which no source defines: a typo in the node's "
                                      + "symbols, or a function that is static or not compiled; correct the name or define it"))
            } else {
                return nil
            }
        }
        return out.isEmpty ? nil : out
    }

    static func undefined(_ name: String, at location: String) -> Defect {
        if ["__tls_get_addr", "___tls_get_addr", "__tls_get_offset", "__aeabi_read_tp", "__emutls_get_address"].contains(name)
            || name.hasPrefix("__emutls_v.") {
            return Defect(location: location, rule: "no-initializers",
                          message: "thread-local storage (\(name)): a vDSO has no TLS and glibc asserts it has no PT_TLS; "
                              + "make the variable an automatic one, or keep the state in the data page")
        }
        return Defect(location: location, rule: "no-undefined-symbols",
                      message: "undefined symbol \(name): " + NoUndefinedSymbolsRule.advice(for: name))
    }

    /// The `file:line` of the first `>>> referenced by` line after line `i`, else "the link".
    static func referencingSource(_ lines: [String], after i: Int) -> String {
        for line in lines[(i + 1)...] {
            if line.contains("error: ") { break }
            guard let r = line.firstRange(of: ">>> referenced by ") else { continue }
            return String(line[r.upperBound...].split(separator: " ").first ?? "the link")
        }
        return "the link"
    }

    /// The text between the quotes after `marker`: `'LINUX_2.6'` after "assignment of ".
    static func quoted(_ text: Substring, after marker: String) -> String? {
        guard let m = text.firstRange(of: marker + "'") else { return nil }
        let rest = text[m.upperBound...]
        guard let end = rest.firstIndex(of: "'") else { return nil }
        return String(rest[..<end])
    }
}
