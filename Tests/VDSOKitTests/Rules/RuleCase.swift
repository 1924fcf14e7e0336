import Foundation
import Testing
import VDSOKit

/// One fixture checked under given options, and the exact findings (`rule:severity`, sorted) the
/// checker must give it: the rule test files, one per rule, list these.
struct RuleCase: CustomTestStringConvertible, Sendable {
    var file: String
    var profile: Profile = .strict
    var debug: String?
    var arch: String?
    var findings: [String]

    init(_ file: String, profile: Profile = .strict, debug: String? = nil, arch: String? = nil, findings: [String]) {
        self.file = file
        self.profile = profile
        self.debug = debug
        self.arch = arch
        self.findings = findings
    }

    var testDescription: String {
        "\(file)\(profile == .strict ? "" : " --profile \(profile.rawValue)")\(debug.map { " --debug \($0)" } ?? "")\(arch.map { " --arch \($0)" } ?? "")"
    }

    /// Checks the fixture and compares every finding with the list; the list must name `rule`.
    func verify(rule: String) throws {
        let dir = TestSupport.fixtures
        let abi = arch.flatMap(ArchABI.named)
        let options = CheckOptions(profile: profile, expectations: abi?.expectations, expectedMachine: abi?.machine)
        let report = try Checker.check(path: dir + "/" + file, debugPath: debug.map { dir + "/" + $0 }, options: options)
        let got = report.findings.map { "\($0.rule):\($0.severity.rawValue)" }.sorted()
        #expect(findings.contains { $0.hasPrefix(rule + ":") }, "the case does not exercise \(rule)")
        #expect(got == findings, "\(ReportRenderer.text([report]))")
    }
}

@Suite("A test file per rule")
struct RuleFilesTests {
    @Test("every rule in the registry has its test file, and every rule test file names a registered rule")
    func oneFilePerRule() throws {
        let dir = TestSupport.path("Tests/VDSOKitTests/Rules")
        var tested: Set<String> = []
        for f in try FileManager.default.contentsOfDirectory(atPath: dir) where f.hasSuffix("RuleTests.swift") {
            let text = try FileIO.readText(dir + "/" + f)
            guard let r = text.firstRange(of: "verify(rule: \"") else { Issue.record("\(f) verifies no rule"); continue }
            let id = String(text[r.upperBound...].prefix { $0 != "\"" })
            #expect(RuleRegistry.rule(id) != nil, "\(f) tests \(id), which is not registered")
            tested.insert(id)
        }
        #expect(tested == Set(RuleRegistry.ids), "rules without a test file: \(Set(RuleRegistry.ids).subtracting(tested).sorted())")
    }
}
