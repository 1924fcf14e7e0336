import Testing
import VDSOKit

/// `writable-data`: each fixture that breaks it (Tests/fixtures/make-images.sh), with every finding the
/// checker gives it, exactly — rule id and severity, no more, no fewer.
@Suite("rule writable-data")
struct WritableDataRuleTests {
    static let cases: [RuleCase] = [
        RuleCase("writable-data-load.so", debug: "writable-data-load.so.dbg", findings: ["w-xor-x:error", "writable-data:error"]),
        RuleCase("writable-data-data.so", debug: "writable-data-data.so.dbg", findings: ["writable-data:error"]),
        RuleCase("writable-data-bss.so", debug: "writable-data-bss.so.dbg", findings: ["writable-data:error"]),
        RuleCase("writable-data-got.so", debug: "writable-data-got.so.dbg", findings: ["writable-data:error"]),
        RuleCase("writable-data-rodata-w.so", debug: "writable-data-rodata-w.so.dbg", findings: ["writable-data:warning"]),
        RuleCase("writable-data-rodata-w.so", profile: .linux, debug: "writable-data-rodata-w.so.dbg", findings: ["writable-data:warning"]),
    ]

    @Test("exact findings", arguments: cases)
    func findings(_ c: RuleCase) throws { try c.verify(rule: "writable-data") }
}
