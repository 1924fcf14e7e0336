import Testing
import VDSOKit

/// `no-undefined-symbols`: each fixture that breaks it (Tests/fixtures/make-images.sh), with every finding the
/// checker gives it, exactly — rule id and severity, no more, no fewer.
@Suite("rule no-undefined-symbols")
struct NoUndefinedSymbolsRuleTests {
    static let cases: [RuleCase] = [
        RuleCase("undefined-symbol.so", debug: "undefined-symbol.so.dbg", findings: ["no-undefined-symbols:error"]),
        RuleCase("undefined-call.so", debug: "undefined-call.so.dbg", findings: ["no-dynamic-relocations:error", "no-undefined-symbols:error", "writable-data:error", "writable-data:error"]),
        RuleCase("undefined-c-call.so", debug: "undefined-c-call.so.dbg", findings: ["no-dynamic-relocations:error", "no-undefined-symbols:error", "writable-data:error", "writable-data:error"]),
    ]

    @Test("exact findings", arguments: cases)
    func findings(_ c: RuleCase) throws { try c.verify(rule: "no-undefined-symbols") }
}
