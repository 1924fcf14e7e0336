import Foundation
import Testing
import VDSOKit

/// The rule documentation comes from the registry: Docs/rules.md's generated block is what
/// `RuleRegistry.markdown()` produces (`make docs` regenerates it), its hand-written table of
/// example messages names exactly the registry's rules in order, and `vdsogen check
/// --list-rules` prints the registry.
@Suite("documentation from the rule registry")
struct DocsTests {
    static func read(_ relative: String) throws -> String {
        try String(contentsOfFile: TestSupport.path(relative), encoding: .utf8)
    }

    /// The text between the generated block's markers, or nil when a marker is missing.
    static func generatedBlock(of text: String) -> String? {
        guard let begin = text.range(of: RuleRegistry.beginMarker + "\n"),
            let end = text.range(of: "\n" + RuleRegistry.endMarker, range: begin.upperBound..<text.endIndex)
        else { return nil }
        return String(text[begin.upperBound..<end.lowerBound]) + "\n"
    }

    @Test("Docs/rules.md holds the registry's Markdown, byte for byte")
    func rulesFileIsGenerated() throws {
        let block = Self.generatedBlock(of: try Self.read("Docs/rules.md"))
        #expect(block != nil, "Docs/rules.md lacks the generated block's markers")
        #expect(block == RuleRegistry.markdown(), "Docs/rules.md is stale: run `make docs`")
    }

    @Test("the generated Markdown names every rule, in registry order, once")
    func markdownCoversTheRegistry() {
        let md = RuleRegistry.markdown()
        let headings = md.split(separator: "\n").filter { $0.hasPrefix("### `") }
            .map { String($0.dropFirst(5).dropLast()) }
        #expect(headings == RuleRegistry.ids)
        for rule in RuleRegistry.all {
            #expect(md.contains("**Requires.** \(rule.summary)\n"))
            #expect(md.contains("**Protects against.** \(rule.protects)\n"))
        }
    }

    @Test("the table of example messages lists exactly the registry's rules, in order")
    func exampleTableMatchesRegistry() throws {
        let text = try Self.read("Docs/rules.md")
        guard let start = text.range(of: "## Example messages\n") else {
            Issue.record("Docs/rules.md has no \"## Example messages\" section")
            return
        }
        let rows = text[start.upperBound...].split(separator: "\n", omittingEmptySubsequences: false)
            .drop { !$0.hasPrefix("|") }.prefix { $0.hasPrefix("|") }.dropFirst(2)
        let ids = rows.map { row -> String in
            let cell = row.split(separator: "|", maxSplits: 2, omittingEmptySubsequences: true).first ?? ""
            return cell.trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "`"))
        }
        #expect(ids == RuleRegistry.ids)
    }

    @Test("the README and Docs/ cite no rule the registry does not have")
    func citedRuleIdsExist() throws {
        let readme = try Self.read("README.md")
        #expect(readme.contains("Docs/rules.md"))
        let docs = try FileManager.default.contentsOfDirectory(atPath: TestSupport.path("Docs"))
            .filter { $0.hasSuffix(".md") }.map { "Docs/" + $0 }
        #expect(docs.count > 5, "Docs/ was not read")
        var cited = 0
        for file in ["README.md"] + docs.sorted() {
            for match in try Self.read(file).matches(of: /(?:error|warning)\[([a-z0-9-]+)\]/) {
                let id = String(match.output.1)
                cited += 1
                #expect(RuleRegistry.rule(id) != nil, "\(file) cites rule \(id), which the registry lacks")
            }
        }
        #expect(cited > 10, "no finding was cited: the pattern no longer matches the docs")
    }

    @Test("vdsogen check --list-rules prints the registry's Markdown")
    func listRulesPrintsRegistry() throws {
        let r = try TestSupport.run([TestSupport.vdsogen, "check", "--list-rules"])
        #expect(r.status == 0)
        #expect(r.output == RuleRegistry.markdown())
    }

    /// The keys a table of Docs/manifest.md documents (its first column, in backquotes).
    static func documentedManifestKeys() throws -> Set<String> {
        var keys: Set<String> = []
        for line in try read("Docs/manifest.md").split(separator: "\n") where line.hasPrefix("| `") {
            let cell = line.dropFirst(3).prefix { $0 != "`" }
            keys.insert(String(cell))
        }
        return keys
    }

    @Test("every key the default manifests use is documented in Docs/manifest.md and vdsogen-manifest(5)")
    func manifestKeysDocumented() throws {
        let documented = try Self.documentedManifestKeys()
        let page = try Self.read("Docs/man/vdsogen-manifest.5")
        var used: Set<String> = []
        for arch in ArchABI.all.map(\.name) {
            let manifest = try Self.read("kernel-vdso/arch/\(arch)/vdso.toml")
            for match in manifest.matches(of: #/(?m)^([a-z][a-z-]*) = /#) { used.insert(String(match.output.1)) }
            if manifest.contains("[[version]]") { used.insert("[[version]]") }
        }
        #expect(used.count > 10, "the default manifests were not read")
        for key in used.sorted() {
            #expect(documented.contains(key), "Docs/manifest.md does not document \(key)")
            #expect(page.contains(".It Ic \(key)"), "vdsogen-manifest(5) does not document \(key)")
        }
    }
}
