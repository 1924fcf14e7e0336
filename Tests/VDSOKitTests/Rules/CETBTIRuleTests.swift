import Testing
import VDSOKit

/// `cet-bti`: each fixture that breaks it (Tests/fixtures/make-images.sh), with every finding the
/// checker gives it, exactly — rule id and severity, no more, no fewer.
@Suite("rule cet-bti")
struct CETBTIRuleTests {
    static let cases: [RuleCase] = [
        RuleCase("cet-ibt-missing.so", debug: "cet-ibt-missing.so.dbg", findings: ["cet-bti:error"]),
        RuleCase("cet-bti-arm64-missing.so", findings: ["cet-bti:error", "exports:error", "exports:error"]),
    ]

    @Test("exact findings", arguments: cases)
    func findings(_ c: RuleCase) throws { try c.verify(rule: "cet-bti") }
}
