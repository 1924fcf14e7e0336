import Testing
import VDSOKit

/// `no-textrel`: each fixture that breaks it (Tests/fixtures/make-images.sh), with every finding the
/// checker gives it, exactly — rule id and severity, no more, no fewer.
@Suite("rule no-textrel")
struct NoTextrelRuleTests {
    static let cases: [RuleCase] = [
        RuleCase("textrel-flag.so", debug: "good.so.dbg", findings: ["debug-match:error", "no-textrel:error"]),
        RuleCase("textrel-notext.so", debug: "textrel-notext.so.dbg", findings: ["no-dynamic-relocations:error", "no-textrel:error", "no-textrel:error"]),
    ]

    @Test("exact findings", arguments: cases)
    func findings(_ c: RuleCase) throws { try c.verify(rule: "no-textrel") }
}
