import Foundation
import Testing
import VDSOKit

/// The differential test of the TOML parser: Tests/toml/corpus.py generates valid and invalid
/// documents and says what Python's tomllib makes of each; TOMLParser must agree on every one.
/// TOML_CORPUS_SEED and TOML_CORPUS_COUNT (default 1 and 1500) choose another or larger corpus.
@Suite("TOML 1.0 against tomllib")
struct TOMLConformanceTests {
    /// One document and tomllib's verdict: its canonical value, or nil if tomllib refuses it.
    struct Case {
        var document: String
        var expected: String?
    }

    static func corpus() throws -> [Case] {
        let env = ProcessInfo.processInfo.environment
        let seed = env["TOML_CORPUS_SEED"] ?? "1", count = env["TOML_CORPUS_COUNT"] ?? "1500"
        let python = Toolchain.which("python3") ?? "/usr/bin/python3"
        let run = try TestSupport.run([python, TestSupport.path("Tests/toml/corpus.py"), "--seed", seed, "--count", count])
        guard run.status == 0 else { throw CorpusError(message: "corpus.py failed (python3 3.11 or later has tomllib):\n\(run.output)") }
        var cases: [Case] = []
        var document: String?
        for line in run.output.split(separator: "\n") {
            if line.hasPrefix("D ") {
                document = String(decoding: Self.bytes(hex: line.dropFirst(2)), as: UTF8.self)
            } else if line.hasPrefix("E "), let doc = document {
                let e = String(line.dropFirst(2))
                cases.append(Case(document: doc, expected: e == "!" ? nil : e))
                document = nil
            }
        }
        return cases
    }

    struct CorpusError: Error, CustomStringConvertible {
        var message: String
        var description: String { message }
    }

    static func bytes(hex: Substring) -> [UInt8] {
        var out: [UInt8] = []
        var i = hex.startIndex
        while i < hex.endIndex, let j = hex.index(i, offsetBy: 2, limitedBy: hex.endIndex), let b = UInt8(hex[i..<j], radix: 16) {
            out.append(b)
            i = j
        }
        return out
    }

    // MARK: the canonical form corpus.py writes

    static func quote(_ s: String) -> String {
        var out = "\""
        for c in s.unicodeScalars {
            if (0x20...0x7E).contains(c.value) && c != "\"" && c != "\\" {
                out.unicodeScalars.append(c)
            } else {
                out += "\\u{\(String(c.value, radix: 16, uppercase: true))}"
            }
        }
        return out + "\""
    }

    static func canonical(_ v: TOMLValue) -> String {
        switch v {
        case .bool(let b): return b ? "btrue" : "bfalse"
        case .integer(let n): return "i\(n)"
        case .float(let d):
            if d.isNaN { return "fnan" }
            let hex = String(d.bitPattern, radix: 16)
            return "f" + String(repeating: "0", count: 16 - hex.count) + hex
        case .string(let s): return "s" + quote(s)
        case .dateTime(let d):
            let kind = d.date == nil ? "dT" : d.time == nil ? "dD" : d.offsetMinutes == nil ? "dL" : "dO"
            return kind + quote(d.description)
        case .array(let a): return "[" + a.values.map(canonical).joined(separator: ",") + "]"
        case .table(let t): return canonical(t)
        }
    }

    static func canonical(_ t: TOMLTable) -> String {
        let sorted = t.entries.sorted { $0.key.unicodeScalars.lexicographicallyPrecedes($1.key.unicodeScalars) }
        return "{" + sorted.map { quote($0.key) + ":" + canonical($0.value) }.joined(separator: ",") + "}"
    }

    static func show(_ doc: String) -> String {
        doc.unicodeScalars.map { c in c == "\n" ? "\\n\n" : (0x20...0x7E).contains(c.value) ? String(c) : "\\u{\(String(c.value, radix: 16))}" }
            .joined()
    }

    @Test("agrees with tomllib on every generated document, valid or not")
    func differential() throws {
        let cases = try Self.corpus()
        let valid = cases.filter { $0.expected != nil }.count
        #expect(cases.count > 3000, "the corpus is too small: \(cases.count)")
        #expect(valid > cases.count / 4 && cases.count - valid > cases.count / 4, "\(valid) valid of \(cases.count)")
        var disagreements: [String] = []
        for c in cases {
            let got: String?
            var reason = ""
            do { got = Self.canonical(try TOMLParser.parse(c.document)) } catch {
                got = nil
                reason = "\(error)"
            }
            guard got != c.expected else { continue }
            disagreements.append(
                """
                document:
                \(Self.show(c.document))
                tomllib: \(c.expected ?? "refused")
                vdsogen: \(got ?? "refused: \(reason)")
                """)
        }
        #expect(disagreements.isEmpty, "\(disagreements.count) of \(cases.count) disagree; the first:\n\(disagreements.prefix(5).joined(separator: "\n---\n"))")
    }
}
