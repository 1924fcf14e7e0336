import Testing
import VDSOKit

/// `soname`: each fixture that breaks it (Tests/fixtures/make-images.sh), with every finding the
/// checker gives it, exactly — rule id and severity, no more, no fewer.
@Suite("rule soname")
struct SonameRuleTests {
    static let cases: [RuleCase] = [
        RuleCase("soname-wrong.so", debug: "soname-wrong.so.dbg", arch: "x86_64", findings: ["soname:error"]),
    ]

    @Test("exact findings", arguments: cases)
    func findings(_ c: RuleCase) throws { try c.verify(rule: "soname") }
}
