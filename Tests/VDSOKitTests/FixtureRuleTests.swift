import Testing
import VDSOKit

/// One line of Tests/fixtures/EXPECT: an image, what the checker must say about it, and options.
struct FixtureExpectation: CustomTestStringConvertible, Sendable {
    var file: String
    var expected: String
    var profile: Profile
    var debug: String?
    /// `--arch`: judge the image by that architecture's Linux ABI whatever its soname.
    var arch: String?

    var testDescription: String { "\(file) → \(expected)\(profile == .linux ? " (linux)" : "")\(debug.map { " --debug \($0)" } ?? "")\(arch.map { " --arch \($0)" } ?? "")" }

    static func load() -> [FixtureExpectation] {
        // No EXPECT would make every parametrised test vanish and pass: stop instead.
        guard let text = try? FileIO.readText(TestSupport.fixtures + "/EXPECT"), !text.isEmpty else {
            preconditionFailure("Tests/fixtures/make-images.sh wrote no EXPECT in \(TestSupport.fixtures)")
        }
        return text.split(separator: "\n").compactMap { line in
            let words = line.split(separator: " ").map(String.init)
            guard words.count >= 2 else { return nil }
            var e = FixtureExpectation(file: words[0], expected: words[1], profile: .strict, debug: nil)
            var i = 2
            while i + 1 < words.count {
                if words[i] == "--profile" { e.profile = Profile(rawValue: words[i + 1]) ?? .strict }
                if words[i] == "--debug" { e.debug = words[i + 1] }
                if words[i] == "--arch" { e.arch = words[i + 1] }
                i += 2
            }
            return e
        }
    }
}

@Suite("Every rule has an image that breaks it")
struct FixtureRuleTests {
    static let expectations = FixtureExpectation.load()

    @Test("fixture verdict", arguments: FixtureRuleTests.expectations)
    func verdict(_ e: FixtureExpectation) throws {
        let dir = TestSupport.fixtures
        let abi = e.arch.flatMap(ArchABI.named)
        let options = CheckOptions(profile: e.profile, expectations: abi?.expectations, expectedMachine: abi?.machine)
        let result = Result { () throws(VDSOError) in
            try Checker.check(path: dir + "/" + e.file, debugPath: e.debug.map { dir + "/" + $0 }, options: options)
        }
        switch e.expected {
        case "exit2":
            guard case .failure(let error) = result else {
                Issue.record("expected an unreadable/not-ELF error, got a report")
                return
            }
            #expect(error.exitCode == 2)
            #expect(!error.description.contains("\n"), "one line")
            #expect(error.description.contains(e.file), "names the file")
        case "pass":
            let report = try result.get()
            #expect(report.passed, "\(ReportRenderer.text([report]))")
        default:
            let report = try result.get()
            if e.expected.hasPrefix("warning:") {
                let rule = String(e.expected.dropFirst("warning:".count))
                #expect(report.findings.contains { $0.rule == rule && $0.severity == .warning }, "\(ReportRenderer.text([report]))")
            } else {
                #expect(!report.passed)
                #expect(report.findings.contains { $0.rule == e.expected && $0.severity == .error }, "\(ReportRenderer.text([report]))")
            }
        }
    }

    @Test("every rule is tripped by at least one fixture")
    func coverage() {
        let tripped = Set(Self.expectations.map { $0.expected.hasPrefix("warning:") ? String($0.expected.dropFirst(8)) : $0.expected })
        for id in RuleRegistry.ids {
            #expect(tripped.contains(id), "no fixture breaks \(id)")
        }
    }

    @Test("the good fixture passes with zero findings")
    func goodIsClean() throws {
        let dir = TestSupport.fixtures
        let report = try Checker.check(path: dir + "/good.so", debugPath: dir + "/good.so.dbg")
        #expect(report.findings.isEmpty, "\(ReportRenderer.text([report]))")
    }
}
