import Testing
import VDSOKit

/// `no-dynamic-relocations`: each fixture that breaks it (Tests/fixtures/make-images.sh), with every finding the
/// checker gives it, exactly — rule id and severity, no more, no fewer.
@Suite("rule no-dynamic-relocations")
struct NoDynamicRelocationsRuleTests {
    static let cases: [RuleCase] = [
        RuleCase("reloc-relative.so", debug: "reloc-relative.so.dbg", findings: ["no-dynamic-relocations:error", "writable-data:warning"]),
        RuleCase("reloc-relr.so", debug: "reloc-relr.so.dbg", findings: ["no-dynamic-relocations:error", "writable-data:warning"]),
        RuleCase("reloc-abs64.so", debug: "reloc-abs64.so.dbg", findings: ["no-dynamic-relocations:error", "writable-data:warning"]),
        RuleCase("reloc-c-table.so", debug: "reloc-c-table.so.dbg", findings: ["no-dynamic-relocations:error", "writable-data:warning"]),
    ]

    @Test("exact findings", arguments: cases)
    func findings(_ c: RuleCase) throws { try c.verify(rule: "no-dynamic-relocations") }
}
