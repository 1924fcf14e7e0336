import Testing
import VDSOKit

/// `no-needed`: each fixture that breaks it (Tests/fixtures/make-images.sh), with every finding the
/// checker gives it, exactly — rule id and severity, no more, no fewer.
@Suite("rule no-needed")
struct NoNeededRuleTests {
    static let cases: [RuleCase] = [
        RuleCase("needed.so", debug: "needed.so.dbg", findings: ["no-needed:error"]),
        RuleCase("needed-verneed.so", debug: "needed-verneed.so.dbg", findings: ["no-needed:error", "no-needed:error", "no-undefined-symbols:error"]),
        RuleCase("needed-runpath.so", debug: "needed-runpath.so.dbg", findings: ["no-needed:error"]),
        RuleCase("needed-runpath.so", profile: .linux, debug: "needed-runpath.so.dbg", findings: ["no-needed:warning"]),
        RuleCase("needed-rpath.so", debug: "needed-rpath.so.dbg", findings: ["no-needed:error"]),
        RuleCase("needed-interp.so", debug: "needed-interp.so.dbg", findings: ["consumers:error", "no-needed:error"]),
    ]

    @Test("exact findings", arguments: cases)
    func findings(_ c: RuleCase) throws { try c.verify(rule: "no-needed") }
}
