import Testing
import VDSOKit

/// `exports`: each fixture that breaks it (Tests/fixtures/make-images.sh), with every finding the
/// checker gives it, exactly — rule id and severity, no more, no fewer.
@Suite("rule exports")
struct ExportsRuleTests {
    static let cases: [RuleCase] = [
        RuleCase("exports-missing.so", debug: "exports-missing.so.dbg", findings: ["exports:error", "exports:error"]),
        RuleCase("exports-object.so", debug: "exports-object.so.dbg", findings: ["exports:error", "exports:error", "time-pairs:error"]),
        RuleCase("exports-zero-size.so", debug: "exports-zero-size.so.dbg", findings: ["dwarf:error", "exports:error", "exports:error"]),
        RuleCase("exports-absolute.so", debug: "exports-absolute.so.dbg", findings: ["consumers:error", "dwarf:error", "exports:error", "exports:error", "unwind-info:error"]),
        RuleCase("exports-absolute.so", profile: .linux, debug: "exports-absolute.so.dbg", findings: ["consumers:warning", "dwarf:error", "exports:error", "exports:error", "unwind-info:warning"]),
        RuleCase("exports-unexpected.so", debug: "exports-unexpected.so.dbg", findings: ["exports:warning", "time-pairs:warning"]),
    ]

    @Test("exact findings", arguments: cases)
    func findings(_ c: RuleCase) throws { try c.verify(rule: "exports") }
}
