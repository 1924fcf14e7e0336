import Testing
import VDSOKit

/// `stack-usage`: each fixture that breaks it (Tests/fixtures/make-images.sh), with every finding the
/// checker gives it, exactly — rule id and severity, no more, no fewer.
@Suite("rule stack-usage")
struct StackUsageRuleTests {
    static let cases: [RuleCase] = [
        RuleCase("stack-usage-big.so", debug: "stack-usage-big.so.dbg", findings: ["stack-usage:error"]),
        RuleCase("stack-usage-big.so", profile: .linux, debug: "stack-usage-big.so.dbg", findings: ["stack-usage:error"]),
        RuleCase("stack-usage-probe.so", debug: "stack-usage-probe.so.dbg", findings: ["stack-usage:error", "stack-usage:error"]),
        RuleCase("stack-usage-frame-pointer.so", debug: "stack-usage-frame-pointer.so.dbg", findings: ["stack-usage:error"]),
    ]

    @Test("exact findings", arguments: cases)
    func findings(_ c: RuleCase) throws { try c.verify(rule: "stack-usage") }
}
