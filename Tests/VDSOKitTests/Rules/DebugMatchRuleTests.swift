import Testing
import VDSOKit

/// `debug-match`: each fixture that breaks it (Tests/fixtures/make-images.sh), with every finding the
/// checker gives it, exactly — rule id and severity, no more, no fewer.
@Suite("rule debug-match")
struct DebugMatchRuleTests {
    static let cases: [RuleCase] = [
        RuleCase("debug-match-bytes.so", debug: "good.so.dbg", findings: ["debug-match:error"]),
        RuleCase("debug-match-symtab.so", debug: "good.so.dbg", findings: ["debug-match:error"]),
    ]

    @Test("exact findings", arguments: cases)
    func findings(_ c: RuleCase) throws { try c.verify(rule: "debug-match") }
}
